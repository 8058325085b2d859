// The end-to-end ledger: what a run of a case must produce if every message takes effect exactly
// once, worked out without the runtime. Each injection starts a chain of hop messages; the
// ledger feeds every message once to the hop automaton's own handler (the pure step builder,
// engine/runtime/step-builder.ts), folds the events with its `apply`, forwards its sends, and
// collects what goes to the sink. The hop workload decides everything from the message alone
// and folds state commutatively (sim/cluster/swarm-workload.ts), so arrival order does not
// matter and the ledger is exact: a run with one output too many lost exactly-once, one with an
// output too few lost a message, whatever the faults did.
//
// This is independent of the fault-free oracle run: the oracle can be wrong too (a bug that needs
// no fault), and the ledger catches that.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import { applyEvents, StepBuilder } from "../../engine/runtime/step-builder.ts";
import { hopDefinition, reportKey, type HopMessage, type HopState } from "../cluster/swarm-workload.ts";
import type { SwarmInjection } from "../cluster/swarm.ts";

export type Ledger = {
  /** Sink outputs as report keys, sorted. */
  readonly outputs: readonly string[];
  /** Final state per automaton id that received at least one message, keys sorted. */
  readonly states: Readonly<Record<string, HopState>>;
  /** Steps the ledger took (messages delivered). */
  readonly steps: number;
};

/** The hop workload cannot fan out without bound (hops shrink), but a limit makes that a fact. */
const stepsMax = 1_000_000;

type Pending = { readonly to: string; readonly message: HopMessage };

export function ledgerOf(counters: number, injections: readonly SwarmInjection[]): Ledger {
  const definition = hopDefinition(counters);
  const builders = new Map<string, StepBuilder<HopState, HopMessage, { amount: number; digest: number }>>();
  const states = new Map<string, HopState>();
  const outputs: string[] = [];
  const work: Pending[] = injections.map((injection) => ({
    to: `hop/${injection.to}`, message: { type: "hop", tag: injection.tag, hops: injection.hops, amount: 1 },
  }));
  let steps = 0;
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    if (++steps > stepsMax) throw new SsmsError(ErrorCode.limitExceeded, `the ledger took more than ${stepsMax} steps`);
    const id = next.to as AutomatonId;
    let builder = builders.get(id);
    if (builder === undefined) {
      builder = new StepBuilder(definition, id);
      builders.set(id, builder);
    }
    const state = states.get(id) ?? definition.initial();
    const built = builder.build(state, next.message, { lsn: steps, nowUs: 0, replyTo: undefined });
    if (!built.ok) throw new SsmsError(ErrorCode.handlerFailed, `ledger: ${built.reason}`);
    const applied = applyEvents(definition, id, state, built.value.events, { nowUs: 0 });
    if (!applied.ok) throw new SsmsError(ErrorCode.handlerFailed, `ledger: ${applied.reason}`);
    states.set(id, applied.value);
    for (const send of built.value.sends) {
      if (send.to.startsWith("sink/")) outputs.push(reportKey(send.message));
      else work.push({ to: send.to, message: send.message as HopMessage });
    }
  }
  const sorted: Record<string, HopState> = {};
  for (const id of [...states.keys()].sort()) sorted[id] = states.get(id)!;
  return { outputs: outputs.sort(), states: sorted, steps };
}

/** Elements of `a` not matched by an element of `b` (multiset difference), in `a`'s order. */
export function multisetMinus(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const item of b) left.set(item, (left.get(item) ?? 0) + 1);
  const result: string[] = [];
  for (const item of a) {
    const have = left.get(item) ?? 0;
    if (have > 0) left.set(item, have - 1);
    else result.push(item);
  }
  return result;
}
