// Tests of the cost of moving, by hand arithmetic on the test prices: a migration pauses for a
// catalog write, a round trip, the live bytes at the link's bandwidth and a flush; a processor
// start for a process start or a cold start plus a catalog write and a replay; over the horizon a
// pause costs the paused steps, and the p99 once more than 1% of steps wait.

import test from "ava";
import { automatonAt, darqNode, serverlessNode, testPrices, vmNode } from "../observation.fixtures.ts";
import { activationPauseUs, horizonAfterMove, migrationPauseUs, moveCostParamsDefault } from "./move-cost.ts";
import type { Prediction } from "../cost-model.ts";

const automaton = automatonAt("a/1", "vm-1", "d-1", { logBytes: 1e6 });

test("migration pause: 2000 µs catalog write + 2 × 50 µs + 1e6 B at 1.25 GB/s (800 µs) + 100 µs flush", (t) => {
  t.is(migrationPauseUs(testPrices, automaton, darqNode("d-1"), darqNode("d-2")), 3000);
  t.is(migrationPauseUs(testPrices, automaton, darqNode("d-1"), darqNode("d-far", { zone: "z2" })), 2000 + 600 + 800 + 100);
});

test("activation pause: process start or cold start, plus a catalog write and a replay of 1e6 B at 200 MB/s", (t) => {
  t.is(activationPauseUs(testPrices, automaton, vmNode("vm-2"), moveCostParamsDefault), 100_000 + 2000 + 5000);
  t.is(activationPauseUs(testPrices, automaton, serverlessNode("fn"), moveCostParamsDefault), 200_000 + 2000 + 5000);
});

test("over the horizon: paused steps are lost throughput; the p99 rises to the pause past 1% of steps", (t) => {
  const steady = { throughputStepsPerS: 1000, latencyUsP99: 5000 } as Prediction;
  t.like(horizonAfterMove(steady, 0.005, 300_000), { throughputStepsPerS: 995, latencyUsP99: 5000 });
  t.like(horizonAfterMove(steady, 0.02, 300_000), { throughputStepsPerS: 980, latencyUsP99: 300_000 });
});
