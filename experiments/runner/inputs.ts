// The runner's inputs: the experiment file, validated (every problem reported, with its path),
// and the files a config names, read relative to the experiment file's directory: the arrival
// trace (workload.arrival.path) and a recorded fault schedule (faults.schedule). Executors get
// them parsed, through PointOptions, so no executor touches the file system. Each file is read
// once per run however many sweep points use it.

import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ErrorCode } from "../../engine/io/errors.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";
import { parseArrivalTrace } from "../../workloads/arrivals/trace-parse.ts";
import { validateExperiment, validateExperimentText } from "../config-errors.ts";
import { experimentDurationUs, type Experiment } from "../schema.ts";
import { parseFaultSchedule, type FaultRecord } from "../results/fault-schedule.ts";
import type { PointOptions } from "./point.ts";

export type LoadedExperiment = {
  readonly config: Experiment;
  /** The experiment file as given, and the directory its relative paths resolve against. */
  readonly path: string;
  readonly baseDir: string;
};

function readText(path: string, what: string): Result<string> {
  try {
    return ok(readFileSync(path, "utf8"));
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : cause instanceof Error ? cause.message : String(cause);
    return err(ErrorCode.argumentInvalid, `cannot read ${what} ${path}: ${reason}`);
  }
}

/** A --seed value: digits become the integer seed (as in a config file), anything else a string. */
export function seedOf(text: string): string | number {
  return /^\d{1,15}$/.test(text) ? Number(text) : text;
}

/** Reads and validates an experiment file; `seed` (from --seed) replaces the config's seed. */
export function loadExperiment(path: string, seed?: string): Result<LoadedExperiment> {
  const text = readText(path, "experiment file");
  if (!text.ok) return text;
  const baseDir = dirname(resolve(path));
  let validated: Result<Experiment>;
  if (seed === undefined) {
    validated = validateExperimentText(text.value, path);
  } else {
    let json: unknown;
    try {
      json = JSON.parse(text.value);
    } catch {
      return validateExperimentText(text.value, path) as Result<never>;
    }
    if (typeof json === "object" && json !== null && !Array.isArray(json)) (json as Record<string, unknown>)["seed"] = seedOf(seed);
    validated = validateExperiment(json, path);
  }
  return validated.ok ? ok({ config: validated.value, path, baseDir }) : validated;
}

/** Reads each input file once; holds parsed contents by absolute path. */
export class InputFiles {
  private readonly traces = new Map<string, Result<Float64Array>>();
  private readonly schedules = new Map<string, Result<FaultRecord[]>>();

  constructor(private readonly baseDir: string) {}

  arrivalTimes(relativePath: string): Result<Float64Array> {
    const path = resolve(this.baseDir, relativePath);
    let parsed = this.traces.get(path);
    if (parsed === undefined) {
      const text = readText(path, "arrival trace");
      parsed = text.ok ? parseArrivalTrace(text.value, path) : text;
      this.traces.set(path, parsed);
    }
    return parsed;
  }

  faultSchedule(relativePath: string): Result<FaultRecord[]> {
    const path = resolve(this.baseDir, relativePath);
    let parsed = this.schedules.get(path);
    if (parsed === undefined) {
      const text = readText(path, "fault schedule");
      parsed = text.ok ? parseFaultSchedule(text.value, path) : text;
      this.schedules.set(path, parsed);
    }
    return parsed;
  }
}

/**
 * The PointOptions of one point of `config`. `recordedFaults` (replay) takes the place of the
 * config's fault schedule or model.
 */
export function pointOptionsOf(config: Experiment, index: number, replication: number, inputs: InputFiles, baseDir: string, recordedFaults?: readonly FaultRecord[]): Result<PointOptions> {
  const durationUs = experimentDurationUs(config);
  const arrival = config.workload.arrival;
  let arrivalTimesUs: Float64Array | undefined;
  if (arrival !== undefined && arrival.kind === "trace") {
    const times = inputs.arrivalTimes(arrival.path);
    if (!times.ok) return times;
    arrivalTimesUs = times.value;
  }
  let faultSchedule = recordedFaults;
  const schedulePath = config.faults?.schedule;
  if (faultSchedule === undefined && schedulePath !== undefined) {
    const schedule = inputs.faultSchedule(schedulePath);
    if (!schedule.ok) return schedule;
    faultSchedule = schedule.value;
  }
  return ok({
    pointIndex: index,
    replication,
    baseDir,
    trace: config.outputs?.trace ?? false,
    timeseriesIntervalUs: config.outputs?.timeseriesIntervalUs ?? Math.max(1, Math.min(1_000_000, durationUs)),
    ...(arrivalTimesUs === undefined ? {} : { arrivalTimesUs }),
    ...(faultSchedule === undefined ? {} : { faultSchedule }),
  });
}
