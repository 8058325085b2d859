// The figures and HTML report of a run, rendered from the files in its run directory (manifest,
// points.csv, timeseries.csv, the fault schedules, config.json), never from in-memory results.
// `ssms run` calls this after writing those files and `ssms plot` calls it again later, so both
// give byte-identical figures from the same directory, and a figure can be re-rendered after a
// viz change without rerunning anything.
//
// Figures: cost vs. throughput (one dot per grid point, replications as 95% CI bars; with two or
// more swept parameters the first one colours the groups) and the time series of the first
// `timeseriesFiguresMax` grid points (each point's first successful replication), with the
// applied faults marked; for a policy comparison (an objectiveScore column and two or more swept
// parameters) comparison.md and grouped bars per metric (comparison.ts). The report's table shows at most `reportRowsMax` rows of points.csv.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aggregateCostThroughput, type CostThroughputRun } from "../../viz/replications.ts";
import { costThroughputSvg } from "../../viz/cost-throughput.ts";
import { svgToPng } from "../../viz/png.ts";
import { reportHtml, type Cell, type ReportFigure } from "../../viz/report.ts";
import { timeseriesSvg, type FaultMarker, type TimeseriesRow } from "../../viz/timeseries.ts";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { parseFaultSchedule, type FaultRecord } from "./fault-schedule.ts";
import { parseManifest, type ManifestPoint, type RunManifest } from "./manifest.ts";
import { cellNumber, parseCsv, type CsvRow } from "./tables.ts";
import { comparisonCells, comparisonFigures, comparisonMarkdown } from "./comparison.ts";

export const timeseriesFiguresMax = 6;
export const reportRowsMax = 500;

/** The last segment of a grid path: "cluster.darq[0].tier" → "tier". */
export function shortParamName(key: string): string {
  return key.split(/[.[\]]/).filter((part) => part !== "").at(-1) ?? key;
}

/** A file of the run directory as text; a missing file is an SsmsError naming it. */
export function readText(runDir: string, file: string): string {
  const path = join(runDir, file);
  if (!existsSync(path)) throw new SsmsError(ErrorCode.argumentInvalid, `${path} is missing; is ${runDir} a run directory written by 'ssms run'?`);
  return readFileSync(path, "utf8");
}

export function readManifest(runDir: string): RunManifest {
  const parsed = parseManifest(JSON.parse(readText(runDir, "manifest.json")) as unknown, join(runDir, "manifest.json"));
  if (!parsed.ok) throw new SsmsError(parsed.code, parsed.reason);
  return parsed.value;
}

/** Scatter rows: group by the first swept parameter when there are two or more. */
export function costThroughputRuns(rows: readonly CsvRow[], paramKeys: readonly string[], experiment: string): CostThroughputRun[] {
  return rows.filter((row) => row["status"] === "ok").map((row) => {
    const parts = paramKeys.map((key) => `${shortParamName(key)}=${row[key] ?? ""}`);
    const grouped = parts.length >= 2;
    return {
      label: parts.length === 0 ? experiment : grouped ? parts.slice(1).join(" ") : parts[0]!,
      ...(grouped ? { group: parts[0]! } : {}),
      throughputPerS: cellNumber(row, "throughputPerS"),
      costUsdPerMonth: cellNumber(row, "costUsdPerMonth"),
    };
  });
}

/** The fault that ends an episode of each kind (sim/faults/fault.ts's vocabulary). */
const episodeEnds: Readonly<Record<string, string>> = { crash: "restart", diskTornWrite: "restart", spotPreempt: "restart", pause: "resume", networkPartition: "heal" };

/**
 * Markers of a point's applied faults. An episode's start is drawn with its span up to the
 * matching end (a restart of the same targets, a resume, a heal) or params.durationUs, cut at
 * the run's end; the matched end is not drawn again.
 */
export function faultMarkers(faults: readonly FaultRecord[], runEndUs: number): FaultMarker[] {
  const matched = new Set<number>();
  const markers: FaultMarker[] = [];
  faults.forEach((fault, index) => {
    if (matched.has(index)) return;
    const label = `${fault.fault} ${fault.targets.join(",")}`.trim();
    const endKind = episodeEnds[fault.fault];
    const end = endKind === undefined ? -1 : faults.findIndex((other, at) => at > index && !matched.has(at) && other.fault === endKind && (endKind === "heal" || other.targets.join() === fault.targets.join()));
    const durationUs = fault.params?.["durationUs"];
    const endUs = end >= 0 ? faults[end]!.timeUs : typeof durationUs === "number" ? fault.timeUs + durationUs : undefined;
    if (end >= 0) matched.add(end);
    markers.push(endUs === undefined ? { timeUs: fault.timeUs, label } : { timeUs: fault.timeUs, label, endUs: Math.min(endUs, runEndUs) });
  });
  return markers;
}

function scheduleOf(runDir: string, schedule: string | null): FaultRecord[] {
  if (schedule === null || !existsSync(join(runDir, schedule))) return [];
  const parsed = parseFaultSchedule(readText(runDir, schedule), join(runDir, schedule));
  return parsed.ok ? parsed.value : [];
}

/** Time-series figures of the first grid points (replication 0), faults marked. */
export function timeseriesFigures(runDir: string, manifest: RunManifest): { index: number; figure: ReportFigure }[] {
  const { columns, rows } = parseCsv(readText(runDir, "timeseries.csv"));
  const metrics = columns.filter((column) => !["point", "replication", "timeUs"].includes(column));
  const figures: { index: number; figure: ReportFigure }[] = [];
  // One run per grid point: its first successful replication.
  const firstOk = new Map<number, ManifestPoint>();
  for (const point of manifest.points) if (point.status === "ok" && !firstOk.has(point.index)) firstOk.set(point.index, point);
  const shown = [...firstOk.values()];
  for (const point of shown.slice(0, timeseriesFiguresMax)) {
    const samples: TimeseriesRow[] = rows
      .filter((row) => row["point"] === String(point.index) && row["replication"] === String(point.replication))
      .map((row) => Object.fromEntries([["timeUs", cellNumber(row, "timeUs")], ...metrics.map((metric) => [metric, cellNumber(row, metric)])]) as TimeseriesRow);
    if (samples.length === 0) continue;
    const title = point.label === "" ? `${manifest.experiment} over time` : `Over time: ${point.label}`;
    const runEndUs = Math.max(...samples.map((sample) => sample.timeUs));
    const svg = timeseriesSvg(samples, { title, faults: faultMarkers(scheduleOf(runDir, point.faultSchedule), runEndUs) });
    figures.push({ index: point.index, figure: { title, svg, caption: `point ${point.index}, replication ${point.replication}, seed ${point.seed}` } });
  }
  return figures;
}

function reportFacts(manifest: RunManifest): Record<string, Cell> {
  const failed = manifest.points.filter((point) => point.status === "failed").length;
  const facts: Record<string, Cell> = { experiment: manifest.experiment, runId: manifest.runId, mode: manifest.mode, commit: manifest.commit, configHash: manifest.configHash, seed: String(manifest.seed), executor: manifest.executor, runs: manifest.points.length, failed };
  if (manifest.points.length === 1) facts["fingerprint"] = manifest.points[0]!.fingerprint;
  if (manifest.shard !== null) facts["shard"] = manifest.shard;
  return facts;
}

/** Renders every figure (SVG and PNG) and report.html into `runDir`; returns the files written. */
export function renderRunFigures(runDir: string): string[] {
  const manifest = readManifest(runDir);
  const points = parseCsv(readText(runDir, "points.csv"));
  const paramKeys = Object.keys(manifest.points[0]?.params ?? {});
  const figures: { name: string; figure: ReportFigure }[] = [];
  const scatterRuns = costThroughputRuns(points.rows, paramKeys, manifest.experiment);
  if (scatterRuns.length > 0) {
    const title = `${manifest.experiment}: cost vs. throughput`;
    figures.push({ name: "cost-throughput", figure: { title, svg: costThroughputSvg(aggregateCostThroughput(scatterRuns), { title }), caption: "one dot per configuration; bars are 95% confidence intervals over replications" } });
  }
  const cells = comparisonCells(points.rows, points.columns, paramKeys);
  const written: string[] = [];
  if (cells !== null) {
    // A policy comparison (comparison.ts): a markdown table and one grouped-bar figure per metric.
    const names = { series: shortParamName(paramKeys[0]!), category: paramKeys.slice(1).map(shortParamName).join(" ") };
    writeFileSync(join(runDir, "comparison.md"), comparisonMarkdown(manifest.experiment, cells, names));
    written.push("comparison.md");
    for (const { name, title, svg } of comparisonFigures(manifest.experiment, cells, names.category)) figures.push({ name, figure: { title, svg, caption: "means over replications" } });
  }
  for (const { index, figure } of timeseriesFigures(runDir, manifest)) figures.push({ name: `timeseries-p${index}`, figure });
  mkdirSync(join(runDir, "figures"), { recursive: true });
  for (const { name, figure } of figures) {
    for (const [extension, bytes] of [["svg", figure.svg], ["png", svgToPng(figure.svg)]] as const) {
      const file = join("figures", `${name}.${extension}`);
      writeFileSync(join(runDir, file), bytes);
      written.push(file);
    }
  }
  const summaryColumns = points.columns.filter((column) => column !== "seed" && column !== "error");
  const cell = (text: string | undefined): Cell => (text === undefined || text === "" ? null : Number.isNaN(Number(text)) ? text : Number(text));
  const summary = points.rows.slice(0, reportRowsMax).map((row) => Object.fromEntries(summaryColumns.map((column) => [column, cell(row[column])])) as Record<string, Cell>);
  const notes = manifest.points.filter((point) => point.status === "failed").map((point) => `point ${point.index} replication ${point.replication} failed: ${point.error ?? ""}`);
  if (points.rows.length > reportRowsMax) notes.push(`the table shows the first ${reportRowsMax} of ${points.rows.length} runs; points.csv has them all`);
  const config = JSON.parse(readText(runDir, "config.json")) as unknown;
  writeFileSync(join(runDir, "report.html"), reportHtml({ title: `${manifest.experiment} (${manifest.runId})`, manifest: reportFacts(manifest), summary, summaryColumns, figures: figures.map((entry) => entry.figure), config, notes }));
  written.push("report.html");
  return written;
}
