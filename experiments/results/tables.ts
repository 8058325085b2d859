// points.csv and timeseries.csv: the run's numbers as flat tables (d3-dsv quoting, so labels and
// JSON-valued parameters with commas survive). points.csv has one row per run of a sweep point:
// its identity (point, replication, seed, label), the swept parameters (one column per grid path,
// as written in the config), status, the standard metrics, the fingerprint, any extra metrics the
// executor reported, and the error of a failed point. Numbers are written with JavaScript's
// shortest round-trip formatting; NaN (nothing measured) is an empty cell.

import { csvFormat, csvParse } from "d3";
import { pointMetricNames, type PointOutcome } from "../runner/point.ts";

/** A run of one sweep point and what came of it. */
export type PointRun = {
  readonly index: number;
  readonly replication: number;
  readonly seed: string;
  readonly label: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly outcome: PointOutcome;
};

export type CsvRow = Readonly<Record<string, string>>;

function numberText(value: number): string {
  return Number.isFinite(value) ? String(value) : "";
}

function paramText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText(value);
  return JSON.stringify(value);
}

/** Extra metric names in first-seen order. */
function extraMetricNames(runs: readonly PointRun[]): string[] {
  const names = new Set<string>();
  for (const run of runs) if (run.outcome.ok) for (const name of Object.keys(run.outcome.result.metrics ?? {})) names.add(name);
  return [...names];
}

/** The column order of points.csv for these parameter paths and runs. */
export function pointsColumns(paramKeys: readonly string[], runs: readonly PointRun[]): string[] {
  return ["point", "replication", "seed", "label", ...paramKeys, "status", ...pointMetricNames, "fingerprint", ...extraMetricNames(runs), "error"];
}

export function pointsCsv(runs: readonly PointRun[], paramKeys: readonly string[]): string {
  const columns = pointsColumns(paramKeys, runs);
  const rows = runs.map((run) => {
    const row: Record<string, string> = { point: String(run.index), replication: String(run.replication), seed: run.seed, label: run.label };
    for (const key of paramKeys) row[key] = paramText(run.params[key]);
    if (run.outcome.ok) {
      const result = run.outcome.result;
      row["status"] = "ok";
      for (const name of pointMetricNames) row[name] = numberText(result[name]);
      row["fingerprint"] = result.fingerprint;
      for (const [name, value] of Object.entries(result.metrics ?? {})) row[name] = numberText(value);
      row["error"] = "";
    } else {
      row["status"] = "failed";
      row["error"] = run.outcome.error.message.split("\n")[0] ?? "";
    }
    return row;
  });
  return `${csvFormat(rows, columns)}\n`;
}

export function timeseriesCsv(runs: readonly PointRun[]): string {
  const metricNames = new Set<string>();
  for (const run of runs) if (run.outcome.ok) for (const sample of run.outcome.result.timeseries) for (const key of Object.keys(sample)) if (key !== "timeUs") metricNames.add(key);
  const columns = ["point", "replication", "timeUs", ...metricNames];
  const rows: Record<string, string>[] = [];
  for (const run of runs) {
    if (!run.outcome.ok) continue;
    for (const sample of run.outcome.result.timeseries) {
      const row: Record<string, string> = { point: String(run.index), replication: String(run.replication), timeUs: numberText(sample.timeUs) };
      for (const name of metricNames) row[name] = sample[name] === undefined ? "" : numberText(sample[name]);
      rows.push(row);
    }
  }
  return `${csvFormat(rows, columns)}\n`;
}

/** Parses a CSV written here: the columns and the rows as strings. */
export function parseCsv(text: string): { columns: string[]; rows: CsvRow[] } {
  const parsed = csvParse(text.trimEnd());
  return { columns: [...parsed.columns], rows: parsed.map((row) => ({ ...row }) as Record<string, string>) };
}

/** A numeric cell: empty (or missing) is NaN. */
export function cellNumber(row: CsvRow, column: string): number {
  const text = row[column];
  return text === undefined || text === "" ? NaN : Number(text);
}
