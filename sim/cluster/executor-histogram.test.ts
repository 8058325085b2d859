// LogHistogram: percentiles without per-sample storage. Proves: on random samples spanning six
// orders of magnitude its p50/p95/p99 stay within the bucket error (±2.3%) of the exact
// nearest-rank percentiles; an empty histogram says NaN; merge equals adding the samples; clear
// starts over.

import test from "ava";
import { RandomSim } from "../random-sim.ts";
import { LogHistogram } from "./executor-histogram.ts";

function exact(sorted: readonly number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

test("percentiles are within the bucket error of exact ones", (t) => {
  const random = new RandomSim("histogram");
  const samples: number[] = [];
  const histogram = new LogHistogram();
  for (let index = 0; index < 20_000; index++) {
    const value = Math.round(Math.exp(random.float() * Math.log(1e6)));
    samples.push(value);
    histogram.add(value);
  }
  samples.sort((a, b) => a - b);
  for (const q of [0.5, 0.95, 0.99]) {
    const want = exact(samples, q);
    const got = histogram.quantile(q);
    t.true(Math.abs(got - want) / want < 0.023, `q=${q}: ${got} vs exact ${want}`);
  }
  t.is(histogram.count, 20_000);
});

test("empty is NaN; merge adds; clear starts over", (t) => {
  const a = new LogHistogram();
  t.true(Number.isNaN(a.quantile(0.5)));
  const b = new LogHistogram();
  a.add(100);
  b.add(10_000);
  b.add(10_000);
  a.merge(b);
  t.is(a.count, 3);
  t.true(Math.abs(a.quantile(0.99) - 10_000) / 10_000 < 0.023);
  t.true(Math.abs(a.quantile(0.01) - 100) / 100 < 0.023);
  a.clear();
  t.is(a.count, 0);
  t.true(Number.isNaN(a.quantile(0.99)));
});
