// The frame every chart shares: a title line, an optional legend under it, a plot area with
// margins for the axes, and a footnote line. Builders ask for a frame and draw into `plot`,
// whose origin is the plot area's top-left corner.

import { createSvg, type Group, type Svg } from "./dom.ts";
import { px } from "./format.ts";
import { drawLegend, legendHeightPx, type LegendEntry } from "./legend.ts";
import { fontSizePx, ink } from "./theme.ts";

export type Margins = { readonly top: number; readonly right: number; readonly bottom: number; readonly left: number };

export type Frame = {
  readonly svg: Svg;
  readonly plot: Group;
  readonly plotWidthPx: number;
  readonly plotHeightPx: number;
  readonly margins: Margins;
};

export type FrameOptions = {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly title: string;
  readonly legend: readonly LegendEntry[];
  /** Space for axes around the plot (top is added below the title and legend). */
  readonly axes: Margins;
  /** A line under the plot (e.g. how many points a log axis could not show); "" for none. */
  readonly footnote: string;
};

export function createFrame(options: FrameOptions): Frame {
  const svg = createSvg(options.widthPx, options.heightPx);
  const titleHeightPx = options.title.length > 0 ? 28 : 8;
  svg
    .append("text")
    .attr("class", "title")
    .attr("x", 16)
    .attr("y", 22)
    .attr("font-size", fontSizePx.title)
    .attr("font-weight", "bold")
    .text(options.title);
  const legendWidthPx = options.widthPx - 32;
  const legendPx = legendHeightPx(options.legend, legendWidthPx);
  if (legendPx > 0) drawLegend(svg.append("g"), options.legend, 16, titleHeightPx + 10, legendWidthPx);
  const footnotePx = options.footnote.length > 0 ? 16 : 0;
  const margins: Margins = {
    top: titleHeightPx + legendPx + options.axes.top,
    right: options.axes.right,
    bottom: options.axes.bottom + footnotePx,
    left: options.axes.left,
  };
  if (footnotePx > 0) {
    svg
      .append("text")
      .attr("class", "footnote")
      .attr("x", 16)
      .attr("y", options.heightPx - 8)
      .attr("font-size", fontSizePx.note)
      .attr("fill", ink.muted)
      .text(options.footnote);
  }
  const plot = svg.append("g").attr("class", "plot").attr("transform", `translate(${px(margins.left)},${px(margins.top)})`);
  return {
    svg,
    plot,
    plotWidthPx: options.widthPx - margins.left - margins.right,
    plotHeightPx: options.heightPx - margins.top - margins.bottom,
    margins,
  };
}

/** Distinct values in first-seen order: series and categories keep the order of the rows. */
export function distinctInOrder<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
