// Shared setup for the runner's and commands' tests: an output sink that records what a command
// printed, experiment files written into a fresh temporary directory, and the executor refs of
// the queue simulation and its misbehaving variants.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleExperiment } from "../schema-examples.ts";
import type { CommandIo } from "./cli.ts";
import type { ExecutorRef } from "./executors.ts";

export type CapturedIo = CommandIo & { readonly stdout: string[]; readonly stderr: string[]; text(): string };

/** A CommandIo that keeps everything written. */
export function captureIo(isTty = false): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, isTty, out: (text) => void stdout.push(text), err: (text) => void stderr.push(text), text: () => [...stdout, ...stderr].join("") };
}

export const queueSimExecutor: ExecutorRef = { module: "experiments/runner/executor-queue-sim.ts", exportName: "executePointQueueSim" };

/** One of executor-faulty.ts's executors. */
export function faultyExecutor(exportName: string): ExecutorRef {
  return { module: "experiments/runner/executor-faulty.ts", exportName };
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ssms-${prefix}-`));
}

/**
 * A small pi-chain experiment (1 s sampled every 0.5 s, a 2×2 sweep of computeScale × VM count unless `change`
 * says otherwise), written to `<dir>/<name>.json`; returns its path.
 */
export function writeExperiment(dir: string, name: string, change: (config: Record<string, unknown>) => void = () => undefined): string {
  const config = exampleExperiment("pi-chain");
  config["name"] = name;
  config["durationS"] = 1;
  config["outputs"] = { trace: false, timeseriesIntervalUs: 500_000 };
  config["sweep"] = { grid: { "workload.computeScale": [1, 100], "cluster.compute[0].count": [1, 3] }, replications: 2 };
  (config["faults"] as { model: { ratesPerHour: Record<string, number> } }).model.ratesPerHour["nodeCrash"] = 3600;
  change(config);
  const path = join(dir, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}
