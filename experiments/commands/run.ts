// `ssms run <experiment.json>`: runs an experiment and writes results/<experiment>/<run-id>/.
// Argument parsing only; the work is in experiments/runner/run-experiment.ts.

import { parseShard } from "../sweep.ts";
import { exitBadInput, parseCommandArgs, positiveInteger, processIo, type CommandIo, type CommandSpec } from "../runner/cli.ts";
import { parseExecutorRef, type ExecutorRef } from "../runner/executors.ts";
import { runExperiment, type RunRequest } from "../runner/run-experiment.ts";

export const runSpec: CommandSpec = {
  synopsis: "run <experiment.json> [options]",
  summary:
    "Validates the experiment, runs every point of its sweep (in parallel on worker threads) and writes\n" +
    "results/<experiment>/<run-id>/: manifest.json, summary.json, points.csv, timeseries.csv, fault\n" +
    "schedules, optional traces, figures (SVG and PNG) and report.html. Exit 0 ok, 1 a point failed,\n" +
    "2 bad input.",
  options: {
    jobs: { type: "string", short: "j", value: "N", description: "worker threads (default: number of cores; 1 runs in this thread)" },
    shard: { type: "string", value: "i/n", description: "run only shard i of n of the sweep (every n-th point)" },
    seed: { type: "string", value: "SEED", description: "root seed, replacing the config's" },
    out: { type: "string", short: "o", value: "DIR", description: "results root (default: results)" },
    progress: { type: "boolean", description: "show the progress bar even when stdout is not a terminal" },
    quiet: { type: "boolean", short: "q", description: "print only errors" },
    "no-figures": { type: "boolean", description: "skip figures and report.html (render later with 'ssms plot')" },
    executor: { type: "string", value: "FILE#EXPORT", description: "run points with this executor instead of the mode's registered one" },
  },
  positionalsMin: 1,
  positionalsMax: 1,
};

/** Turns parsed flags into a RunRequest, or reports the first bad flag (exit 2). */
export function runRequestOf(values: Readonly<Record<string, string | boolean | undefined>>, experimentPath: string, argv: readonly string[], io: CommandIo): RunRequest | number {
  const jobs = positiveInteger(values["jobs"]);
  if (Number.isNaN(jobs)) {
    io.err(`ssms run: --jobs '${String(values["jobs"])}' is not a positive integer\n`);
    return exitBadInput;
  }
  let shard: RunRequest["shard"];
  if (typeof values["shard"] === "string") {
    const parsed = parseShard(values["shard"]);
    if (!parsed.ok) {
      io.err(`ssms run: ${parsed.reason}\n`);
      return exitBadInput;
    }
    shard = parsed.value;
  }
  let executor: ExecutorRef | undefined;
  if (typeof values["executor"] === "string") {
    const parsed = parseExecutorRef(values["executor"]);
    if (!parsed.ok) {
      io.err(`ssms run: ${parsed.reason}\n`);
      return exitBadInput;
    }
    executor = parsed.value;
  }
  const text = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const seed = text("seed");
  const outRoot = text("out");
  return {
    experimentPath,
    argv,
    ...(jobs === undefined ? {} : { jobs }),
    ...(shard === undefined ? {} : { shard }),
    ...(seed === undefined ? {} : { seed }),
    ...(outRoot === undefined ? {} : { outRoot }),
    ...(executor === undefined ? {} : { executor }),
    progress: values["progress"] === true,
    quiet: values["quiet"] === true,
    figures: values["no-figures"] !== true,
  };
}

export async function main(args: string[], io: CommandIo = processIo): Promise<number> {
  const parsed = parseCommandArgs(runSpec, args, io);
  if (typeof parsed === "number") return parsed;
  const request = runRequestOf(parsed.values, parsed.positionals[0]!, ["run", ...args], io);
  if (typeof request === "number") return request;
  const report = await runExperiment(request, io);
  return report.exitCode;
}
