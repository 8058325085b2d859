// An executor for the runner's parallelism test: a point first waits until `barrierParties`
// points of its sweep have started, then runs as the queue simulation does and reports the
// worker thread it ran on (metric workerThread). Points that are not run side by side can never
// meet at the barrier: the first one waits alone and fails after barrierWaitMsMax, so a sweep
// that passes has run at least two points at once, each on its own thread: proven by counting
// threads, not by timing. Arrivals are files in the config's folder (each test uses a fresh one),
// because worker threads share no memory the runner hands them.

import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import type { Experiment } from "../schema.ts";
import { executePointQueueSim } from "./executor-queue-sim.ts";
import type { PointOptions, PointResult } from "./point.ts";

export const barrierParties = 2;
/** How long a point waits for the others before it gives up (a liveness bound, not a measure). */
const barrierWaitMsMax = 60_000;
const arrivalPrefix = "barrier-arrived-";

function arrivals(dir: string): number {
  return readdirSync(dir).filter((name) => name.startsWith(arrivalPrefix)).length;
}

export function executeAfterBarrier(config: Experiment, seed: string, options: PointOptions): PointResult {
  writeFileSync(join(options.baseDir, `${arrivalPrefix}${options.pointIndex}-${options.replication}`), String(threadId));
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waitedMs = 0; arrivals(options.baseDir) < barrierParties; waitedMs += 10) {
    if (waitedMs >= barrierWaitMsMax) {
      throw new Error(`point ${options.pointIndex}.${options.replication} waited ${barrierWaitMsMax} ms and only ${arrivals(options.baseDir)} of ${barrierParties} points started: points are not run side by side`);
    }
    Atomics.wait(pause, 0, 0, 10); // a blocking sleep: the point holds its thread, as real work would
  }
  const result = executePointQueueSim(config, seed, options);
  return { ...result, metrics: { ...result.metrics, workerThread: threadId } };
}
