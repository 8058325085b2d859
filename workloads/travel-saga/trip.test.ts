// The trip orchestrator, one handler at a time through the step builder: a booking asks every
// service of its shard; it books only when every service reserved; on any refusal it cancels
// exactly the reservations that succeeded and settles when all cancels are acknowledged; stray
// and duplicate messages change nothing.

import test from "ava";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import { applyEvents, buildStep } from "../../engine/runtime/step-builder.ts";
import type { TripMessage, TripState } from "./saga-types.ts";
import { tripDefinition } from "./trip.ts";

const trip = tripDefinition({ services: 3, workCoreUs: 20 });
const self = trip.ref("7");

/** Feeds `messages` in order from the initial state; returns the last step and the state after it. */
function feed(messages: TripMessage[]) {
  let state: TripState = trip.initial();
  let last;
  for (const [index, message] of messages.entries()) {
    last = buildStep(trip, self, state, message, { lsn: index + 1, nowUs: 1000 + index, replyTo: undefined });
    if (!last.ok) throw new Error(last.reason);
    const applied = applyEvents(trip, self, state, last.value.events, { nowUs: 1000 + index });
    if (!applied.ok) throw new Error(applied.reason);
    state = applied.value;
  }
  if (last === undefined || !last.ok) throw new Error("no step");
  return { step: last.value, state };
}

const book: TripMessage = { type: "book", shard: 2, startUs: 500 };

test("a booking asks every service of the trip's shard to reserve, naming the trip for the reply", (t) => {
  const { step, state } = feed([book]);
  t.deepEqual(step.events, [{ type: "started", shard: 2, startUs: 500 }]);
  t.deepEqual(step.sends.map((send) => [send.to, send.message]), [
    ["flight/2", { type: "reserve", trip: "trip/7" }],
    ["hotel/2", { type: "reserve", trip: "trip/7" }],
    ["car/2", { type: "reserve", trip: "trip/7" }],
  ]);
  t.is(step.workUs, 20);
  t.is(state.phase, "reserving");
});

test("a second booking message for the same trip stages nothing", (t) => {
  const { step } = feed([book, book]);
  t.deepEqual([step.events, step.sends], [[], []]);
});

test("the trip books only when every service reserved, and reports it to the sink", (t) => {
  const partial = feed([book, { type: "reserved", service: 0 }, { type: "reserved", service: 2 }]);
  t.deepEqual(partial.step.sends, [], "no decision before the last reply");
  const { step, state } = feed([book, { type: "reserved", service: 0 }, { type: "reserved", service: 2 }, { type: "reserved", service: 1 }]);
  t.is(state.phase, "booked");
  t.deepEqual(step.sends, [{ to: "sink/travel-saga" as AutomatonId, message: { type: "completed", outcome: "booked", startUs: 500, items: 1 }, replyTo: undefined }]);
});

test("on a refusal the trip cancels exactly the services that reserved, also one that replied after the refusal", (t) => {
  const { step, state } = feed([
    book, { type: "reserved", service: 1 }, { type: "rejected", service: 0, reason: "unavailable" }, { type: "reserved", service: 2 },
  ]);
  t.is(state.phase, "compensating");
  t.deepEqual(step.sends.map((send) => [send.to, send.message]), [
    ["hotel/2", { type: "cancel", trip: "trip/7" }],
    ["car/2", { type: "cancel", trip: "trip/7" }],
  ]);
});

test("compensation ends when every cancel is acknowledged; stray acknowledgements are ignored", (t) => {
  const prefix: TripMessage[] = [
    book, { type: "reserved", service: 1 }, { type: "rejected", service: 0, reason: "full" }, { type: "reserved", service: 2 },
  ];
  const stray = feed([...prefix, { type: "cancelled", service: 0 }]);
  t.deepEqual([stray.step.events, stray.step.sends], [[], []], "service 0 never reserved");
  const half = feed([...prefix, { type: "cancelled", service: 2 }]);
  t.is(half.state.phase, "compensating");
  const done = feed([...prefix, { type: "cancelled", service: 2 }, { type: "cancelled", service: 2 }, { type: "cancelled", service: 1 }]);
  t.is(done.state.phase, "compensated");
  t.deepEqual(done.step.sends.map((send) => send.message), [{ type: "completed", outcome: "compensated", startUs: 500, items: 1 }]);
});

test("when every service refuses there is nothing to undo and the trip is compensated at once", (t) => {
  const { step, state } = feed([
    book, { type: "rejected", service: 0, reason: "x" }, { type: "rejected", service: 1, reason: "x" }, { type: "rejected", service: 2, reason: "x" },
  ]);
  t.is(state.phase, "compensated");
  t.deepEqual(step.sends.map((send) => send.to), ["sink/travel-saga"]);
});

test("a duplicate reply counts once", (t) => {
  const { state } = feed([book, { type: "reserved", service: 0 }, { type: "reserved", service: 0 }, { type: "reserved", service: 1 }]);
  t.is(state.phase, "reserving", "two distinct replies of three");
  t.deepEqual(state.reserved, [0, 1]);
});
