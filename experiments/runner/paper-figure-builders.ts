// The builders of the paper's Figures 3 and 4 from their runs (experiments/paper/figure-3.json and
// figure-4.json), registered in paper-figures.ts.
//
// Figure 3, cost vs throughput: one dot per (VM size, DARQ backend), coloured by compute scale c;
// a blob-backed configuration is drawn twice, priced at 10% utilisation and at peak (the
// executor's costUsdPerMonthUtilisation10 and costUsdPerMonthPeak), as the paper prices it. Other
// backends are priced at peak (their cost is provisioned, so utilisation barely moves it).
// Figure 4, co-location: grouped bars of throughput on a log axis, one group per c, one bar per
// co-location mode. Replications become 95% confidence intervals on both.

import { costThroughputSvg } from "../../viz/cost-throughput.ts";
import { groupedBarsSvg } from "../../viz/grouped-bars.ts";
import { aggregateBars, aggregateCostThroughput, type BarRun, type CostThroughputRun } from "../../viz/replications.ts";
import { colocationLabels, paperPoints, paramOf, scaleOf, tierLabels, tierOf, type PaperPoint } from "./paper-points.ts";

/** A VM size as the paper writes it: "D8s_v3" → "D8s v3". */
function vmLabel(point: PaperPoint): string {
  const size = paramOf(point, "size");
  return typeof size === "string" ? size.replace(/^Standard_/, "").replace(/_/g, " ") : "VM";
}

/** The Figure 3 dots of one run: blob twice (10% utilisation and peak), the rest once. */
export function figure3Runs(points: readonly PaperPoint[]): CostThroughputRun[] {
  const runs: CostThroughputRun[] = [];
  for (const point of points) {
    const tier = tierOf(point);
    const base = { group: `c = ${scaleOf(point)}`, throughputPerS: point.metric("throughputPerS") };
    const label = `${vmLabel(point)}, ${tierLabels[tier] ?? tier}`;
    if (tier === "blob") {
      runs.push({ ...base, label: `${label} @10%`, costUsdPerMonth: point.metric("costUsdPerMonthUtilisation10") });
      runs.push({ ...base, label: `${label} @peak`, costUsdPerMonth: point.metric("costUsdPerMonthPeak") });
    } else {
      runs.push({ ...base, label, costUsdPerMonth: point.metric("costUsdPerMonthPeak") });
    }
  }
  return runs;
}

export function figure3Svg(runDir: string): string {
  const runs = figure3Runs(paperPoints(runDir));
  if (runs.length === 0) throw new Error(`${runDir}: no point of Figure 3 ran, so there is nothing to plot`);
  return costThroughputSvg(aggregateCostThroughput(runs), {
    title: "Figure 3: SSMS cost-performance trade-off space (pi chain)", throughputUnit: "tasks/s", widthPx: 900, heightPx: 560,
  });
}

/** The Figure 4 bars of one run: throughput per (c, co-location mode). */
export function figure4Runs(points: readonly PaperPoint[]): BarRun[] {
  return points.map((point) => {
    const mode = paramOf(point, "colocation");
    const name = typeof mode === "string" ? mode : "none";
    return { category: `c = ${scaleOf(point)}`, series: colocationLabels[name] ?? name, value: point.metric("throughputPerS") };
  });
}

export function figure4Svg(runDir: string): string {
  const runs = figure4Runs(paperPoints(runDir));
  if (runs.length === 0) throw new Error(`${runDir}: no point of Figure 4 ran, so there is nothing to plot`);
  return groupedBarsSvg(aggregateBars(runs), {
    title: "Figure 4: benefits of co-location (pi chain)", valueLabel: "Throughput", valueUnit: "tasks/s",
    categoryLabel: "Compute scale c", scale: "log", seriesOrder: Object.values(colocationLabels),
  });
}
