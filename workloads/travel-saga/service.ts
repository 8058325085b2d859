// A reservation service of the travel saga (flight, hotel, car, …): one automaton per shard of a
// service, `<service>/<shard>`, holding the reservations of the trips routed to that shard.
//
// `reserve` either holds a reservation for the trip and answers `reserved`, or refuses with
// `rejected`: with probability `failureChance` (drawn with ctx.random, so a re-executed step
// after a crash draws the same), or when the shard already holds `capacity` reservations (a
// full hotel; also what keeps the state bounded). `cancel` releases the trip's reservation and
// answers `cancelled`. Both are idempotent: a second `reserve` for a held trip answers
// `reserved` again without a second hold, and cancelling a reservation that is not held only
// acknowledges.

import { assert } from "../../engine/io/assert.ts";
import { defineAutomaton, type AutomatonDefinition } from "../../engine/runtime/automaton.ts";
import { serviceTypeOf, type ServiceEvent, type ServiceMessage, type ServiceState } from "./saga-types.ts";

export type ServiceOptions = {
  /** Position of this service in every trip's booking order. */
  readonly index: number;
  /** Chance that one reservation fails, in [0, 1]. */
  readonly failureChance: number;
  /** Reservations one shard may hold at once. */
  readonly capacity: number;
  /** Modelled compute per step, core-µs. */
  readonly workCoreUs: number;
};

export type ServiceDefinition = AutomatonDefinition<ServiceState, ServiceMessage, ServiceEvent>;

export function serviceDefinition(options: ServiceOptions): ServiceDefinition {
  const { index, failureChance, capacity, workCoreUs } = options;
  assert(failureChance >= 0 && failureChance <= 1, `failureChance must be in [0, 1], got ${failureChance}`);
  assert(Number.isSafeInteger(capacity) && capacity >= 1, `capacity must be an integer ≥ 1, got ${capacity}`);
  return defineAutomaton<ServiceState, ServiceMessage, ServiceEvent>({
    type: serviceTypeOf(index),
    initial: () => ({ held: {}, heldCount: 0, rejectedCount: 0, releasedCount: 0 }),
    handle(ctx, state, message) {
      ctx.work(workCoreUs);
      const trip = message.trip;
      const holds = Object.hasOwn(state.held, trip);
      if (message.type === "cancel") {
        if (holds) ctx.emit({ type: "released", trip });
        ctx.send(trip, { type: "cancelled", service: index });
      } else if (holds) {
        ctx.send(trip, { type: "reserved", service: index });
      } else if (state.heldCount >= capacity) {
        ctx.emit({ type: "rejected" });
        ctx.send(trip, { type: "rejected", service: index, reason: "full" });
      } else if (ctx.random() < failureChance) {
        ctx.emit({ type: "rejected" });
        ctx.send(trip, { type: "rejected", service: index, reason: "unavailable" });
      } else {
        ctx.emit({ type: "held", trip });
        ctx.send(trip, { type: "reserved", service: index });
      }
      return undefined;
    },
    apply(state, event, step) {
      switch (event.type) {
        case "held":
          state.held[event.trip] = step.nowUs;
          state.heldCount++;
          break;
        case "released":
          delete state.held[event.trip];
          state.heldCount--;
          state.releasedCount++;
          break;
        case "rejected":
          state.rejectedCount++;
          break;
      }
      return state;
    },
  });
}
