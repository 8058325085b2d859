// Calibration of the pi-chain work model: times the real pi computation (workloads/pi) on this
// machine for a ladder of compute scales and produces the PiCalibration that the simulator reads
// (workloads/pi/calibration.json). It lives outside workloads/ because it reads the wall clock,
// which deterministic code may not.
//
// Method: one warm-up pass over the whole ladder (so the JIT has compiled the BigInt loop for
// every size), then for each scale repeated runs until both `samplesMin` runs and `budgetMsPerPoint`
// milliseconds are spent (at most `samplesMax` runs); the median is recorded. The median, not the
// mean, because a shared machine adds occasional long outliers. Times are single-threaded, so
// they are core-microseconds.

import { availableParallelism, cpus } from "node:os";
import { median } from "simple-statistics";
import { piDigits } from "../workloads/pi/pi-digits.ts";
import { piCalibrationFormat, piDecimalsOfScale, piDecimalsPerSqrtScale, type PiCalibration, type PiCalibrationPoint } from "../workloads/pi/pi-work.ts";

export type CalibrateOptions = {
  /** Compute scales to measure, increasing; default 0.01 to 10,000 by decades. */
  readonly scales?: readonly number[];
  readonly budgetMsPerPoint?: number;
  readonly samplesMin?: number;
  readonly samplesMax?: number;
  /** Called after each point, for progress output. */
  readonly onPoint?: (point: PiCalibrationPoint) => void;
};

export const calibrationScalesDefault: readonly number[] = [0.01, 0.1, 1, 10, 100, 1000, 10_000];

/** The pi digits are kept in a sink the optimizer cannot see through, so no run is elided. */
let sinkLength = 0;

function timeOnceUs(decimals: number): number {
  const startMs = performance.now();
  sinkLength += piDigits(decimals).length;
  return (performance.now() - startMs) * 1000;
}

function measure(computeScale: number, options: CalibrateOptions): PiCalibrationPoint {
  const decimals = piDecimalsOfScale(computeScale);
  const budgetUs = (options.budgetMsPerPoint ?? 300) * 1000;
  const samplesMin = options.samplesMin ?? 5;
  const samplesMax = options.samplesMax ?? 500;
  const times: number[] = [];
  let spentUs = 0;
  while (times.length < samplesMax && (times.length < samplesMin || spentUs < budgetUs)) {
    const timeUs = timeOnceUs(decimals);
    times.push(timeUs);
    spentUs += timeUs;
  }
  // Round to 0.01 us: finer digits are noise and would churn the committed file.
  const coreUsMedian = Math.max(0.01, Math.round(median(times) * 100) / 100);
  return { computeScale, decimals, coreUsMedian, samples: times.length };
}

/** Measures the ladder and returns a calibration ready to write as JSON. */
export function calibratePi(options: CalibrateOptions = {}): PiCalibration {
  const scales = options.scales ?? calibrationScalesDefault;
  for (const scale of scales) timeOnceUs(piDecimalsOfScale(scale));
  const points = scales.map((scale) => {
    const point = measure(scale, options);
    options.onPoint?.(point);
    return point;
  });
  if (sinkLength < 0) throw new Error("unreachable: digit counts are positive");
  const cpu = cpus()[0];
  return {
    format: piCalibrationFormat,
    version: 1,
    decimalsPerSqrtScale: piDecimalsPerSqrtScale,
    machine: { cpuModel: cpu?.model.trim() ?? "unknown", cores: availableParallelism(), node: process.version, arch: process.arch },
    method: "median single-thread wall time of piDigits(decimals) (Machin, BigInt) after one warm-up pass; core-microseconds",
    points,
  };
}
