// Grouped bars on a (default log) value axis: one group per category (e.g. compute scale c), one
// bar per series inside it (e.g. co-location mode), as in the paper's Figure 4, with 95%
// confidence intervals as error bars and the value printed over each bar when it fits.

import * as d3 from "d3";
import { axisTitle, drawAxisLeft, numericScale, type ScaleKind } from "./axes.ts";
import { serializeSvg, type Group } from "./dom.ts";
import { createFrame, distinctInOrder } from "./frame.ts";
import { formatCompact, px } from "./format.ts";
import { fontSizePx, ink, seriesColor, textWidthPx } from "./theme.ts";

export type BarRow = {
  /** The x-axis group, e.g. "c=1". */
  readonly category: string;
  /** The bar within the group (colour, legend), e.g. "co-located both". */
  readonly series: string;
  readonly value: number;
  /** 95% confidence interval [low, high] over replications. */
  readonly ci95?: readonly [number, number];
};

export type GroupedBarsOptions = {
  readonly title?: string;
  readonly widthPx?: number;
  readonly heightPx?: number;
  /** What the bars measure and its unit: "Throughput", "steps/s". */
  readonly valueLabel: string;
  readonly valueUnit: string;
  /** What the groups are: "Compute scale c". */
  readonly categoryLabel: string;
  /** Value axis scale (default log: co-location moves throughput by orders of magnitude). */
  readonly scale?: ScaleKind;
  /** Orders of categories and series; default the order they first appear in the rows. */
  readonly categoryOrder?: readonly string[];
  readonly seriesOrder?: readonly string[];
};

function drawCategoryAxis(plot: Group, outer: d3.ScaleBand<string>, plotHeightPx: number, title: string): void {
  const axis = plot.append("g").attr("class", "axis axis-x").attr("transform", `translate(0,${px(plotHeightPx)})`);
  const [left, right] = outer.range() as [number, number];
  axis.append("line").attr("x1", px(left)).attr("x2", px(right)).attr("stroke", ink.axis);
  for (const category of outer.domain()) {
    const x = px((outer(category) ?? 0) + outer.bandwidth() / 2);
    axis.append("text").attr("x", x).attr("y", 18).attr("text-anchor", "middle").attr("font-size", fontSizePx.tick).text(category);
  }
  axis.append("text").attr("class", "axis-title").attr("x", px((left + right) / 2)).attr("y", 38).attr("text-anchor", "middle").attr("font-size", fontSizePx.axisTitle).text(title);
}

/** The grouped bar chart as SVG text. */
export function groupedBarsSvg(rows: readonly BarRow[], options: GroupedBarsOptions): string {
  const kind = options.scale ?? "log";
  const shown = rows.filter((row) => Number.isFinite(row.value) && (kind === "linear" || row.value > 0));
  const categories = options.categoryOrder ?? distinctInOrder(rows.map((row) => row.category));
  const series = options.seriesOrder ?? distinctInOrder(rows.map((row) => row.series));
  const hidden = rows.length - shown.length;
  const frame = createFrame({
    widthPx: options.widthPx ?? 760,
    heightPx: options.heightPx ?? 460,
    title: options.title ?? `${options.valueLabel} by ${options.categoryLabel}`,
    legend: series.map((name, index) => ({ label: name, color: seriesColor(index), mark: "bar" })),
    axes: { top: 18, right: 24, bottom: 52, left: 84 },
    footnote: hidden === 0 ? "" : `${hidden} of ${rows.length} bars not shown: zero, negative or missing values cannot sit on a log axis.`,
  });
  const { plot, plotWidthPx, plotHeightPx } = frame;
  const values = shown.flatMap((row) => [row.value, ...(row.ci95 ?? [])]);
  // A log bar needs room below it: start the axis at least a factor of two under the smallest
  // bar, on a decade, or the smallest bar would have no height at all.
  const smallest = Math.min(...shown.map((row) => row.value).filter((value) => value > 0));
  if (kind === "log" && Number.isFinite(smallest)) values.push(10 ** Math.floor(Math.log10(smallest / 2)));
  const y = numericScale(kind, values, [plotHeightPx, 0]);
  const title = axisTitle(options.valueLabel, `${options.valueUnit}${kind === "log" ? ", log scale" : ""}`);
  drawAxisLeft(plot, y, plotWidthPx, { kind, title, gridPx: plotWidthPx });
  const outer = d3.scaleBand<string>().domain(categories).range([0, plotWidthPx]).paddingInner(0.22).paddingOuter(0.12);
  const inner = d3.scaleBand<string>().domain(series).range([0, outer.bandwidth()]).padding(0.08);
  drawCategoryAxis(plot, outer, plotHeightPx, axisTitle(options.categoryLabel, ""));

  const baseline = kind === "log" ? (y.domain()[0] as number) : 0;
  const bars = plot.append("g").attr("class", "bars");
  const whiskers = plot.append("g").attr("class", "error-bars").attr("stroke", ink.text).attr("stroke-width", 1).attr("fill", "none");
  const valueLabels = plot.append("g").attr("class", "value-labels").attr("font-size", fontSizePx.label).attr("text-anchor", "middle");
  for (const row of shown) {
    const groupX = outer(row.category);
    const barX = inner(row.series);
    if (groupX === undefined || barX === undefined) continue;
    const x = groupX + barX;
    const top = y(row.value);
    const bottom = y(baseline);
    const color = seriesColor(series.indexOf(row.series));
    // A negative value (linear scale only) hangs below the zero line, its label under it.
    bars.append("rect").attr("x", px(x)).attr("y", px(Math.min(top, bottom))).attr("width", px(inner.bandwidth())).attr("height", px(Math.abs(bottom - top))).attr("fill", color);
    const middle = x + inner.bandwidth() / 2;
    let labelY = top > bottom ? top + fontSizePx.label + 2 : top - 4;
    if (row.ci95 !== undefined) {
      const [low, high] = [px(y(Math.max(row.ci95[0], baseline))), px(y(row.ci95[1]))];
      whiskers.append("path").attr("d", `M${px(middle - 4)},${low}h8M${px(middle)},${low}V${high}M${px(middle - 4)},${high}h8`);
      labelY = Math.min(labelY, high - 4);
    }
    const text = formatCompact(row.value);
    if (textWidthPx(text, fontSizePx.label) <= inner.bandwidth() + inner.step() * 0.08) valueLabels.append("text").attr("x", px(middle)).attr("y", px(labelY)).text(text);
  }
  return serializeSvg(frame.svg);
}
