// Tests of the latency samplers: a lognormal given (median, p99) really has that median and p99,
// samples are integer µs from the caller's stream (so runs replay), and the closed-form quantile
// and mean agree with the definitions.

import test from "ava";
import { RandomSim } from "../random-sim.ts";
import { latencyMeanUs, latencyQuantileUs, latencySampler, lognormalSigma, normalQuantile, z99 } from "./latency.ts";
import { loadCloudProfile } from "./load.ts";
import type { Latency } from "./schema.ts";

function samples(latency: Latency, count: number, seed: string): Float64Array {
  const sample = latencySampler(latency);
  const random = new RandomSim(seed);
  const out = new Float64Array(count);
  for (let index = 0; index < count; index++) out[index] = sample(random);
  return out.sort();
}

test("a lognormal sampler's empirical median and p99 match the profile's figures within 5%", (t) => {
  const latency: Latency = { kind: "lognormal", medianUs: 1549, p99Us: 3000 };
  const sorted = samples(latency, 40_000, "latency-lognormal");
  const median = sorted[20_000]!;
  const p99 = sorted[39_600]!;
  t.true(Math.abs(median - 1549) / 1549 < 0.05, `median ${median}`);
  t.true(Math.abs(p99 - 3000) / 3000 < 0.05, `p99 ${p99}`);
});

test("samples are non-negative integers and the same seed replays the same values", (t) => {
  const profile = loadCloudProfile("azure-2024");
  const latency = profile.network.links.crossZone.oneWayLatency;
  const first = samples(latency, 1000, "replay");
  const second = samples(latency, 1000, "replay");
  t.deepEqual(first, second);
  t.true(first.every((value) => Number.isInteger(value) && value >= 0));
  t.notDeepEqual(first, samples(latency, 1000, "another seed"));
});

test("constant and uniform samplers stay at or within their figures", (t) => {
  t.true(samples({ kind: "constant", valueUs: 42 }, 100, "c").every((value) => value === 42));
  const uniform = samples({ kind: "uniform", minUs: 10, maxUs: 20 }, 1000, "u");
  t.true(uniform[0]! >= 10 && uniform[999]! <= 20);
  t.true(uniform[999]! - uniform[0]! > 8, "a thousand draws should span most of [10, 20]");
});

test("quantiles and means follow the lognormal definition", (t) => {
  t.true(Math.abs(normalQuantile(0.99) - z99) < 1e-8);
  t.true(Math.abs(normalQuantile(0.5)) < 1e-12);
  t.true(Math.abs(normalQuantile(0.01) + z99) < 1e-8);
  t.true(Math.abs(normalQuantile(0.001) + 3.090232306) < 1e-7);
  const latency: Latency = { kind: "lognormal", medianUs: 200_000, p99Us: 1_490_000 };
  t.true(Math.abs(latencyQuantileUs(latency, 0.5) - 200_000) < 1e-6);
  t.true(Math.abs(latencyQuantileUs(latency, 0.99) - 1_490_000) < 1e-3);
  // σ = ln(1490/200)/2.3263 ≈ 0.8633; mean = 200 ms × e^(σ²/2) ≈ 290 ms, the measured average.
  const sigma = lognormalSigma(200_000, 1_490_000);
  t.true(Math.abs(sigma - 0.8633) < 1e-3);
  t.true(Math.abs(latencyMeanUs(latency) - 290_000) < 2_000);
  t.is(latencyQuantileUs({ kind: "uniform", minUs: 10, maxUs: 20 }, 0.25), 12.5);
});
