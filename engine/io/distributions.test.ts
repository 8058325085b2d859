// Distribution helpers: sample statistics match the parameters (fixed seeds, so the tolerances
// are deterministic), choices cover their domain, shuffle is a permutation, and impossible
// parameters are refused.

import test from "ava";
import { exponential, lognormal, normal, pareto, pick, shuffle, uniform, weightedIndex } from "./distributions.ts";
import { RandomNode } from "./node/random-node.ts";

const sampleCount = 20_000;

function sample(draw: () => number): number[] {
  return Array.from({ length: sampleCount }, draw);
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1]!;
}

test("exponential has the requested mean and is never negative", (t) => {
  const random = new RandomNode("exponential");
  const values = sample(() => exponential(random, 250));
  t.true(Math.abs(mean(values) / 250 - 1) < 0.03, `mean ${mean(values)}`);
  t.true(values.every((value) => value >= 0 && Number.isFinite(value)));
  t.is(exponential(random, 0), 0);
});

test("normal has the requested mean and standard deviation", (t) => {
  const random = new RandomNode("normal");
  const values = sample(() => normal(random, 10, 2));
  const average = mean(values);
  const sd = Math.sqrt(mean(values.map((value) => (value - average) ** 2)));
  t.true(Math.abs(average - 10) < 0.05, `mean ${average}`);
  t.true(Math.abs(sd - 2) < 0.05, `sd ${sd}`);
});

test("lognormal has the requested median and is positive", (t) => {
  const random = new RandomNode("lognormal");
  const values = sample(() => lognormal(random, 800, 0.5));
  t.true(Math.abs(median(values) / 800 - 1) < 0.03, `median ${median(values)}`);
  t.true(values.every((value) => value > 0));
});

test("pareto never goes below its minimum and has the analytic median", (t) => {
  const random = new RandomNode("pareto");
  const values = sample(() => pareto(random, 100, 2));
  t.true(values.every((value) => value >= 100));
  // Median of Pareto(xm, a) is xm * 2^(1/a).
  t.true(Math.abs(median(values) / (100 * Math.SQRT2) - 1) < 0.03, `median ${median(values)}`);
});

test("uniform stays in [min, max) and pick reaches every element", (t) => {
  const random = new RandomNode("pick");
  t.true(sample(() => uniform(random, -3, 5)).every((value) => value >= -3 && value < 5));
  const items = ["a", "b", "c", "d"];
  const picked = new Set(Array.from({ length: 200 }, () => pick(random, items)));
  t.deepEqual([...picked].sort(), items);
  t.throws(() => pick(random, []), { message: /empty/ });
});

test("weightedIndex follows the weights and never picks a zero weight", (t) => {
  const random = new RandomNode("weights");
  const counts = [0, 0, 0];
  for (let index = 0; index < sampleCount; index++) counts[weightedIndex(random, [1, 0, 3])]!++;
  t.is(counts[1], 0);
  t.true(Math.abs(counts[2]! / sampleCount - 0.75) < 0.02, `counts ${counts.join(",")}`);
  t.throws(() => weightedIndex(random, [0, 0]), { message: /positive weight/ });
  t.throws(() => weightedIndex(random, [1, -1]), { message: /≥ 0/ });
});

test("shuffle returns a permutation, depends on the seed, and reproduces with it", (t) => {
  const ordered = Array.from({ length: 50 }, (_, index) => index);
  const once = shuffle(new RandomNode("shuffle"), [...ordered]);
  t.deepEqual([...once].sort((a, b) => a - b), ordered);
  t.notDeepEqual(once, ordered);
  t.deepEqual(shuffle(new RandomNode("shuffle"), [...ordered]), once);
  t.notDeepEqual(shuffle(new RandomNode("other"), [...ordered]), once);
});

test("impossible parameters are refused", (t) => {
  const random = new RandomNode("domain");
  t.throws(() => exponential(random, -1));
  t.throws(() => normal(random, 0, -1));
  t.throws(() => lognormal(random, 0, 1));
  t.throws(() => pareto(random, 1, 0));
  t.throws(() => uniform(random, 2, 1));
});
