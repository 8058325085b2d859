// Executors that misbehave on purpose, for the runner's tests: they prove that a failing point
// fails only itself, is reported, and replays as the same failure; that an invalid or unclonable
// result is caught; and that a worker thread dying mid-point is survived. Each one behaves like
// the queue simulation (executor-queue-sim.ts) except under its stated condition, so a sweep
// mixes good and bad points.

import { isMainThread } from "node:worker_threads";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Experiment } from "../schema.ts";
import { executePointQueueSim } from "./executor-queue-sim.ts";
import type { PointOptions, PointResult } from "./point.ts";

function computeScaleOf(config: Experiment): number {
  return config.workload.kind === "pi-chain" ? config.workload.computeScale : 0;
}

/** Fails every pi-chain point with computeScale > 50, as a model hitting a limit would. */
export function executeFailingAboveScale50(config: Experiment, seed: string, options: PointOptions): PointResult {
  if (computeScaleOf(config) > 50) {
    throw new SsmsError(ErrorCode.simulationLimit, `compute scale ${computeScaleOf(config)} is above this executor's limit of 50 (seed ${seed})`);
  }
  return executePointQueueSim(config, seed, options);
}

/** Returns a result with a non-finite throughput for computeScale > 50. */
export function executeInvalidAboveScale50(config: Experiment, seed: string, options: PointOptions): PointResult {
  const result = executePointQueueSim(config, seed, options);
  return computeScaleOf(config) > 50 ? { ...result, throughputPerS: Number.POSITIVE_INFINITY } : result;
}

/**
 * Ends its worker thread for computeScale > 50 (process.exit inside a worker ends only that
 * thread); on the main thread it throws instead, so it can never end a test process.
 */
export function executeExitingAboveScale50(config: Experiment, seed: string, options: PointOptions): PointResult {
  if (computeScaleOf(config) > 50) {
    if (isMainThread) throw new Error("executeExitingAboveScale50 exits only worker threads");
    process.exit(3);
  }
  return executePointQueueSim(config, seed, options);
}

/** Returns a result holding a function (not structured-clone data) for computeScale > 50. */
export function executeUncloneableAboveScale50(config: Experiment, seed: string, options: PointOptions): PointResult {
  const result = executePointQueueSim(config, seed, options);
  return computeScaleOf(config) > 50 ? ({ ...result, metrics: { completed: 1 }, extra: () => 1 } as unknown as PointResult) : result;
}
