// The paper figures that `ssms figures` regenerates: every experiments/paper/<name>.json config is
// run, and the builder mapped to <name> draws paper-figures/<name>.svg (and .png) from the run
// directory. Adding a figure is adding a config and, unless the default cost-vs-throughput scatter
// is what it needs, one line in `paperFigures` naming its builder.

import { aggregateCostThroughput } from "../../viz/replications.ts";
import { costThroughputSvg } from "../../viz/cost-throughput.ts";
import { costThroughputRuns, readManifest, readText, timeseriesFigures } from "../results/figures.ts";
import { parseCsv } from "../results/tables.ts";
import { figure3Svg, figure4Svg } from "./paper-figure-builders.ts";

/** Draws one figure (SVG text) from a finished run directory. */
export type PaperFigureBuilder = (runDir: string) => string;

function costThroughputFigure(runDir: string): string {
  const manifest = readManifest(runDir);
  const rows = parseCsv(readText(runDir, "points.csv")).rows;
  const runs = costThroughputRuns(rows, Object.keys(manifest.points[0]?.params ?? {}), manifest.experiment);
  if (runs.length === 0) throw new Error(`${runDir}: no point ran, so there is nothing to plot`);
  return costThroughputSvg(aggregateCostThroughput(runs), { title: `${manifest.experiment}: cost vs. throughput` });
}

function timeseriesFigure(runDir: string): string {
  const figure = timeseriesFigures(runDir, readManifest(runDir))[0];
  if (figure === undefined) throw new Error(`${runDir}: no point recorded a time series`);
  return figure.figure.svg;
}

export const figureBuilders = {
  "cost-throughput": costThroughputFigure,
  timeseries: timeseriesFigure,
  "paper-figure-3": figure3Svg,
  "paper-figure-4": figure4Svg,
} satisfies Record<string, PaperFigureBuilder>;

export type FigureBuilderName = keyof typeof figureBuilders;

/** Builder per paper config (file name without .json); a config not listed gets cost-throughput. */
export const paperFigures: Readonly<Record<string, FigureBuilderName>> = {
  "figure-3": "paper-figure-3",
  "figure-4": "paper-figure-4",
};

export function paperFigureBuilder(name: string): PaperFigureBuilder {
  return figureBuilders[paperFigures[name] ?? "cost-throughput"];
}
