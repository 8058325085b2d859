// Handler timing: the wall time a node's event loop spends inside automata's `handle`, per type.
// A live pi-chain step computes pi for real inside its handler, so this is what a step's compute
// took on this machine while the run was going on, preemption and a busy sibling hyperthread
// included: the simulator's speed factor for that run (bench/live-vs-sim.ts). The loop's busy
// time beyond it is the runtime's own cost per step.
//
// Live only: the handler is wrapped where a node loads its definitions, so the engine and the
// workloads never read real time (DESIGN §6).

import { performance } from "node:perf_hooks";
import type { AnyAutomatonDefinition } from "../../engine/runtime/automaton.ts";

/** Handler wall time of one automaton type. */
type TypeTiming = { readonly type: string; calls: number; us: number };

export class HandlerTiming {
  private readonly byType = new Map<string, TypeTiming>();

  /** `definition` with its handler timed here (everything else unchanged). */
  wrap(definition: AnyAutomatonDefinition): AnyAutomatonDefinition {
    const timing: TypeTiming = { type: definition.type, calls: 0, us: 0 };
    this.byType.set(definition.type, timing);
    const handle = definition.handle;
    return Object.freeze({
      ...definition,
      handle(ctx: Parameters<typeof handle>[0], state: Parameters<typeof handle>[1], message: Parameters<typeof handle>[2]) {
        const startMs = performance.now();
        try {
          return handle(ctx, state, message);
        } finally {
          timing.us += (performance.now() - startMs) * 1000;
          timing.calls++;
        }
      },
    });
  }

  /** Every definition of `definitions` wrapped, by type. */
  wrapAll(definitions: ReadonlyMap<string, AnyAutomatonDefinition>): Map<string, AnyAutomatonDefinition> {
    return new Map([...definitions].map(([type, definition]) => [type, this.wrap(definition)]));
  }

  /** Calls and total wall time (µs) per type, sorted by type. */
  totals(): { type: string; calls: number; us: number }[] {
    return [...this.byType.values()].map(({ type, calls, us }) => ({ type, calls, us })).sort((a, b) => a.type.localeCompare(b.type));
  }
}
