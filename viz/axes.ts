// Scales and axes shared by the charts. Axes are drawn here rather than with d3-axis so tick
// text uses the fixed formatting of format.ts and a log axis labels only the decades (1, 10,
// 100, ...) with unlabelled minor ticks between, the way cost and throughput plots are read.
// Every axis title carries its unit: "Throughput (msg/s)".

import * as d3 from "d3";
import type { Group } from "./dom.ts";
import { formatCompact, px } from "./format.ts";
import { fontSizePx, ink } from "./theme.ts";

export type ScaleKind = "linear" | "log";
export type NumericScale = d3.ScaleContinuousNumeric<number, number>;

/** "Label (unit)": the one way figures name a quantity. */
export function axisTitle(label: string, unit: string): string {
  return unit.length === 0 ? label : `${label} (${unit})`;
}

/** The largest 1, 2 or 5 × 10^k at or below `value`: a log axis starts on a readable tick. */
function lowerNiceLog(value: number): number {
  const decade = 10 ** Math.floor(Math.log10(value));
  return [5, 2, 1].map((step) => step * decade).find((candidate) => candidate <= value * (1 + 1e-9)) ?? decade;
}

/** The smallest 1, 2 or 5 × 10^k at or above `value`. */
function upperNiceLog(value: number): number {
  const decade = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * decade).find((candidate) => candidate >= value * (1 - 1e-9)) ?? decade * 10;
}

/** A scale over `values` mapped to `rangePx`. Log scales end on 1, 2 or 5 × 10^k; values ≤ 0 are ignored. */
export function numericScale(kind: ScaleKind, values: readonly number[], rangePx: readonly [number, number], includeZero = true): NumericScale {
  if (kind === "log") {
    const positive = values.filter((value) => value > 0 && Number.isFinite(value));
    const low = positive.length === 0 ? 1 : lowerNiceLog(Math.min(...positive));
    let high = positive.length === 0 ? 10 : upperNiceLog(Math.max(...positive));
    if (high <= low) high = low * 10;
    return d3.scaleLog().domain([low, high]).range(rangePx);
  }
  const finite = values.filter((value) => Number.isFinite(value));
  let low = finite.length === 0 ? 0 : Math.min(...finite);
  let high = finite.length === 0 ? 1 : Math.max(...finite);
  if (includeZero) {
    low = Math.min(0, low);
    high = Math.max(0, high);
  }
  if (high === low) high = low + 1;
  return d3.scaleLinear().domain([low, high]).range(rangePx).nice();
}

type Tick = { value: number; labelled: boolean };

/** Tick values: every d3 tick on a linear axis; on a log axis decades labelled, the rest minor. */
export function ticksOf(scale: NumericScale, kind: ScaleKind, count: number): Tick[] {
  const values = scale.ticks(count);
  if (kind === "linear") return values.map((value) => ({ value, labelled: true }));
  const mantissa = (value: number) => Math.round(value / 10 ** Math.floor(Math.log10(value) + 1e-9));
  const decades = values.filter((value) => mantissa(value) === 1).length;
  const labelledMantissas = decades >= 3 ? [1] : decades === 2 ? [1, 2, 5] : [1, 2, 3, 5];
  return values.map((value) => ({ value, labelled: labelledMantissas.includes(mantissa(value)) }));
}

export type AxisOptions = {
  readonly kind: ScaleKind;
  readonly title: string;
  /** Length of the perpendicular plot side, for grid lines (0 = no grid). */
  readonly gridPx: number;
  readonly tickCount?: number;
  readonly format?: (value: number) => string;
  /** False draws ticks without tick text or title (stacked panels share the bottom one). */
  readonly labels?: boolean;
};

/** An x axis along the bottom of a plot whose group origin is the plot's top-left corner. */
export function drawAxisBottom(plot: Group, scale: NumericScale, plotHeightPx: number, options: AxisOptions): void {
  const axis = plot.append("g").attr("class", "axis axis-x").attr("transform", `translate(0,${px(plotHeightPx)})`);
  const format = options.format ?? formatCompact;
  const [left, right] = scale.range() as [number, number];
  axis.append("line").attr("x1", px(left)).attr("x2", px(right)).attr("stroke", ink.axis);
  for (const tick of ticksOf(scale, options.kind, options.tickCount ?? 6)) {
    const x = px(scale(tick.value));
    if (options.gridPx > 0 && tick.labelled) plot.insert("line", ":first-child").attr("x1", x).attr("x2", x).attr("y1", 0).attr("y2", px(options.gridPx)).attr("stroke", ink.grid);
    axis.append("line").attr("x1", x).attr("x2", x).attr("y2", tick.labelled ? 5 : 3).attr("stroke", ink.axis);
    if (tick.labelled && options.labels !== false) axis.append("text").attr("x", x).attr("y", 18).attr("text-anchor", "middle").attr("font-size", fontSizePx.tick).text(format(tick.value));
  }
  if (options.labels === false) return;
  axis
    .append("text")
    .attr("class", "axis-title")
    .attr("x", px((left + right) / 2))
    .attr("y", 38)
    .attr("text-anchor", "middle")
    .attr("font-size", fontSizePx.axisTitle)
    .text(options.title);
}

/** A y axis along the left of a plot whose group origin is the plot's top-left corner. */
export function drawAxisLeft(plot: Group, scale: NumericScale, plotWidthPx: number, options: AxisOptions): void {
  const axis = plot.append("g").attr("class", "axis axis-y");
  const format = options.format ?? formatCompact;
  const [bottom, top] = scale.range() as [number, number];
  axis.append("line").attr("y1", px(bottom)).attr("y2", px(top)).attr("stroke", ink.axis);
  let widestLabelPx = 0;
  for (const tick of ticksOf(scale, options.kind, options.tickCount ?? 5)) {
    const y = px(scale(tick.value));
    if (options.gridPx > 0 && tick.labelled) plot.insert("line", ":first-child").attr("x1", 0).attr("x2", px(plotWidthPx)).attr("y1", y).attr("y2", y).attr("stroke", ink.grid);
    axis.append("line").attr("x1", tick.labelled ? -5 : -3).attr("y1", y).attr("y2", y).attr("stroke", ink.axis);
    if (!tick.labelled) continue;
    const text = format(tick.value);
    widestLabelPx = Math.max(widestLabelPx, text.length * fontSizePx.tick * 0.62);
    axis.append("text").attr("x", -8).attr("y", px(y + 4)).attr("text-anchor", "end").attr("font-size", fontSizePx.tick).text(text);
  }
  const titleX = px(-14 - widestLabelPx);
  axis
    .append("text")
    .attr("class", "axis-title")
    .attr("transform", `translate(${titleX},${px((bottom + top) / 2)}) rotate(-90)`)
    .attr("text-anchor", "middle")
    .attr("font-size", fontSizePx.axisTitle)
    .text(options.title);
}
