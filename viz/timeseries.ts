// Metrics over time as stacked panels sharing one time axis (throughput, latency, cost by
// default), with fault markers: a dashed vertical line at each fault, a shaded band while it
// lasts, and its label in a strip above the panels, stacked into rows so labels never overlap.

import * as d3 from "d3";
import { axisTitle, drawAxisBottom, drawAxisLeft, numericScale, type ScaleKind } from "./axes.ts";
import { serializeSvg, type Group } from "./dom.ts";
import { createFrame } from "./frame.ts";
import { formatCompact, px } from "./format.ts";
import { fontSizePx, ink, seriesColor, textWidthPx } from "./theme.ts";

/** One sample: its time and any metrics by name (a missing or non-finite metric is a gap). */
export type TimeseriesRow = { readonly timeUs: number; readonly [metric: string]: number };

export type TimeseriesSeries = {
  readonly key: string;
  readonly label: string;
  /** Multiplies the stored value for display, e.g. 1e-3 to show microseconds as ms. */
  readonly factor?: number;
};

export type TimeseriesPanel = {
  readonly title: string;
  readonly unit: string;
  readonly series: readonly TimeseriesSeries[];
  readonly scale?: ScaleKind;
};

export type FaultMarker = {
  readonly timeUs: number;
  readonly label: string;
  /** When the fault ends; the span between is shaded. */
  readonly endUs?: number;
};

export type TimeseriesOptions = {
  readonly title?: string;
  readonly widthPx?: number;
  readonly panelHeightPx?: number;
  /** Panels to draw; default throughput, latency (p50/p99) and cost, each only if present. */
  readonly panels?: readonly TimeseriesPanel[];
  readonly faults?: readonly FaultMarker[];
};

export const defaultPanels: readonly TimeseriesPanel[] = [
  { title: "Throughput", unit: "msg/s", series: [{ key: "throughputPerS", label: "throughput" }] },
  {
    title: "Latency",
    unit: "ms",
    series: [
      { key: "latencyUsP50", label: "p50", factor: 1e-3 },
      { key: "latencyUsP99", label: "p99", factor: 1e-3 },
    ],
  },
  { title: "Cost", unit: "USD/hour", series: [{ key: "costUsdPerHour", label: "cost" }] },
];

const panelGapPx = 22;
const faultRowPx = 14;
const faultRowsMax = 4;

type PlacedFault = { marker: FaultMarker; x: number; row: number; anchorEnd: boolean };

/** Rows for fault labels: each label takes the first row where it does not touch a neighbour. */
function layoutFaults(faults: readonly FaultMarker[], xOf: (timeUs: number) => number, widthPx: number): PlacedFault[] {
  const rowEnds: number[] = [];
  const sorted = [...faults].sort((a, b) => a.timeUs - b.timeUs || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return sorted.map((marker) => {
    const x = xOf(marker.timeUs);
    const textPx = textWidthPx(marker.label, fontSizePx.label) + 6;
    const anchorEnd = x + textPx > widthPx;
    const [start, end] = anchorEnd ? [x - textPx, x] : [x, x + textPx];
    let row = rowEnds.findIndex((rowEnd) => rowEnd < start);
    if (row < 0) row = rowEnds.length < faultRowsMax ? rowEnds.length : rowEnds.indexOf(Math.min(...rowEnds));
    rowEnds[row] = Math.max(rowEnds[row] ?? -Infinity, end);
    return { marker, x, row, anchorEnd };
  });
}

function drawPanelLegend(panelGroup: Group, panel: TimeseriesPanel, widthPx: number): void {
  if (panel.series.length < 2) return;
  let right = widthPx;
  for (let index = panel.series.length - 1; index >= 0; index--) {
    const series = panel.series[index] as TimeseriesSeries;
    const text = panelGroup.append("text").attr("x", px(right)).attr("y", -4).attr("text-anchor", "end").attr("font-size", fontSizePx.label).attr("fill", seriesColor(index));
    text.text(`— ${series.label}`);
    right -= textWidthPx(`— ${series.label}`, fontSizePx.label) + 10;
  }
}

/** The stacked time-series figure as SVG text. */
export function timeseriesSvg(rows: readonly TimeseriesRow[], options: TimeseriesOptions = {}): string {
  const panels = (options.panels ?? defaultPanels).filter((panel) => panel.series.some((series) => rows.some((row) => Number.isFinite(row[series.key]))));
  const faults = options.faults ?? [];
  const panelHeightPx = options.panelHeightPx ?? 150;
  const widthPx = options.widthPx ?? 760;
  const margins = { left: 84, right: 24 };
  const plotWidthPx = widthPx - margins.left - margins.right;
  const x = numericScale("linear", [...rows.map((row) => row.timeUs / 1e6), ...faults.flatMap((fault) => [fault.timeUs / 1e6, (fault.endUs ?? fault.timeUs) / 1e6])], [0, plotWidthPx]);
  const placed = layoutFaults(faults, (timeUs) => x(timeUs / 1e6), plotWidthPx);
  const faultStripPx = placed.length === 0 ? 0 : (Math.max(...placed.map((fault) => fault.row)) + 1) * faultRowPx + 6;
  const stackPx = Math.max(1, panels.length) * (panelHeightPx + panelGapPx) - panelGapPx;
  const frame = createFrame({
    widthPx,
    heightPx: 28 + 14 + faultStripPx + stackPx + 52 + 8,
    title: options.title ?? "Over time",
    legend: [],
    axes: { top: 14 + faultStripPx, right: margins.right, bottom: 52, left: margins.left },
    footnote: "",
  });
  const { plot } = frame;
  // Fault spans go first so the metric lines are drawn over them.
  const bands = plot.append("g").attr("class", "fault-spans");
  for (const fault of placed) {
    if (fault.marker.endUs === undefined || fault.marker.endUs <= fault.marker.timeUs) continue;
    const end = x(fault.marker.endUs / 1e6);
    bands.append("rect").attr("x", px(fault.x)).attr("y", 0).attr("width", px(end - fault.x)).attr("height", px(stackPx)).attr("fill", ink.faultBand).attr("opacity", 0.6);
  }
  panels.forEach((panel, index) => {
    const top = index * (panelHeightPx + panelGapPx);
    const group = plot.append("g").attr("class", "panel").attr("transform", `translate(0,${px(top)})`);
    const kind = panel.scale ?? "linear";
    const values = panel.series.flatMap((series) => rows.map((row) => (row[series.key] ?? NaN) * (series.factor ?? 1)));
    const y = numericScale(kind, values, [panelHeightPx, 0]);
    drawAxisLeft(group, y, plotWidthPx, { kind, title: axisTitle(panel.title, panel.unit), gridPx: plotWidthPx, tickCount: 4, format: formatCompact });
    const last = index === panels.length - 1;
    drawAxisBottom(group, x, panelHeightPx, { kind: "linear", title: axisTitle("Time", "s"), gridPx: 0, labels: last });
    drawPanelLegend(group, panel, plotWidthPx);
    panel.series.forEach((series, seriesIndex) => {
      const line = d3
        .line<TimeseriesRow>()
        .defined((row) => Number.isFinite(row[series.key]) && (kind === "linear" || (row[series.key] ?? 0) > 0))
        .x((row) => x(row.timeUs / 1e6))
        .y((row) => y((row[series.key] ?? NaN) * (series.factor ?? 1)))
        .digits(2);
      group.append("path").attr("d", line([...rows].sort((a, b) => a.timeUs - b.timeUs))).attr("fill", "none").attr("stroke", seriesColor(seriesIndex)).attr("stroke-width", 1.5);
    });
  });
  const faultLayer = plot.append("g").attr("class", "faults");
  for (const fault of placed) {
    const labelY = -faultStripPx + (fault.row + 1) * faultRowPx - 2;
    faultLayer.append("line").attr("x1", px(fault.x)).attr("x2", px(fault.x)).attr("y1", px(labelY + 3)).attr("y2", px(stackPx)).attr("stroke", ink.fault).attr("stroke-dasharray", "4,3");
    faultLayer
      .append("text")
      .attr("x", px(fault.anchorEnd ? fault.x - 3 : fault.x + 3))
      .attr("y", px(labelY))
      .attr("text-anchor", fault.anchorEnd ? "end" : "start")
      .attr("font-size", fontSizePx.label)
      .attr("fill", ink.fault)
      .text(fault.marker.label);
  }
  return serializeSvg(frame.svg);
}
