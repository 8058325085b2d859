// Legends: a row of swatches with names, wrapped to a width. Each entry says how its series is
// drawn (a dot, a hollow dot, a bar, a solid or dashed line), so the legend matches the marks.

import type { Group } from "./dom.ts";
import { px } from "./format.ts";
import { fontSizePx, textWidthPx } from "./theme.ts";

export type LegendMark = "dot" | "ring" | "bar" | "line" | "dashed";

export type LegendEntry = { readonly label: string; readonly color: string; readonly mark: LegendMark };

const swatchPx = 14;
const gapPx = 18;
const rowHeightPx = 18;

function drawMark(entry: LegendEntry, at: Group): void {
  const middle = swatchPx / 2;
  switch (entry.mark) {
    case "dot":
      at.append("circle").attr("cx", middle).attr("cy", 0).attr("r", 4.5).attr("fill", entry.color);
      return;
    case "ring":
      at.append("circle").attr("cx", middle).attr("cy", 0).attr("r", 4).attr("fill", "#ffffff").attr("stroke", entry.color).attr("stroke-width", 1.5);
      return;
    case "bar":
      at.append("rect").attr("x", 1).attr("y", -6).attr("width", 12).attr("height", 12).attr("fill", entry.color);
      return;
    case "line":
    case "dashed":
      at.append("line").attr("x1", 0).attr("x2", swatchPx).attr("stroke", entry.color).attr("stroke-width", 2).attr("stroke-dasharray", entry.mark === "dashed" ? "5,3" : null);
      return;
  }
}

/**
 * Draws `entries` left to right from (x, y) (the middle of the first row), wrapping at
 * `widthPx`. Returns the height used, so the caller can place what comes below.
 */
export function drawLegend(parent: Group, entries: readonly LegendEntry[], x: number, y: number, widthPx: number): number {
  const legend = parent.append("g").attr("class", "legend").attr("transform", `translate(${px(x)},${px(y)})`);
  let column = 0;
  let row = 0;
  for (const entry of entries) {
    const entryWidth = swatchPx + 5 + textWidthPx(entry.label, fontSizePx.legend);
    if (column > 0 && column + entryWidth > widthPx) {
      column = 0;
      row++;
    }
    const at = legend.append("g").attr("transform", `translate(${px(column)},${row * rowHeightPx})`);
    drawMark(entry, at);
    at.append("text").attr("x", swatchPx + 5).attr("y", 4).attr("font-size", fontSizePx.legend).text(entry.label);
    column += entryWidth + gapPx;
  }
  return entries.length === 0 ? 0 : (row + 1) * rowHeightPx;
}

/** Height a legend of `entries` will take at `widthPx`, for laying out before drawing. */
export function legendHeightPx(entries: readonly LegendEntry[], widthPx: number): number {
  let column = 0;
  let rows = entries.length === 0 ? 0 : 1;
  for (const entry of entries) {
    const entryWidth = swatchPx + 5 + textWidthPx(entry.label, fontSizePx.legend);
    if (column > 0 && column + entryWidth > widthPx) {
      column = 0;
      rows++;
    }
    column += entryWidth + gapPx;
  }
  return rows * rowHeightPx;
}
