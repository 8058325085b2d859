// A reservation service through the step builder: it holds or refuses a reservation, refuses
// when full, draws failures from ctx.random (the same input LSN always draws the same, and the
// refusal rate matches failureChance), and its reserve and cancel are idempotent.

import test from "ava";
import type { AutomatonRef } from "../../engine/runtime/ids.ts";
import { applyEvents, buildStep } from "../../engine/runtime/step-builder.ts";
import type { ServiceMessage, ServiceState, TripMessage } from "./saga-types.ts";
import { serviceDefinition, type ServiceOptions } from "./service.ts";

const options: ServiceOptions = { index: 1, failureChance: 0, capacity: 10, workCoreUs: 50 };
const tripRef = "trip/4" as AutomatonRef<TripMessage>;
const reserve: ServiceMessage = { type: "reserve", trip: tripRef };
const cancel: ServiceMessage = { type: "cancel", trip: tripRef };

function step(service: ReturnType<typeof serviceDefinition>, state: ServiceState, message: ServiceMessage, lsn = 1) {
  const self = service.ref("0");
  const built = buildStep(service, self, state, message, { lsn, nowUs: 77, replyTo: undefined });
  if (!built.ok) throw new Error(built.reason);
  const applied = applyEvents(service, self, structuredClone(state), built.value.events, { nowUs: 77 });
  if (!applied.ok) throw new Error(applied.reason);
  return { events: built.value.events, sends: built.value.sends.map((send) => [send.to, send.message]), state: applied.value };
}

test("a reservation is held and confirmed to the trip", (t) => {
  const hotel = serviceDefinition(options);
  t.is(hotel.type, "hotel");
  const held = step(hotel, hotel.initial(), reserve);
  t.deepEqual(held.events, [{ type: "held", trip: "trip/4" }]);
  t.deepEqual(held.sends, [["trip/4", { type: "reserved", service: 1 }]]);
  t.deepEqual(held.state, { held: { "trip/4": 77 }, heldCount: 1, rejectedCount: 0, releasedCount: 0 });
});

test("a service that always fails refuses, and a full one refuses with 'full'", (t) => {
  const failing = serviceDefinition({ ...options, failureChance: 1 });
  const refused = step(failing, failing.initial(), reserve);
  t.deepEqual(refused.sends, [["trip/4", { type: "rejected", service: 1, reason: "unavailable" }]]);
  t.is(refused.state.rejectedCount, 1);
  const tiny = serviceDefinition({ ...options, capacity: 1 });
  const full: ServiceState = { held: { "trip/1": 0 }, heldCount: 1, rejectedCount: 0, releasedCount: 0 };
  t.deepEqual(step(tiny, full, reserve).sends, [["trip/4", { type: "rejected", service: 1, reason: "full" }]]);
});

test("reserve and cancel are idempotent", (t) => {
  const hotel = serviceDefinition(options);
  const held = step(hotel, hotel.initial(), reserve).state;
  const again = step(hotel, held, reserve);
  t.deepEqual(again.events, [], "no second hold");
  t.deepEqual(again.sends, [["trip/4", { type: "reserved", service: 1 }]]);
  const released = step(hotel, held, cancel);
  t.deepEqual(released.events, [{ type: "released", trip: "trip/4" }]);
  t.deepEqual(released.sends, [["trip/4", { type: "cancelled", service: 1 }]]);
  t.deepEqual(released.state, { held: {}, heldCount: 0, rejectedCount: 0, releasedCount: 1 });
  const twice = step(hotel, released.state, cancel);
  t.deepEqual([twice.events, twice.sends], [[], [["trip/4", { type: "cancelled", service: 1 }]]]);
});

test("failures are drawn per input: the same LSN draws the same, and the rate matches failureChance", (t) => {
  const flaky = serviceDefinition({ ...options, failureChance: 0.3 });
  let refusals = 0;
  const draws = 4000;
  for (let lsn = 1; lsn <= draws; lsn++) {
    const first = step(flaky, flaky.initial(), reserve, lsn);
    const again = step(flaky, flaky.initial(), reserve, lsn);
    if (JSON.stringify(first.sends) !== JSON.stringify(again.sends)) return t.fail(`lsn ${lsn} drew differently`);
    if (first.state.rejectedCount === 1) refusals++;
  }
  const rate = refusals / draws;
  t.true(rate > 0.27 && rate < 0.33, `refusal rate ${rate}, expected ≈ 0.3`);
});
