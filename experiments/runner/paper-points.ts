// The points of a finished paper-figure run, as the figure and claims builders read them: each
// successful run's swept parameters (from the manifest, so object-valued parameters such as a
// whole DARQ pool keep their structure) joined with its numbers (from points.csv, so the
// builders read exactly what the run wrote). Parameters are found by the end of their grid path
// ("computeScale", "size", "colocation", "darq[0]"), so a config may write the paths in full.

import { readManifest, readText } from "../results/figures.ts";
import { cellNumber, parseCsv } from "../results/tables.ts";

export type PaperPoint = {
  readonly index: number;
  readonly replication: number;
  readonly params: Readonly<Record<string, unknown>>;
  /** throughputPerS, costUsdPerMonth, costUsdPerMonthPeak, … (NaN when the cell is empty). */
  metric(name: string): number;
};

/** The successful runs of `runDir`, in points.csv order. */
export function paperPoints(runDir: string): PaperPoint[] {
  const manifest = readManifest(runDir);
  const params = new Map(manifest.points.map((point) => [`${point.index}/${point.replication}`, point.params]));
  return parseCsv(readText(runDir, "points.csv")).rows.filter((row) => row["status"] === "ok").map((row) => ({
    index: Number(row["point"]),
    replication: Number(row["replication"]),
    params: params.get(`${row["point"]}/${row["replication"]}`) ?? {},
    metric: (name: string) => cellNumber(row, name),
  }));
}

/** The swept value whose grid path ends with `suffix`, or undefined. */
export function paramOf(point: PaperPoint, suffix: string): unknown {
  const key = Object.keys(point.params).find((path) => path === suffix || path.endsWith(`.${suffix}`));
  return key === undefined ? undefined : point.params[key];
}

/** The storage tier of a swept DARQ pool (or of a swept tier name): "hot-replicated", "ssd", "blob". */
export function tierOf(point: PaperPoint): string {
  const pool = paramOf(point, "darq[0]");
  if (typeof pool === "object" && pool !== null && typeof (pool as Record<string, unknown>)["tier"] === "string") return (pool as Record<string, string>)["tier"]!;
  const tier = paramOf(point, "tier");
  return typeof tier === "string" ? tier : "unknown";
}

/** The compute scale c of a point (NaN when not swept). */
export function scaleOf(point: PaperPoint): number {
  const scale = paramOf(point, "computeScale");
  return typeof scale === "number" ? scale : NaN;
}

/** Short names for figure labels. */
export const tierLabels: Readonly<Record<string, string>> = { "hot-replicated": "hot-replicated", ssd: "premium SSD", blob: "blob" };
export const colocationLabels: Readonly<Record<string, string>> = { none: "no co-location", darq: "co-located DARQ only", "darq-and-compute": "co-located DARQ and compute" };

/** Mean of a metric over the points that match, NaN when none do. */
export function meanOf(points: readonly PaperPoint[], metric: string, match: (point: PaperPoint) => boolean): number {
  const values = points.filter(match).map((point) => point.metric(metric));
  return values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}
