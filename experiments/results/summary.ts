// summary.json: one entry per grid point, aggregating its replications: for every standard metric
// the mean and, with two or more successful replications, the 95% confidence interval of the mean
// (Student's t, from viz/replications.ts over simple-statistics), plus how many replications ran and
// failed. NaN values (a latency when nothing completed) are left out of the statistics; a metric
// with no value at all is null, since JSON has no NaN.

import { ci95 } from "../../viz/replications.ts";
import { pointMetricNames } from "../runner/point.ts";
import type { PointRun } from "./tables.ts";

export type MetricSummary = {
  readonly mean: number | null;
  /** [low, high], present with two or more values. */
  readonly ci95: readonly [number, number] | null;
  readonly count: number;
};

export type PointSummary = {
  readonly index: number;
  readonly label: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly replications: number;
  readonly failed: number;
  readonly metrics: Readonly<Record<string, MetricSummary>>;
};

export type RunSummary = {
  readonly experiment: string;
  readonly runId: string;
  readonly configHash: string;
  readonly seed: string | number;
  readonly runs: number;
  readonly failed: number;
  readonly points: readonly PointSummary[];
};

function summarizeMetric(values: readonly number[]): MetricSummary {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return { mean: null, ci95: null, count: 0 };
  const interval = ci95(finite);
  return { mean: interval.mean, ci95: finite.length >= 2 ? [interval.low, interval.high] : null, count: finite.length };
}

function summarizePoint(runs: readonly PointRun[]): PointSummary {
  const first = runs[0]!;
  const metrics: Record<string, MetricSummary> = {};
  const ok = runs.flatMap((run) => (run.outcome.ok ? [run.outcome.result] : []));
  for (const name of pointMetricNames) metrics[name] = summarizeMetric(ok.map((result) => result[name]));
  return { index: first.index, label: first.label, params: first.params, replications: runs.length, failed: runs.length - ok.length, metrics };
}

/** The summary of a run's points, grid points in order. */
export function buildSummary(meta: Omit<RunSummary, "runs" | "failed" | "points">, runs: readonly PointRun[]): RunSummary {
  const byPoint = new Map<number, PointRun[]>();
  for (const run of runs) {
    const group = byPoint.get(run.index) ?? [];
    group.push(run);
    byPoint.set(run.index, group);
  }
  const points = [...byPoint.keys()].sort((a, b) => a - b).map((index) => summarizePoint(byPoint.get(index)!));
  return { ...meta, runs: runs.length, failed: runs.filter((run) => !run.outcome.ok).length, points };
}
