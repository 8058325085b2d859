// points.csv, timeseries.csv and summary.json: commas and quotes in labels and parameters survive
// a round trip, NaN is an empty cell, failed points keep their error's first line, extra metrics
// become columns, and the summary's 95% interval is the Student-t interval of the replications.

import test from "ava";
import { mean, sampleStandardDeviation } from "simple-statistics";
import type { PointOutcome, PointResult } from "../runner/point.ts";
import { buildSummary } from "./summary.ts";
import { parseCsv, pointsCsv, timeseriesCsv, type PointRun } from "./tables.ts";

function result(throughputPerS: number, extra: Record<string, number> = {}): PointResult {
  return {
    fingerprint: `f${throughputPerS}`, eventsProcessed: 10, durationUs: 1_000_000, throughputPerS, latencyUsP50: 5, latencyUsP95: NaN, latencyUsP99: 9, costUsdPerMonth: 1.5,
    timeseries: [{ timeUs: 500_000, throughputPerS, queueLength: 2 }, { timeUs: 1_000_000, throughputPerS }], faultsApplied: [], metrics: extra,
  };
}

const ok = (value: PointResult): PointOutcome => ({ ok: true, result: value });
const runs: PointRun[] = [
  { index: 0, replication: 0, seed: "s", label: 'tier=ssd, "fast"', params: { "cluster.darq[0].tier": 'ssd, "fast"', "workload.sizes": [1, 2] }, outcome: ok(result(10, { hops: 3 })) },
  { index: 0, replication: 1, seed: "s/r1", label: 'tier=ssd, "fast"', params: { "cluster.darq[0].tier": 'ssd, "fast"', "workload.sizes": [1, 2] }, outcome: ok(result(14)) },
  { index: 0, replication: 2, seed: "s/r2", label: 'tier=ssd, "fast"', params: { "cluster.darq[0].tier": 'ssd, "fast"', "workload.sizes": [1, 2] }, outcome: ok(result(15)) },
  { index: 1, replication: 0, seed: "s", label: "tier=blob", params: { "cluster.darq[0].tier": "blob", "workload.sizes": [3] }, outcome: { ok: false, error: { message: "boom\nat line 2" } } },
];
const paramKeys = ["cluster.darq[0].tier", "workload.sizes"];

test("points.csv round-trips quoted labels and JSON parameters; NaN is empty; failures keep their message", (t) => {
  const { columns, rows } = parseCsv(pointsCsv(runs, paramKeys));
  t.deepEqual(columns, ["point", "replication", "seed", "label", ...paramKeys, "status", "throughputPerS", "latencyUsP50", "latencyUsP95", "latencyUsP99", "costUsdPerMonth", "eventsProcessed", "durationUs", "fingerprint", "hops", "error"]);
  t.is(rows[0]!["label"], 'tier=ssd, "fast"');
  t.is(rows[0]!["cluster.darq[0].tier"], 'ssd, "fast"');
  t.is(rows[0]!["workload.sizes"], "[1,2]");
  t.is(rows[0]!["latencyUsP95"], "");
  t.is(rows[0]!["hops"], "3");
  t.is(rows[1]!["hops"], "");
  t.like(rows[3], { status: "failed", error: "boom", throughputPerS: "" });
});

test("timeseries.csv has one row per sample of every successful run, missing metrics empty", (t) => {
  const { columns, rows } = parseCsv(timeseriesCsv(runs));
  t.deepEqual(columns, ["point", "replication", "timeUs", "throughputPerS", "queueLength"]);
  t.is(rows.length, 6);
  t.like(rows[1], { point: "0", replication: "0", timeUs: "1000000", throughputPerS: "10", queueLength: "" });
});

test("summary.json: mean and Student-t 95% interval over replications, failures counted, NaN left out", (t) => {
  const summary = buildSummary({ experiment: "e", runId: "r", configHash: "h", seed: "s" }, runs);
  t.is(summary.runs, 4);
  t.is(summary.failed, 1);
  const [first, second] = summary.points;
  const values = [10, 14, 15];
  const halfWidth = (4.303 * sampleStandardDeviation(values)) / Math.sqrt(3);
  const throughput = first!.metrics["throughputPerS"]!;
  t.is(throughput.mean, mean(values));
  t.true(Math.abs(throughput.ci95![0] - (mean(values) - halfWidth)) < 1e-9 && Math.abs(throughput.ci95![1] - (mean(values) + halfWidth)) < 1e-9);
  t.deepEqual(first!.metrics["latencyUsP95"], { mean: null, ci95: null, count: 0 });
  t.like(second, { index: 1, replications: 1, failed: 1 });
  t.deepEqual(second!.metrics["throughputPerS"], { mean: null, ci95: null, count: 0 });
});
