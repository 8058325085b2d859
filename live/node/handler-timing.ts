// Handler timing: the wall time a node's event loop spends inside automata's `handle`, per type.
// A live pi-chain step computes pi for real inside its handler, so this is what a step's compute
// took on this machine while the run was going on, preemption and a busy sibling hyperthread
// included: the simulator's speed factor for that run (bench/live-vs-sim.ts). The loop's busy
// time beyond it is the runtime's own cost per step.
//
// Back to back: a call that began within `backToBackGapMs` of the end of the loop's previous
// handler call (any type) found work waiting or nearly so — the loop ran tasks one after another
// (in one go, or after a short flush) rather than picking up one that arrived while it was idle.
// Its share hints at the regime a run fell into (live/README.md "Two or more chains"); the simulator
// counts steps that waited for a busy core (computeQueuedShare) beside it.
//
// Live only: the handler is wrapped where a node loads its definitions, so the engine and the
// workloads never read real time (DESIGN §6).

import { performance } from "node:perf_hooks";
import type { AnyAutomatonDefinition } from "../../engine/runtime/automaton.ts";

/** Handler wall time of one automaton type. */
type TypeTiming = { readonly type: string; calls: number; us: number; backToBack: number };

/** Longer than the runtime's own work between two queued inputs (decode, submit: ~0.5 ms), shorter than a flush plus a hop. */
export const backToBackGapMsDefault = 1;

export class HandlerTiming {
  private readonly byType = new Map<string, TypeTiming>();
  /** When the loop's previous handler call ended (performance.now() ms), -∞ before any. */
  private lastEndMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly backToBackGapMs = backToBackGapMsDefault) {}

  /** `definition` with its handler timed here (everything else unchanged). */
  wrap(definition: AnyAutomatonDefinition): AnyAutomatonDefinition {
    const timing: TypeTiming = { type: definition.type, calls: 0, us: 0, backToBack: 0 };
    const loop = this;
    this.byType.set(definition.type, timing);
    const handle = definition.handle;
    return Object.freeze({
      ...definition,
      handle(ctx: Parameters<typeof handle>[0], state: Parameters<typeof handle>[1], message: Parameters<typeof handle>[2]) {
        const startMs = performance.now();
        if (startMs - loop.lastEndMs < loop.backToBackGapMs) timing.backToBack++;
        try {
          return handle(ctx, state, message);
        } finally {
          loop.lastEndMs = performance.now();
          timing.us += (loop.lastEndMs - startMs) * 1000;
          timing.calls++;
        }
      },
    });
  }

  /** Every definition of `definitions` wrapped, by type. */
  wrapAll(definitions: ReadonlyMap<string, AnyAutomatonDefinition>): Map<string, AnyAutomatonDefinition> {
    return new Map([...definitions].map(([type, definition]) => [type, this.wrap(definition)]));
  }

  /** Calls, total wall time (µs) and back-to-back calls per type, sorted by type. */
  totals(): { type: string; calls: number; us: number; backToBack: number }[] {
    return [...this.byType.values()].map(({ type, calls, us, backToBack }) => ({ type, calls, us, backToBack })).sort((a, b) => a.type.localeCompare(b.type));
  }
}
