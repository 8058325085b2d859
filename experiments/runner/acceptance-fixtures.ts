// For the management layer's acceptance tests: the points of an experiment config in
// experiments/ (expanded as `ssms run` expands them, same seeds), run in-process by the sim
// executor, with the config's fault schedule read as the runner reads it.

import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFaultSchedule } from "../results/fault-schedule.ts";
import type { PointResult } from "./point.ts";
import type { Experiment } from "../schema.ts";
import { expandSweep, type SweepPoint } from "../sweep.ts";
import { executePointSim } from "../../sim/cluster/point-executor.ts";

const experimentsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The sweep points of experiments/<name>.json. */
export function experimentPoints(name: string): SweepPoint[] {
  return expandSweep(JSON.parse(readFileSync(join(experimentsDir, `${name}.json`), "utf8")) as Experiment);
}

/** Runs one point (with `change` applied to a copy of its config) as the runner would. */
export function runPoint(point: SweepPoint, change: (config: Experiment) => Experiment = (config) => config): PointResult {
  const config = change(structuredClone(point.config) as Experiment);
  const schedulePath = config.faults?.schedule;
  let faultSchedule;
  if (schedulePath !== undefined) {
    const parsed = parseFaultSchedule(readFileSync(join(experimentsDir, schedulePath), "utf8"), schedulePath);
    if (!parsed.ok) throw new Error(parsed.reason);
    faultSchedule = parsed.value;
  }
  return executePointSim(config, point.seed, {
    pointIndex: point.index, replication: point.replication, baseDir: experimentsDir, trace: false,
    timeseriesIntervalUs: config.outputs?.timeseriesIntervalUs ?? 1_000_000, ...(faultSchedule === undefined ? {} : { faultSchedule }),
  });
}

/** The point whose swept params equal `params` (compared as JSON). */
export function pointWith(points: readonly SweepPoint[], params: Readonly<Record<string, unknown>>): SweepPoint {
  const found = points.find((point) => Object.entries(params).every(([key, value]) => JSON.stringify(point.params[key]) === JSON.stringify(value)));
  if (found === undefined) throw new Error(`no point with ${JSON.stringify(params)}`);
  return found;
}

/** A metric of a point's result; a missing one is a test failure, not a silent undefined. */
export function metric(result: PointResult, name: string): number {
  const value = result.metrics?.[name];
  if (value === undefined) throw new Error(`the point result has no metric '${name}'`);
  return value;
}
