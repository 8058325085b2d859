// Distributions drawn from the Random seam, for workloads (arrival processes, sizes), policies
// (randomised choices) and the simulator's models (latency, fault times). They live beside the
// seam, not in sim/, because policies/ and workloads/ may not import sim/. Each function draws a
// fixed number of values per call where it can (normal: two), so a stream's later draws do not
// depend on a branch taken earlier; none keeps hidden state (no cached Box–Muller spare).

import { assert } from "./assert.ts";
import type { Random } from "./random.ts";

/** Exponential with the given mean (e.g. inter-arrival time of a Poisson process). */
export function exponential(random: Random, mean: number): number {
  assert(mean >= 0 && Number.isFinite(mean), `exponential needs a finite mean ≥ 0, got ${mean}`);
  // 1 - u lies in (0, 1], so the logarithm is finite.
  return -mean * Math.log(1 - random.float());
}

/** Normal (Gaussian) by Box–Muller; draws two uniforms per call. */
export function normal(random: Random, mean: number, sd: number): number {
  assert(sd >= 0 && Number.isFinite(sd), `normal needs a finite sd ≥ 0, got ${sd}`);
  const u1 = 1 - random.float();
  const u2 = random.float();
  return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Log-normal given its median and the sd of the underlying normal (`sigma`): the usual shape
 * of network and storage latencies, where the median is what price sheets and papers quote.
 */
export function lognormal(random: Random, median: number, sigma: number): number {
  assert(median > 0 && Number.isFinite(median), `lognormal needs a finite median > 0, got ${median}`);
  return median * Math.exp(normal(random, 0, sigma));
}

/** Pareto with scale `minimum` and shape `alpha` (heavy tails: object sizes, hot keys). */
export function pareto(random: Random, minimum: number, alpha: number): number {
  assert(minimum > 0 && alpha > 0, `pareto needs minimum > 0 and alpha > 0, got ${minimum}, ${alpha}`);
  return minimum / Math.pow(1 - random.float(), 1 / alpha);
}

/** Uniform float in [min, max). */
export function uniform(random: Random, min: number, max: number): number {
  assert(min <= max, `uniform needs min ≤ max, got ${min}, ${max}`);
  return min + (max - min) * random.float();
}

/** One element, uniformly. */
export function pick<T>(random: Random, items: readonly T[]): T {
  assert(items.length > 0, "pick from an empty array");
  return items[random.int(items.length)]!;
}

/** Index drawn with probability proportional to its (non-negative) weight. */
export function weightedIndex(random: Random, weights: readonly number[]): number {
  let total = 0;
  for (const weight of weights) {
    assert(weight >= 0 && Number.isFinite(weight), `weights must be finite and ≥ 0, got ${weight}`);
    total += weight;
  }
  assert(total > 0, "weightedIndex needs at least one positive weight");
  let target = random.float() * total;
  for (let index = 0; index < weights.length; index++) {
    target -= weights[index]!;
    if (target < 0) return index;
  }
  // Rounding can leave target ≥ 0 after the loop; the last positive weight owns that sliver.
  for (let index = weights.length - 1; ; index--) if (weights[index]! > 0) return index;
}

/** Shuffles `items` in place (Fisher–Yates) and returns it. */
export function shuffle<T>(random: Random, items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = random.int(index + 1);
    const item = items[index]!;
    items[index] = items[other]!;
    items[other] = item;
  }
  return items;
}
