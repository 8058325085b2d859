// Cost versus throughput: one dot per configuration (the paper's Figure 3), coloured by group
// (e.g. the compute scale), each group's Pareto frontier drawn as a step line, dominated
// configurations hollow, labels placed greedily so they do not collide, and 95% confidence
// intervals from replications as error bars on both axes.

import * as d3 from "d3";
import { axisTitle, drawAxisBottom, drawAxisLeft, numericScale, type NumericScale, type ScaleKind } from "./axes.ts";
import { serializeSvg, type Group } from "./dom.ts";
import { createFrame, distinctInOrder } from "./frame.ts";
import { px } from "./format.ts";
import { placeLabels, type Box } from "./labels.ts";
import type { LegendEntry } from "./legend.ts";
import { paretoFrontier } from "./pareto.ts";
import { fontSizePx, ink, seriesColor } from "./theme.ts";

export type CostThroughputRow = {
  /** The configuration, shown next to the dot (e.g. "D8s_v3 ssd"). */
  readonly label: string;
  /** Series the dot belongs to (colour, own frontier); absent puts all rows in one series. */
  readonly group?: string;
  readonly throughputPerS: number;
  readonly costUsdPerMonth: number;
  /** 95% confidence interval [low, high] over replications. */
  readonly throughputPerSCi95?: readonly [number, number];
  readonly costUsdPerMonthCi95?: readonly [number, number];
};

export type CostThroughputOptions = {
  readonly title?: string;
  readonly widthPx?: number;
  readonly heightPx?: number;
  /** Throughput axis scale (default log: configurations span orders of magnitude). */
  readonly xScale?: ScaleKind;
  readonly yScale?: ScaleKind;
  readonly throughputLabel?: string;
  /** Unit of throughput, shown in the axis title (default "msg/s"). */
  readonly throughputUnit?: string;
  /** Draw a frontier per group, one over all rows, or none (default per group). */
  readonly frontier?: "per-group" | "all" | "none";
};

const radiusPx = 4.5;

type Drawn = { row: CostThroughputRow; x: number; y: number; color: string; onFrontier: boolean };

function drawable(row: CostThroughputRow, xKind: ScaleKind, yKind: ScaleKind): boolean {
  const finite = Number.isFinite(row.throughputPerS) && Number.isFinite(row.costUsdPerMonth);
  return finite && (xKind === "linear" || row.throughputPerS > 0) && (yKind === "linear" || row.costUsdPerMonth > 0);
}

/** Which rows are on a frontier: per group, over all rows, or none. */
function frontierMembers(rows: readonly CostThroughputRow[], mode: "per-group" | "all" | "none"): { members: Set<number>; lines: number[][] } {
  const members = new Set<number>();
  const lines: number[][] = [];
  if (mode === "none") return { members, lines };
  const groups = mode === "all" ? [undefined] : distinctInOrder(rows.map((row) => row.group));
  for (const group of groups) {
    const indices = rows.map((_, index) => index).filter((index) => mode === "all" || rows[index]?.group === group);
    const line = paretoFrontier(indices.map((index) => rows[index] as CostThroughputRow)).map((local) => indices[local] as number);
    line.forEach((index) => members.add(index));
    lines.push(line);
  }
  return { members, lines };
}

function drawErrorBars(plot: Group, drawn: readonly Drawn[], x: NumericScale, y: NumericScale): void {
  const bars = plot.append("g").attr("class", "error-bars").attr("stroke-width", 1).attr("opacity", 0.65);
  const clampX = (value: number) => x(Math.max(value, x.domain()[0] as number));
  const clampY = (value: number) => y(Math.max(value, y.domain()[0] as number));
  for (const point of drawn) {
    const xCi = point.row.throughputPerSCi95;
    const yCi = point.row.costUsdPerMonthCi95;
    if (xCi !== undefined) {
      const [left, right] = [px(clampX(xCi[0])), px(clampX(xCi[1]))];
      bars.append("path").attr("d", `M${left},${px(point.y - 3)}v6M${left},${px(point.y)}H${right}M${right},${px(point.y - 3)}v6`).attr("stroke", point.color).attr("fill", "none");
    }
    if (yCi !== undefined) {
      const [low, high] = [px(clampY(yCi[0])), px(clampY(yCi[1]))];
      bars.append("path").attr("d", `M${px(point.x - 3)},${low}h6M${px(point.x)},${low}V${high}M${px(point.x - 3)},${high}h6`).attr("stroke", point.color).attr("fill", "none");
    }
  }
}

/** Thin boxes along a frontier's step segments, so labels keep off the lines. */
function stepObstacles(points: readonly Drawn[]): Box[] {
  const boxes: Box[] = [];
  for (let index = 1; index < points.length; index++) {
    const from = points[index - 1] as Drawn;
    const to = points[index] as Drawn;
    boxes.push({ x: from.x - 1, y: Math.min(from.y, to.y), widthPx: 2, heightPx: Math.abs(to.y - from.y) });
    boxes.push({ x: from.x, y: to.y - 1, widthPx: to.x - from.x, heightPx: 2 });
  }
  return boxes;
}

function drawLabels(plot: Group, drawn: readonly Drawn[], obstacles: readonly Box[], widthPx: number, heightPx: number): void {
  const order = [...drawn.keys()].sort((a, b) => Number((drawn[b] as Drawn).onFrontier) - Number((drawn[a] as Drawn).onFrontier) || a - b);
  const requests = order.map((index) => ({ anchorX: (drawn[index] as Drawn).x, anchorY: (drawn[index] as Drawn).y, text: (drawn[index] as Drawn).row.label }));
  const bounds = { x: 0, y: 0, widthPx, heightPx };
  const placed = placeLabels(requests, drawn, { fontSizePx: fontSizePx.label, pointRadiusPx: radiusPx + 1, bounds, obstacles });
  // A white halo under each label keeps it readable where it crosses a frontier or grid line.
  const layer = plot.append("g").attr("class", "labels").attr("font-size", fontSizePx.label).attr("stroke", "#ffffff").attr("stroke-width", 3).attr("paint-order", "stroke");
  placed.forEach((label, position) => {
    const color = (drawn[order[position] as number] as Drawn).color;
    if (label.leader) {
      const toX = Math.min(Math.max(label.anchorX, label.box.x), label.box.x + label.box.widthPx);
      const toY = Math.min(Math.max(label.anchorY, label.box.y), label.box.y + label.box.heightPx);
      layer.append("line").attr("x1", px(label.anchorX)).attr("y1", px(label.anchorY)).attr("x2", px(toX)).attr("y2", px(toY)).attr("stroke", ink.muted).attr("stroke-width", 0.6);
    }
    // The label takes its group's colour, so neighbouring dots of two groups are not confused.
    layer.append("text").attr("x", px(label.x)).attr("y", px(label.y)).attr("fill", color).text(label.text);
  });
}

/** The cost-versus-throughput scatter as SVG text. */
export function costThroughputSvg(rows: readonly CostThroughputRow[], options: CostThroughputOptions = {}): string {
  const xKind = options.xScale ?? "log";
  const yKind = options.yScale ?? "linear";
  const shown = rows.filter((row) => drawable(row, xKind, yKind));
  const groups = distinctInOrder(shown.map((row) => row.group));
  const colorOf = (row: CostThroughputRow) => seriesColor(groups.indexOf(row.group));
  const frontierMode = options.frontier ?? "per-group";
  const legend: LegendEntry[] = groups.filter((group): group is string => group !== undefined).map((group, index) => ({ label: group, color: seriesColor(index), mark: "dot" }));
  if (frontierMode !== "none") legend.push({ label: frontierMode === "all" ? "Pareto frontier" : "Pareto frontier of each group", color: ink.frontier, mark: "line" }, { label: "dominated", color: ink.muted, mark: "ring" });
  const hidden = rows.length - shown.length;
  const frame = createFrame({
    widthPx: options.widthPx ?? 760,
    heightPx: options.heightPx ?? 520,
    title: options.title ?? "Cost vs. throughput",
    legend,
    axes: { top: 12, right: 24, bottom: 52, left: 84 },
    footnote: hidden === 0 ? "" : `${hidden} of ${rows.length} configurations not shown: zero, negative or missing values cannot sit on a log axis.`,
  });
  const { plot, plotWidthPx, plotHeightPx } = frame;
  const xValues = shown.flatMap((row) => [row.throughputPerS, ...(row.throughputPerSCi95 ?? [])]);
  const yValues = shown.flatMap((row) => [row.costUsdPerMonth, ...(row.costUsdPerMonthCi95 ?? [])]);
  const x = numericScale(xKind, xValues, [0, plotWidthPx]);
  const y = numericScale(yKind, yValues, [plotHeightPx, 0]);
  const throughputTitle = axisTitle(options.throughputLabel ?? "Throughput", `${options.throughputUnit ?? "msg/s"}${xKind === "log" ? ", log scale" : ""}`);
  drawAxisBottom(plot, x, plotHeightPx, { kind: xKind, title: throughputTitle, gridPx: plotHeightPx });
  drawAxisLeft(plot, y, plotWidthPx, { kind: yKind, title: axisTitle("Cost", `USD/month${yKind === "log" ? ", log scale" : ""}`), gridPx: plotWidthPx });

  const { members, lines } = frontierMembers(shown, frontierMode);
  const drawn: Drawn[] = shown.map((row, index) => ({ row, x: x(row.throughputPerS), y: y(row.costUsdPerMonth), color: colorOf(row), onFrontier: members.has(index) }));
  const step = d3.line<Drawn>().x((point) => point.x).y((point) => point.y).curve(d3.curveStepBefore).digits(2);
  for (const line of lines) {
    if (line.length < 2) continue;
    const points = line.map((index) => drawn[index] as Drawn);
    const color = frontierMode === "all" ? ink.frontier : (points[0] as Drawn).color;
    plot.append("path").attr("class", "frontier").attr("d", step(points)).attr("fill", "none").attr("stroke", color).attr("stroke-width", 1.5).attr("opacity", 0.8);
  }
  drawErrorBars(plot, drawn, x, y);
  const dots = plot.append("g").attr("class", "points");
  for (const point of drawn) {
    dots
      .append("circle")
      .attr("cx", px(point.x))
      .attr("cy", px(point.y))
      .attr("r", radiusPx)
      .attr("fill", point.onFrontier || frontierMode === "none" ? point.color : "#ffffff")
      .attr("stroke", point.color)
      .attr("stroke-width", 1.5);
  }
  drawLabels(plot, drawn, lines.flatMap((line) => stepObstacles(line.map((index) => drawn[index] as Drawn))), plotWidthPx, plotHeightPx);
  return serializeSvg(frame.svg);
}
