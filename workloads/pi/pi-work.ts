// The compute scale factor c of the pi-chain workload (paper §4.4) and the work it costs.
//
// Mapping: one step computes pi to decimals(c) = max(1, round(100 × √c)) places: c = 1 is 100
// decimals, c = 100 is 1,000, c = 10,000 is 10,000. Machin's formula costs about the square of
// the decimals (pi-digits.ts), so the work of a step grows linearly with c, which is what a
// "compute scale factor" should mean: c = 10 is ten times the compute of c = 1.
//
// Work: the simulator charges `piWorkCoreUs(c)` core-microseconds per step instead of computing
// pi. The numbers come from calibration.json, written by `npx ssms calibrate pi`, which times the
// real computation on one core for a ladder of c values. Between calibrated points the work is
// interpolated linearly in log-log space (exact at the points, a power law in between); above
// the ladder it continues the last segment's power law; below it, it stays at the first point's
// work, since a tiny computation cannot get cheaper than its fixed overhead.

import { assert } from "../../engine/io/assert.ts";
import { ErrorCode } from "../../engine/io/errors.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";
import calibrationJson from "./calibration.json" with { type: "json" };

/** Decimals per square root of c; calibration.json records the value it was measured with. */
export const piDecimalsPerSqrtScale = 100;

export const piCalibrationFormat = "ssms-pi-calibration";

/** The decimals one pi-chain step computes at compute scale `computeScale`. */
export function piDecimalsOfScale(computeScale: number): number {
  assert(computeScale > 0 && Number.isFinite(computeScale), `compute scale must be finite and > 0, got ${computeScale}`);
  return Math.max(1, Math.round(piDecimalsPerSqrtScale * Math.sqrt(computeScale)));
}

export type PiCalibrationPoint = {
  readonly computeScale: number;
  readonly decimals: number;
  /** Median single-core time of one computation, microseconds. */
  readonly coreUsMedian: number;
  readonly samples: number;
};

export type PiCalibration = {
  readonly format: typeof piCalibrationFormat;
  readonly version: 1;
  readonly decimalsPerSqrtScale: number;
  /** Where it was measured: CPU model, cores, Node version, architecture. */
  readonly machine: Readonly<Record<string, string | number>>;
  readonly method: string;
  /** Sorted by computeScale, strictly increasing. */
  readonly points: readonly PiCalibrationPoint[];
};

function pointProblem(point: unknown, index: number, previousScale: number): string | undefined {
  if (typeof point !== "object" || point === null) return `points[${index}] is not an object`;
  const { computeScale, decimals, coreUsMedian, samples } = point as Record<string, unknown>;
  if (typeof computeScale !== "number" || !(computeScale > previousScale)) return `points[${index}].computeScale must be a number above the previous point's (${previousScale})`;
  if (decimals !== piDecimalsOfScale(computeScale)) return `points[${index}].decimals is ${String(decimals)}, but c = ${computeScale} maps to ${piDecimalsOfScale(computeScale)}`;
  if (typeof coreUsMedian !== "number" || !(coreUsMedian > 0 && Number.isFinite(coreUsMedian))) return `points[${index}].coreUsMedian must be a finite number > 0`;
  if (typeof samples !== "number" || !(Number.isInteger(samples) && samples > 0)) return `points[${index}].samples must be a positive integer`;
  return undefined;
}

/** Checks a parsed calibration file; `source` names it in the message. */
export function parsePiCalibration(json: unknown, source: string): Result<PiCalibration> {
  const fail = (why: string) => err(ErrorCode.configInvalid, `${source}: ${why}; rerun 'npx ssms calibrate pi' to rewrite it`);
  if (typeof json !== "object" || json === null) return fail("not a JSON object");
  const data = json as Record<string, unknown>;
  if (data["format"] !== piCalibrationFormat || data["version"] !== 1) return fail(`not a version 1 ${piCalibrationFormat} file`);
  if (data["decimalsPerSqrtScale"] !== piDecimalsPerSqrtScale) return fail(`measured with ${String(data["decimalsPerSqrtScale"])} decimals per √c, the code uses ${piDecimalsPerSqrtScale}`);
  const points = data["points"];
  if (!Array.isArray(points) || points.length < 2) return fail("needs at least two calibration points");
  let previousScale = 0;
  for (let index = 0; index < points.length; index++) {
    const problem = pointProblem(points[index], index, previousScale);
    if (problem !== undefined) return fail(problem);
    previousScale = (points[index] as PiCalibrationPoint).computeScale;
  }
  return ok(json as PiCalibration);
}

let committed: PiCalibration | undefined;

/** The committed calibration (workloads/pi/calibration.json), checked once. */
export function piCalibration(): PiCalibration {
  if (committed === undefined) {
    const parsed = parsePiCalibration(calibrationJson, "workloads/pi/calibration.json");
    assert(parsed.ok, parsed.ok ? "" : parsed.reason);
    committed = parsed.value;
  }
  return committed;
}

/** Core-microseconds one pi-chain step costs at compute scale `computeScale`. */
export function piWorkCoreUs(computeScale: number, calibration: PiCalibration = piCalibration()): number {
  assert(computeScale > 0 && Number.isFinite(computeScale), `compute scale must be finite and > 0, got ${computeScale}`);
  const points = calibration.points;
  const first = points[0]!;
  if (computeScale <= first.computeScale) return first.coreUsMedian;
  let upper = 1;
  while (upper < points.length - 1 && points[upper]!.computeScale < computeScale) upper++;
  const low = points[upper - 1]!;
  const high = points[upper]!;
  const slope = Math.log(high.coreUsMedian / low.coreUsMedian) / Math.log(high.computeScale / low.computeScale);
  return low.coreUsMedian * Math.pow(computeScale / low.computeScale, slope);
}
