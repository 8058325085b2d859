// The workload of the indistinguishability test: "hop counters" that add what they receive and
// pass a message on along a chain whose every hop is decided by the message alone (a hash of its
// tag and hop count), fanning out now and then, and report some hops to the external sink.
//
// Why this shape: a crash changes timing, interleavings and LSNs, but never which messages exist.
// Every decision here depends only on the message, never on arrival order, time, LSN-seeded
// randomness or state read in the handler, and the state folds commutatively (count, sum, a sum
// of message digests). So a correct runtime must give exactly the fault-free run's sink outputs
// (as a multiset, each exactly once) and final states, whatever the faults; any lost, duplicated
// or re-executed-and-recommitted step shows up as a difference.

import { defineAutomaton } from "../../engine/runtime/automaton.ts";
import type { AutomatonRef } from "../../engine/runtime/ids.ts";
import { idHash32 } from "../../engine/runtime/step-random.ts";

export type HopMessage = { readonly type: "hop"; readonly tag: string; readonly hops: number; readonly amount: number };
export type HopState = { count: number; sum: number; digest: number };
type HopEvent = { readonly amount: number; readonly digest: number };

/** What the sink receives: a report of one hop. */
export type HopReport = { readonly tag: string; readonly hops: number; readonly by: string; readonly amount: number };

/** How many hop counters the workload spreads over (`hop/0` … `hop/<count-1>`). */
export const hopCountersDefault = 6;

function mix(tag: string, hops: number, salt: number): number {
  return idHash32(`${tag}#${hops}#${salt}`);
}

export function hopDefinition(counters: number) {
  return defineAutomaton<HopState, HopMessage, HopEvent>({
    type: "hop",
    initial: () => ({ count: 0, sum: 0, digest: 0 }),
    handle(ctx, _state, message) {
      const { tag, hops, amount } = message;
      ctx.work(50 + (mix(tag, hops, 0) % 200));
      ctx.emit({ amount, digest: mix(tag, hops, 1) % 1_000_003 });
      if (hops % 3 === 0) {
        ctx.send("sink/out" as AutomatonRef<HopReport>, { tag, hops, by: ctx.self, amount });
      }
      if (hops === 0) return undefined;
      const next = mix(tag, hops, 2) % counters;
      ctx.send(`hop/${next}` as AutomatonRef<HopMessage>, { type: "hop", tag, hops: hops - 1, amount: amount + 1 });
      // Fan out now and then: a second, shorter chain with its own tag.
      if (mix(tag, hops, 3) % 7 === 0 && hops > 2) {
        const other = mix(tag, hops, 4) % counters;
        ctx.send(`hop/${other}` as AutomatonRef<HopMessage>, { type: "hop", tag: `${tag}.f${hops}`, hops: hops - 2, amount });
      }
      return undefined;
    },
    apply(state, event) {
      state.count += 1;
      state.sum += event.amount;
      state.digest = (state.digest + event.digest) % 1_000_003;
      return state;
    },
  });
}

/** A report as a sortable string, for multiset comparison. */
export function reportKey(report: unknown): string {
  const r = report as HopReport;
  return `${r.tag}|${r.hops}|${r.by}|${r.amount}`;
}
