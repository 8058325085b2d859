// Tests of the monitor's sliding windows: sums and rates cover exactly the last bucketCount
// buckets (old buckets fall out, idle time dilutes rates), latency quantiles come back within the
// histogram's resolution, slots are bounded and reused, and time may not go backwards.

import test from "ava";
import { normal } from "../engine/io/distributions.ts";
import { RandomNode } from "../engine/io/node/random-node.ts";
import { LatencyWindow } from "./window-latency.ts";
import { KeySlots } from "./window-keys.ts";
import { SlidingSums } from "./window.ts";

const shape = { bucketUs: 1_000_000, bucketCount: 10, seriesMax: 4, startUs: 0 };

test("rates are sums over the window's covered span, from the first sample on", (t) => {
  const sums = new SlidingSums(shape, 2);
  for (let second = 0; second < 5; second++) sums.add(1, 0, second * 1_000_000 + 500_000, 100);
  sums.advance(5_000_000);
  t.is(sums.sum(1, 0), 500);
  t.is(sums.rate(1, 0), 100, "500 over 5 s");
  t.is(sums.sum(0, 0), 0, "other series untouched");
  t.is(sums.sum(1, 1), 0, "other metric untouched");
});

test("buckets older than the window fall out, also after a long gap", (t) => {
  const sums = new SlidingSums(shape, 1);
  sums.add(0, 0, 0, 7);
  sums.add(0, 0, 9_500_000, 3);
  t.is(sums.sum(0, 0), 10, "bucket 0 is still inside at t = 9.5 s");
  sums.advance(10_000_000);
  t.is(sums.sum(0, 0), 3, "bucket 0 left when bucket 10 began");
  sums.add(0, 0, 55_000_000, 1);
  t.is(sums.sum(0, 0), 1, "a gap longer than the window clears it all");
  t.is(sums.rate(0, 0), 1 / 9, "full window: nine whole buckets plus the current one, just begun");
});

test("time never goes backwards", (t) => {
  const sums = new SlidingSums(shape, 1);
  sums.add(0, 0, 2_000_000, 1);
  t.throws(() => sums.add(0, 0, 1_000_000, 1), { message: /backwards/ });
});

test("latency quantiles come back within the histogram's resolution (8 bins per octave)", (t) => {
  const window = new LatencyWindow(shape);
  const random = new RandomNode("latency-window");
  const samples: number[] = [];
  for (let index = 0; index < 20_000; index++) {
    const latencyUs = Math.exp(normal(random, Math.log(1000), 0.5));
    samples.push(latencyUs);
    window.record(2, index * 100, latencyUs);
  }
  samples.sort((a, b) => a - b);
  for (const q of [0.5, 0.99]) {
    const exact = samples[Math.floor(q * samples.length)]!;
    const estimate = window.quantileUs(2, q)!;
    t.true(Math.abs(estimate / exact - 1) < 0.09, `q=${q}: ${estimate} vs ${exact}`);
  }
  t.is(window.quantileUs(1, 0.5), null, "a series with no samples");
  t.is(window.count(2), 20_000);
});

test("latency samples leave the window with their bucket", (t) => {
  const window = new LatencyWindow(shape);
  window.record(0, 0, 1_000_000);
  window.record(0, 10_500_000, 10);
  const median = window.quantileUs(0, 0.5)!;
  t.true(median >= 8 && median <= 11, `only the recent sample is left: ${median}`);
});

test("key slots are bounded, stable, and reused after release", (t) => {
  const slots = new KeySlots(2);
  t.is(slots.slotOf("a"), 0);
  t.is(slots.slotOf("b"), 1);
  t.is(slots.slotOf("a"), 0, "stable");
  t.is(slots.slotOf("c"), -1, "full: the caller decides");
  t.is(slots.release("a"), 0);
  t.is(slots.slotOf("c"), 0, "reused");
  t.deepEqual(slots.entries(), [["c", 0], ["b", 1]]);
  t.is(slots.keyOf(1), "b");
});
