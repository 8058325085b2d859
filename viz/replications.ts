// From one row per replication to one row per configuration with a 95% confidence interval:
// the bridge between a sweep's points.csv (one line per run) and the error bars of the figures.
// The interval is the mean's, from Student's t (replications are few, so the normal 1.96 would
// be too narrow). Rows keep the order in which their configuration first appears.

import { mean, sampleStandardDeviation } from "simple-statistics";
import type { CostThroughputRow } from "./cost-throughput.ts";
import type { BarRow } from "./grouped-bars.ts";

// Two-sided 95% t quantiles for 1..30 degrees of freedom (standard tables).
const t975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
] as const;

/** The 0.975 quantile of Student's t with `degrees` degrees of freedom. */
export function tQuantile975(degrees: number): number {
  if (degrees <= 30) return t975[Math.max(1, Math.round(degrees)) - 1] as number;
  // Beyond the table the quantile is close to linear in 1/df, ending at the normal 1.96.
  return 1.96 + (2.042 - 1.96) * (30 / degrees);
}

export type Interval = { readonly mean: number; readonly low: number; readonly high: number; readonly count: number };

/** Mean and 95% CI of the mean; one value gives a zero-width interval. */
export function ci95(values: readonly number[]): Interval {
  if (values.length === 0) return { mean: NaN, low: NaN, high: NaN, count: 0 };
  const average = mean(values as number[]);
  if (values.length === 1) return { mean: average, low: average, high: average, count: 1 };
  const halfWidth = (tQuantile975(values.length - 1) * sampleStandardDeviation(values as number[])) / Math.sqrt(values.length);
  return { mean: average, low: average - halfWidth, high: average + halfWidth, count: values.length };
}

/** Groups rows by `keyOf` (first-seen order) and summarises `valueOf` over each group. */
export function summarizeBy<R>(rows: readonly R[], keyOf: (row: R) => string, valueOf: (row: R) => number): Map<string, Interval> {
  const groups = new Map<string, number[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const values = groups.get(key) ?? [];
    values.push(valueOf(row));
    groups.set(key, values);
  }
  const out = new Map<string, Interval>();
  for (const [key, values] of groups) out.set(key, ci95(values));
  return out;
}

/** One run's measurement of a configuration. */
export type CostThroughputRun = {
  readonly label: string;
  readonly group?: string;
  readonly throughputPerS: number;
  readonly costUsdPerMonth: number;
};

/** Runs grouped by `keyOf`, groups in first-seen order; every group has at least one run. */
function groupRuns<R>(runs: readonly R[], keyOf: (run: R) => string): R[][] {
  const groups = new Map<string, R[]>();
  for (const run of runs) {
    const key = keyOf(run);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [run]);
    else group.push(run);
  }
  return [...groups.values()];
}

/** Means with 95% CIs on both axes; a configuration with one run gets no error bars. */
export function aggregateCostThroughput(runs: readonly CostThroughputRun[]): CostThroughputRow[] {
  return groupRuns(runs, (run) => JSON.stringify([run.group ?? null, run.label])).map((group) => {
    const first = group[0] as CostThroughputRun;
    const x = ci95(group.map((run) => run.throughputPerS));
    const y = ci95(group.map((run) => run.costUsdPerMonth));
    return {
      label: first.label,
      ...(first.group === undefined ? {} : { group: first.group }),
      throughputPerS: x.mean,
      costUsdPerMonth: y.mean,
      ...(group.length > 1 ? { throughputPerSCi95: [x.low, x.high] as const, costUsdPerMonthCi95: [y.low, y.high] as const } : {}),
    };
  });
}

/** One run's value for a (category, series) bar. */
export type BarRun = { readonly category: string; readonly series: string; readonly value: number };

/** Means with 95% CIs per (category, series). */
export function aggregateBars(runs: readonly BarRun[]): BarRow[] {
  return groupRuns(runs, (run) => JSON.stringify([run.category, run.series])).map((group) => {
    const first = group[0] as BarRun;
    const summary = ci95(group.map((run) => run.value));
    return { category: first.category, series: first.series, value: summary.mean, ...(group.length > 1 ? { ci95: [summary.low, summary.high] as const } : {}) };
  });
}
