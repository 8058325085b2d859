// The distribution helpers, re-exported for simulator code. They are implemented beside the Random
// seam (engine/io/distributions.ts) so that policies/ and workloads/, which may not import sim/,
// use the very same functions.

export {
  exponential,
  lognormal,
  normal,
  pareto,
  pick,
  shuffle,
  uniform,
  weightedIndex,
} from "../engine/io/distributions.ts";
