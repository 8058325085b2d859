// The stream pipeline's filter, `filter/<region>`: forwards valid readings to the region's
// aggregator and drops the rest (sensor error codes). It keeps no state, so its steps write no
// SELF message: a filter step costs one consumed input and at most one out-message.

import { defineAutomaton, type AutomatonDefinition } from "../../engine/runtime/automaton.ts";
import type { AutomatonRef } from "../../engine/runtime/ids.ts";
import { filterType, readingValid, type AggregatorMessage, type StreamEvent } from "./stream-types.ts";

export type FilterOptions = {
  /** The aggregator of each region, by region index. */
  readonly aggregatorOf: (region: number) => AutomatonRef<AggregatorMessage>;
  /** Modelled compute per event, core-µs. */
  readonly workCoreUs: number;
};

export type FilterDefinition = AutomatonDefinition<null, StreamEvent, never>;

export function filterDefinition(options: FilterOptions): FilterDefinition {
  const { aggregatorOf, workCoreUs } = options;
  return defineAutomaton<null, StreamEvent, never>({
    type: filterType,
    initial: () => null,
    handle(ctx, _state, event) {
      ctx.work(workCoreUs);
      if (readingValid(event.value)) ctx.send(aggregatorOf(event.region), event);
      return undefined;
    },
    apply: (state) => state,
  });
}
