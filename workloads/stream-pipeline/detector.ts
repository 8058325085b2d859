// The stream pipeline's anomaly detector, `detect/<key>`: a z-score test of each window
// aggregate of its key against the running mean and variance of the aggregates seen before.
//
// An aggregate is the mean of `count` readings, so its spread shrinks with √count: a window of
// one reading strays further by chance than a window of twenty. The detector therefore keeps
// statistics of the readings, not of the window means: a count-weighted running mean and the
// per-reading variance estimated from the weighted squared deviations of the window means
// (the weighted form of Welford's online algorithm: numerically stable, O(1) state). The
// z-score of a window mean x of n readings is |x − mean| · √n / sd.
//
// After `warmupCount` aggregates, one with a z-score above `zThreshold` is an anomaly: the
// detector sends an alert to the sink and leaves it out of the running statistics, so one
// spike does not widen the band that judges the next ones. Before warm-up, or within the band,
// the aggregate is folded in. With zero variance so far, any different value is an anomaly.

import { assert } from "../../engine/io/assert.ts";
import { defineAutomaton, type AutomatonDefinition } from "../../engine/runtime/automaton.ts";
import { completed, sinkRef } from "../sink.ts";
import { detectorType, type KeyAggregate } from "./stream-types.ts";

export type DetectorState = {
  /** Aggregates folded into the statistics. */
  count: number;
  /** Readings behind them (the weights). */
  weight: number;
  /** Count-weighted mean of the window means: the mean reading. */
  mean: number;
  /** Weighted sum of squared deviations of the window means (Welford's M2, weighted). */
  squaresSum: number;
  alerts: number;
};

export type DetectorEvent =
  | { readonly type: "observed"; readonly value: number; readonly weight: number }
  | { readonly type: "alert" };

export type DetectorOptions = {
  readonly warmupCount: number;
  readonly zThreshold: number;
  /** Modelled compute per aggregate, core-µs. */
  readonly workCoreUs: number;
};

export type DetectorDefinition = AutomatonDefinition<DetectorState, KeyAggregate, DetectorEvent>;

/** The per-reading standard deviation estimated so far (0 before two aggregates). */
export function readingSd(state: Readonly<DetectorState>): number {
  return state.count < 2 ? 0 : Math.sqrt(state.squaresSum / (state.count - 1));
}

/** The z-score of a window mean `value` of `weight` readings (0 when it equals the mean exactly). */
export function zScore(state: Readonly<DetectorState>, value: number, weight: number): number {
  const deviation = Math.abs(value - state.mean);
  const sd = readingSd(state);
  if (sd === 0) return deviation === 0 ? 0 : Number.POSITIVE_INFINITY;
  return (deviation * Math.sqrt(weight)) / sd;
}

export function detectorDefinition(options: DetectorOptions): DetectorDefinition {
  const { warmupCount, zThreshold, workCoreUs } = options;
  assert(Number.isSafeInteger(warmupCount) && warmupCount >= 2, `warmupCount must be an integer ≥ 2, got ${warmupCount}`);
  assert(zThreshold > 0, `zThreshold must be > 0, got ${zThreshold}`);
  const sink = sinkRef("stream-pipeline");
  return defineAutomaton<DetectorState, KeyAggregate, DetectorEvent>({
    type: detectorType,
    initial: () => ({ count: 0, weight: 0, mean: 0, squaresSum: 0, alerts: 0 }),
    handle(ctx, state, aggregate) {
      ctx.work(workCoreUs);
      if (state.count >= warmupCount && zScore(state, aggregate.mean, aggregate.count) > zThreshold) {
        ctx.emit({ type: "alert" });
        ctx.send(sink, completed("alert", aggregate.lastEventUs));
      } else {
        ctx.emit({ type: "observed", value: aggregate.mean, weight: aggregate.count });
      }
      return undefined;
    },
    apply(state, event) {
      if (event.type === "alert") {
        state.alerts++;
        return state;
      }
      state.count++;
      state.weight += event.weight;
      const delta = event.value - state.mean;
      state.mean += (event.weight / state.weight) * delta;
      state.squaresSum += event.weight * delta * (event.value - state.mean);
      return state;
    },
  });
}
