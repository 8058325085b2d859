// The sink: where a workload's finished work goes. Every workload reports outcomes the same way,
// a `completed` message to `sink/<workload kind>` carrying the outcome, when the work began and
// how many items it finishes, so one executor measures throughput and latency for all of them.
//
// The executor may treat the sink as the world outside the system (count the message when the
// sending step commits and deliver it nowhere), or host this definition like any automaton; it
// then keeps a tally per outcome that survives crashes like any state.

import { defineAutomaton } from "../engine/runtime/automaton.ts";
import { automatonIdType, type AutomatonId, type AutomatonRef } from "../engine/runtime/ids.ts";
import { CompletionScratch, type Completion } from "./driver.ts";

export const sinkType = "sink";

export type SinkMessage = {
  readonly type: "completed";
  readonly outcome: string;
  readonly startUs: number;
  readonly items: number;
};

export type SinkTally = { readonly completions: number; readonly items: number; readonly latencyUsSum: number };

export type SinkState = { outcomes: Record<string, SinkTally> };

type SinkEvent = { readonly outcome: string; readonly items: number; readonly latencyUs: number };

export const sink = defineAutomaton<SinkState, SinkMessage, SinkEvent>({
  type: sinkType,
  initial: () => ({ outcomes: {} }),
  handle(ctx, _state, message) {
    ctx.emit({ outcome: message.outcome, items: message.items, latencyUs: ctx.nowUs() - message.startUs });
    return undefined;
  },
  apply(state, event) {
    const tally = state.outcomes[event.outcome] ?? { completions: 0, items: 0, latencyUsSum: 0 };
    state.outcomes[event.outcome] = {
      completions: tally.completions + 1,
      items: tally.items + event.items,
      latencyUsSum: tally.latencyUsSum + event.latencyUs,
    };
    return state;
  },
});

/** The sink of one workload kind. */
export function sinkRef(kind: string): AutomatonRef<SinkMessage> {
  return sink.ref(kind);
}

/** A completed-work message. */
export function completed(outcome: string, startUs: number, items = 1): SinkMessage {
  return { type: "completed", outcome, startUs, items };
}

/** True when `id` names a sink. */
export function isSink(id: AutomatonId): boolean {
  return automatonIdType(id) === sinkType;
}

/**
 * The completion a message to a sink stands for, written into `scratch`; undefined for any other
 * message. Workloads whose completions are visible in other messages check those first.
 */
export function sinkCompletion(to: AutomatonId, message: unknown, scratch: CompletionScratch): Completion | undefined {
  if (!isSink(to) || typeof message !== "object" || message === null) return undefined;
  const sent = message as Partial<SinkMessage>;
  if (sent.type !== "completed" || typeof sent.outcome !== "string" || typeof sent.startUs !== "number") return undefined;
  return scratch.set(sent.outcome, sent.startUs, typeof sent.items === "number" ? sent.items : 1);
}
