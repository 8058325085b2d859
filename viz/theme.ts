// One look for every figure: the font resvg is given (DejaVu Sans, shipped by the
// dejavu-fonts-ttf package so a fresh machine renders the same PNG), sizes, and a colour-blind
// safe palette in a fixed order, so series keep their colour across figures.

export const fontFamily = "DejaVu Sans";

export const fontSizePx = { title: 15, axisTitle: 12, tick: 11, label: 10, legend: 11, note: 10 } as const;

/**
 * Average advance width of a DejaVu Sans character, as a fraction of the font size. Labels are
 * placed before any renderer measures them, so overlap avoidance works on this estimate; it
 * errs wide (digits and lower case average about 0.58).
 */
export const charWidthEm = 0.62;

export const ink = {
  text: "#222222",
  muted: "#666666",
  axis: "#444444",
  grid: "#e6e6e6",
  frontier: "#333333",
  fault: "#c0392b",
  faultBand: "#f5d5d0",
  boxStroke: "#9a9a9a",
  boxFill: "#fafafa",
  background: "#ffffff",
} as const;

const palette = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000", "#999999"] as const;

/** The colour of the `index`-th series (wraps after eight). */
export function seriesColor(index: number): string {
  return palette[((index % palette.length) + palette.length) % palette.length] as string;
}

/** Estimated width of `text` at `fontSizePx`, for layout before rendering. */
export function textWidthPx(text: string, fontSize: number): number {
  return text.length * fontSize * charWidthEm;
}
