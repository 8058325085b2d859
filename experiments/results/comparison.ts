// The policy comparison of a two-parameter sweep (issue 7: "a table and a figure of throughput,
// p99 latency, USD/month and objective score"): when points.csv has an objectiveScore column and
// the grid has at least two parameters, the first parameter is the series (e.g. the placement
// policy) and the second the category (e.g. the workload). comparison.md holds one row per
// (category, series) with the means over replications; the figures are grouped bars, one per
// metric (throughput and p99 on log scales, as workloads differ by orders of magnitude; cost and
// the objective score linear, since a score may be negative).
//
// A JSON-valued parameter (a whole placement or workload object) is labelled by its scalar values
// joined with "/" ({"policy":"groups","colocation":"none"} → "groups/none").

import { groupedBarsSvg, type BarRow } from "../../viz/grouped-bars.ts";
import { cellNumber, type CsvRow } from "./tables.ts";

export type ComparisonMetric = { readonly column: string; readonly label: string; readonly unit: string; readonly scale: "linear" | "log" };

export const comparisonMetrics: readonly ComparisonMetric[] = [
  { column: "throughputPerS", label: "Throughput", unit: "items/s", scale: "log" },
  { column: "latencyUsP99", label: "p99 latency", unit: "µs", scale: "log" },
  { column: "costUsdPerMonth", label: "Cost", unit: "USD/month", scale: "linear" },
  { column: "objectiveScore", label: "Objective score (lower is better)", unit: "score", scale: "linear" },
];

/** A short label for a swept value as points.csv writes it. */
export function valueLabel(text: string): string {
  if (!text.startsWith("{")) return text;
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const scalars = Object.values(value).filter((part) => typeof part === "string" || typeof part === "number" || typeof part === "boolean");
    return scalars.length > 0 ? scalars.join("/") : text;
  } catch {
    return text;
  }
}

type Cell = { readonly series: string; readonly category: string; readonly values: number[][] };

/** Mean of each metric per (category, series), in first-seen order; null when not a comparison. */
export function comparisonCells(rows: readonly CsvRow[], columns: readonly string[], paramKeys: readonly string[]): Cell[] | null {
  if (paramKeys.length < 2 || !columns.includes("objectiveScore")) return null;
  const cells = new Map<string, Cell>();
  for (const row of rows) {
    if (row["status"] !== "ok") continue;
    const series = valueLabel(row[paramKeys[0]!] ?? "");
    const category = paramKeys.slice(1).map((key) => valueLabel(row[key] ?? "")).join(" ");
    const key = `${category}\u0000${series}`;
    const cell = cells.get(key) ?? { series, category, values: comparisonMetrics.map(() => []) };
    comparisonMetrics.forEach((metric, index) => cell.values[index]!.push(cellNumber(row, metric.column)));
    cells.set(key, cell);
  }
  // Grouped by category (in first-seen order), series in first-seen order within each.
  const categories = [...new Set([...cells.values()].map((cell) => cell.category))];
  return [...cells.values()].sort((left, right) => categories.indexOf(left.category) - categories.indexOf(right.category));
}

function mean(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value));
  return finite.length === 0 ? Number.NaN : finite.reduce((sum, value) => sum + value, 0) / finite.length;
}

/** comparison.md: one row per (category, series); the best objective score of a category in bold. */
export function comparisonMarkdown(experiment: string, cells: readonly Cell[], names = { category: "workload", series: "policy" }): string {
  const header = `| ${names.category} | ${names.series} | ${comparisonMetrics.map((metric) => `${metric.label} (${metric.unit})`).join(" | ")} |`;
  const lines = [`# ${experiment}: policy comparison`, "", `Means over replications; the lowest objective score per ${names.category} in bold.`, "", header,
    `|${" --- |".repeat(comparisonMetrics.length + 2)}`];
  const scoreAt = comparisonMetrics.length - 1;
  const best = new Map<string, number>();
  for (const cell of cells) best.set(cell.category, Math.min(best.get(cell.category) ?? Infinity, mean(cell.values[scoreAt]!)));
  for (const cell of cells) {
    const numbers = cell.values.map((values, index) => {
      const value = mean(values);
      const text = Number.isFinite(value) ? Number(value.toPrecision(6)).toString() : "";
      return index === scoreAt && value === best.get(cell.category) ? `**${text}**` : text;
    });
    lines.push(`| ${cell.category} | ${cell.series} | ${numbers.join(" | ")} |`);
  }
  return `${lines.join("\n")}\n`;
}

/** One grouped-bar SVG per metric, with its file name. */
export function comparisonFigures(experiment: string, cells: readonly Cell[], categoryLabel = "workload"): { name: string; title: string; svg: string }[] {
  return comparisonMetrics.map((metric, index) => {
    const rows: BarRow[] = cells.map((cell) => ({ category: cell.category, series: cell.series, value: mean(cell.values[index]!) }))
      .filter((row) => Number.isFinite(row.value) && (metric.scale === "linear" || row.value > 0));
    const title = `${experiment}: ${metric.label}`;
    const svg = groupedBarsSvg(rows, { title, valueLabel: metric.label, valueUnit: metric.unit, categoryLabel, scale: metric.scale });
    return { name: `comparison-${metric.column}`, title, svg };
  });
}
