// Latency distributions from a profile, turned into samplers the models call per event.
//
// A profile states a latency as constant, uniform [min, max], or lognormal given its median and
// p99 (the two numbers sources quote). The lognormal's sigma follows from them:
// p99 = median · e^(z99 · sigma), z99 = 2.3263 (the standard normal's 99th percentile), so
// sigma = ln(p99 / median) / z99. A sampler is built once per distribution and allocates nothing
// per call; it draws from the Random stream it is given, so each model keeps its own stream.
// Samples are integer microseconds (virtual time is integral), rounded to nearest, never negative.

import { assert } from "../../engine/io/assert.ts";
import type { Random } from "../../engine/io/random.ts";
import { lognormal, uniform } from "../distributions.ts";
import type { Latency } from "./schema.ts";

/** The standard normal's 99th percentile. */
export const z99 = 2.3263478740408408;

export type LatencySampler = (random: Random) => number;

/** sigma of the underlying normal for a lognormal with this median and p99. */
export function lognormalSigma(medianUs: number, p99Us: number): number {
  return Math.log(p99Us / medianUs) / z99;
}

/** Builds a sampler of integer microseconds for `latency`. */
export function latencySampler(latency: Latency): LatencySampler {
  switch (latency.kind) {
    case "constant": {
      const valueUs = Math.max(0, Math.round(latency.valueUs));
      return () => valueUs;
    }
    case "uniform": {
      const { minUs, maxUs } = latency;
      return (random) => Math.round(uniform(random, minUs, maxUs));
    }
    case "lognormal": {
      const { medianUs } = latency;
      const sigma = lognormalSigma(medianUs, latency.p99Us);
      return (random) => Math.round(lognormal(random, medianUs, sigma));
    }
  }
}

/** The distribution's q-quantile in µs (0 < q < 1), for cost models that plan without sampling. */
export function latencyQuantileUs(latency: Latency, q: number): number {
  switch (latency.kind) {
    case "constant":
      return latency.valueUs;
    case "uniform":
      return latency.minUs + q * (latency.maxUs - latency.minUs);
    case "lognormal":
      return latency.medianUs * Math.exp(normalQuantile(q) * lognormalSigma(latency.medianUs, latency.p99Us));
  }
}

/** Mean in µs: what a throughput model needs. */
export function latencyMeanUs(latency: Latency): number {
  switch (latency.kind) {
    case "constant":
      return latency.valueUs;
    case "uniform":
      return (latency.minUs + latency.maxUs) / 2;
    case "lognormal": {
      const sigma = lognormalSigma(latency.medianUs, latency.p99Us);
      return latency.medianUs * Math.exp((sigma * sigma) / 2);
    }
  }
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9),
 * enough for quoting quantiles of a model.
 */
export function normalQuantile(q: number): number {
  assert(q > 0 && q < 1, `normalQuantile needs 0 < q < 1, got ${q}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (k: readonly number[], x: number): number => k.reduce((sum, coefficient) => sum * x + coefficient, 0);
  if (q < low) {
    const t = Math.sqrt(-2 * Math.log(q));
    return poly(c, t) / (poly(d, t) * t + 1);
  }
  if (q > 1 - low) {
    const t = Math.sqrt(-2 * Math.log(1 - q));
    return -poly(c, t) / (poly(d, t) * t + 1);
  }
  const t = q - 0.5;
  const r = t * t;
  return (poly(a, r) * t) / (poly(b, r) * r + 1);
}
