// Closed-form statistics the cost model plans with: the normal distribution, lognormal shapes
// fitted to a (p50, p99) pair, the M/M/c (Erlang C) queue, and quantiles of a weighted mixture.
//
// Why closed forms: the optimizer evaluates thousands of candidate placements per run, so the
// model must answer without sampling. Why here and not shared with sim/profiles: policies/ may
// not import sim/, and these few functions are small enough to own twice.

import { assert } from "../engine/io/assert.ts";

/** The standard normal's 99th percentile. */
export const z99 = 2.3263478740408408;

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9).
 */
export function normalQuantile(q: number): number {
  assert(q > 0 && q < 1, `normalQuantile needs 0 < q < 1, got ${q}`);
  const low = 0.02425;
  if (q < low) {
    const t = Math.sqrt(-2 * Math.log(q));
    return tailNumerator(t) / tailDenominator(t);
  }
  if (q > 1 - low) {
    const t = Math.sqrt(-2 * Math.log(1 - q));
    return -tailNumerator(t) / tailDenominator(t);
  }
  const t = q - 0.5;
  const r = t * t;
  const numerator = (((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r +
    1.38357751867269e2) * r - 3.066479806614716e1) * r + 2.506628277459239) * t;
  const denominator = ((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r +
    6.680131188771972e1) * r - 1.328068155288572e1) * r + 1;
  return numerator / denominator;
}

function tailNumerator(t: number): number {
  return ((((-7.784894002430293e-3 * t - 3.223964580411365e-1) * t - 2.400758277161838) * t -
    2.549732539343734) * t + 4.374664141464968) * t + 2.938163982698783;
}

function tailDenominator(t: number): number {
  return (((7.784695709041462e-3 * t + 3.224671290700398e-1) * t + 2.445134137142996) * t +
    3.754408661907416) * t + 1;
}

/**
 * Standard normal upper tail P(Z > z), from the Chebyshev fit of erfc in Numerical Recipes
 * (erfcc; fractional error < 1.2e-7 everywhere).
 */
export function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** Sigma of the lognormal whose median is `p50` and 99th percentile `p99` (0 when p99 ≤ p50). */
export function lognormalSigma(p50: number, p99: number): number {
  return p50 > 0 && p99 > p50 ? Math.log(p99 / p50) / z99 : 0;
}

/** The q-quantile of the lognormal fitted to (p50, p99). */
export function lognormalQuantile(p50: number, p99: number, q: number): number {
  const sigma = lognormalSigma(p50, p99);
  return sigma === 0 ? p50 : p50 * Math.exp(normalQuantile(q) * sigma);
}

/**
 * Erlang C: the probability that an arrival to an M/M/c queue waits, for `servers` servers and
 * offered load `a` = λ/μ (in servers). Requires a < servers. Uses the Erlang B recursion, which
 * is stable for large c. Fractional servers (a node with 2.5 spare cores) are rounded down, at
 * least 1: a partial core serves, but not as a whole extra server.
 */
export function erlangC(servers: number, a: number): number {
  const c = Math.max(1, Math.floor(servers));
  assert(a >= 0 && a < c, `erlangC needs 0 ≤ a < c, got a=${a}, c=${c}`);
  if (a === 0) return 0;
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  const rho = a / c;
  return b / (1 - rho * (1 - b));
}

/**
 * The q-quantile of the waiting time in an M/M/c queue, in the unit of `serviceMean`:
 * P(W > t) = C · e^(−(cμ − λ) t), so t_q = ln(C / (1 − q)) / (cμ − λ), or 0 when C ≤ 1 − q.
 */
export function mmcWaitQuantile(servers: number, a: number, serviceMean: number, q: number): number {
  if (a <= 0 || serviceMean <= 0) return 0;
  const c = Math.max(1, Math.floor(servers));
  const waitChance = erlangC(c, a);
  if (waitChance <= 1 - q) return 0;
  const drainRate = (c - a) / serviceMean;
  return Math.log(waitChance / (1 - q)) / drainRate;
}

/** Scratch for mixtureQuantile: one lognormal component per index (reused, no allocation). */
export type Mixture = {
  count: number;
  readonly weight: Float64Array;
  readonly logMedian: Float64Array;
  readonly sigma: Float64Array;
};

export function mixtureCreate(capacity: number): Mixture {
  return {
    count: 0,
    weight: new Float64Array(capacity),
    logMedian: new Float64Array(capacity),
    sigma: new Float64Array(capacity),
  };
}

/** Adds a lognormal component fitted to (p50, p99) with a non-negative weight. */
export function mixtureAdd(mixture: Mixture, weight: number, p50: number, p99: number): void {
  assert(mixture.count < mixture.weight.length, "mixture capacity exceeded");
  const index = mixture.count++;
  mixture.weight[index] = weight;
  mixture.logMedian[index] = Math.log(Math.max(p50, 1e-9));
  mixture.sigma[index] = lognormalSigma(p50, p99);
}

/** Beyond this many sigmas a component's tail is 0 or 1 to double precision (5e-17). */
const zCutoff = 8.3;

/** P(X > x) of the mixture, weights normalised by `total`. */
function mixtureTail(mixture: Mixture, logX: number, total: number): number {
  let tail = 0;
  for (let index = 0; index < mixture.count; index++) {
    const weight = mixture.weight[index]!;
    if (weight === 0) continue;
    const sigma = mixture.sigma[index]!;
    const distance = logX - mixture.logMedian[index]!;
    if (sigma === 0) {
      if (distance < 0) tail += weight;
      continue;
    }
    const z = distance / sigma;
    if (z < -zCutoff) tail += weight;
    else if (z <= zCutoff) tail += weight * normalTail(z);
  }
  return tail / total;
}

/**
 * The q-quantile of the weighted mixture. It lies between the smallest and the largest of the
 * components' own q-quantiles (at the first every component is at most q, at the last at least
 * q), so the search starts from that bracket on log x. It uses false position with the Illinois
 * modification (a retained end's value is halved, so both ends move): superlinear on the smooth
 * mixture, still bracketed on point masses; it stops at a relative width of 1e-7. Returns 0 for an
 * empty or weightless mixture.
 */
export function mixtureQuantile(mixture: Mixture, q: number): number {
  const zq = normalQuantile(q);
  let total = 0;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < mixture.count; index++) {
    if (mixture.weight[index]! <= 0) continue;
    total += mixture.weight[index]!;
    const logQuantile = mixture.logMedian[index]! + zq * mixture.sigma[index]!;
    if (logQuantile < low) low = logQuantile;
    if (logQuantile > high) high = logQuantile;
  }
  if (total === 0) return 0;
  // excess(x) = P(X ≤ x) − q, increasing in x: ≤ 0 at low, ≥ 0 at high.
  const excess = (logX: number) => 1 - mixtureTail(mixture, logX, total) - q;
  let lowExcess = excess(low);
  if (lowExcess >= 0) return Math.exp(low);
  let highExcess = excess(high);
  let side = 0;
  for (let iteration = 0; iteration < 100 && high - low > 1e-7; iteration++) {
    const spread = highExcess - lowExcess;
    const guess = spread > 0 ? low - (lowExcess * (high - low)) / spread : (low + high) / 2;
    const middle = guess > low && guess < high ? guess : (low + high) / 2;
    const value = excess(middle);
    if (value < 0) {
      low = middle;
      lowExcess = value;
      if (side === -1) highExcess /= 2;
      side = -1;
    } else {
      high = middle;
      highExcess = value;
      if (side === 1) lowExcess /= 2;
      side = 1;
    }
  }
  return Math.exp((low + high) / 2);
}
