// The trip orchestrator of the travel saga: one automaton per booking, `trip/<k>`.
//
// On `book` it asks every service of its shard to reserve, then collects one reply per service.
// When all have replied: no refusal → booked; otherwise it compensates, cancelling exactly the
// reservations that succeeded, and is compensated once every cancel is acknowledged. Waiting
// for all replies before deciding means a reservation that succeeds after another one failed is
// still seen and undone, so no reservation can leak. Duplicate or stray messages change nothing
// (a saga step is exactly-once under DARQ, but the orchestrator does not rely on it for safety).
//
// The outcome goes to the sink: `booked` or `compensated`, with the booking's start time.

import { assert } from "../../engine/io/assert.ts";
import { defineAutomaton, type AutomatonDefinition } from "../../engine/runtime/automaton.ts";
import type { StepContext } from "../../engine/runtime/context.ts";
import { automatonRef, type AutomatonRef } from "../../engine/runtime/ids.ts";
import { completed, sinkRef } from "../sink.ts";
import { serviceIdsOf, servicesMax, tripType, type ServiceMessage, type TripEvent, type TripMessage, type TripState } from "./saga-types.ts";

export type TripOptions = {
  readonly services: number;
  /** Modelled compute per orchestrator step, core-µs. */
  readonly workCoreUs: number;
};

export type TripDefinition = AutomatonDefinition<TripState, TripMessage, TripEvent>;

type Ctx = StepContext<TripEvent>;

export function tripDefinition(options: TripOptions): TripDefinition {
  const { services, workCoreUs } = options;
  assert(Number.isSafeInteger(services) && services >= 1 && services <= servicesMax, `services must be an integer in [1, ${servicesMax}], got ${services}`);
  const sink = sinkRef("travel-saga");
  // Service refs per shard, made once.
  const serviceRefs: AutomatonRef<ServiceMessage>[][] = [];
  const servicesOf = (shard: number): AutomatonRef<ServiceMessage>[] => {
    let refs = serviceRefs[shard];
    if (refs === undefined) {
      refs = serviceIdsOf(services, shard).map((id) => automatonRef<ServiceMessage>(id));
      serviceRefs[shard] = refs;
    }
    return refs;
  };

  const onBook = (ctx: Ctx, state: Readonly<TripState>, shard: number, startUs: number): void => {
    if (state.phase !== "new") return;
    ctx.emit({ type: "started", shard, startUs });
    const self = ctx.self as AutomatonRef<TripMessage>;
    for (const service of servicesOf(shard)) ctx.send(service, { type: "reserve", trip: self });
  };

  const onReply = (ctx: Ctx, state: Readonly<TripState>, service: number, reserved: boolean): void => {
    if (state.phase !== "reserving" || state.reserved.includes(service) || state.rejected.includes(service)) return;
    ctx.emit({ type: "replied", service, reserved });
    const replies = state.reserved.length + state.rejected.length + 1;
    if (replies < services) return;
    const rejectedAny = !reserved || state.rejected.length > 0;
    if (!rejectedAny) return settle(ctx, state, "booked");
    const toCancel = reserved ? [...state.reserved, service] : state.reserved;
    if (toCancel.length === 0) return settle(ctx, state, "compensated");
    ctx.emit({ type: "phase", phase: "compensating" });
    const refs = servicesOf(state.shard);
    const self = ctx.self as AutomatonRef<TripMessage>;
    for (const index of toCancel) ctx.send(refs[index]!, { type: "cancel", trip: self });
  };

  const onCancelled = (ctx: Ctx, state: Readonly<TripState>, service: number): void => {
    if (state.phase !== "compensating" || !state.reserved.includes(service) || state.cancelled.includes(service)) return;
    ctx.emit({ type: "cancelAcked", service });
    if (state.cancelled.length + 1 === state.reserved.length) settle(ctx, state, "compensated");
  };

  const settle = (ctx: Ctx, state: Readonly<TripState>, phase: "booked" | "compensated"): void => {
    ctx.emit({ type: "phase", phase });
    ctx.send(sink, completed(phase, state.startUs));
  };

  return defineAutomaton<TripState, TripMessage, TripEvent>({
    type: tripType,
    initial: () => ({ phase: "new", shard: 0, startUs: 0, reserved: [], rejected: [], cancelled: [] }),
    handle(ctx, state, message) {
      ctx.work(workCoreUs);
      switch (message.type) {
        case "book": onBook(ctx, state, message.shard, message.startUs); break;
        case "reserved": onReply(ctx, state, message.service, true); break;
        case "rejected": onReply(ctx, state, message.service, false); break;
        case "cancelled": onCancelled(ctx, state, message.service); break;
      }
      return undefined;
    },
    apply: tripApply,
  });
}

function tripApply(state: TripState, event: TripEvent): TripState {
  switch (event.type) {
    case "started":
      state.phase = "reserving";
      state.shard = event.shard;
      state.startUs = event.startUs;
      break;
    case "replied":
      (event.reserved ? state.reserved : state.rejected).push(event.service);
      break;
    case "cancelAcked":
      state.cancelled.push(event.service);
      break;
    case "phase":
      state.phase = event.phase;
      break;
  }
  return state;
}
