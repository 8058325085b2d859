// `ssms replay <manifest.json | run-dir | fault-schedule.jsonl>`: re-runs a recorded run (same
// config, seed, executor and fault schedule) and checks the fingerprints match; exit 1 with the
// first difference when they do not. The logic is in experiments/runner/replay-run.ts; VOPR files
// (a header line naming the seed and case, then the schedule) go to ./vopr-replay.ts.

import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, dirname, join } from "node:path";
import { exitBadInput, parseCommandArgs, positiveInteger, processIo, type CommandIo, type CommandSpec } from "../runner/cli.ts";
import { parseExecutorRef } from "../runner/executors.ts";
import { replayManifest, replaySchedule, type ReplaySelection } from "../runner/replay-run.ts";
import { isVoprFile, voprReplay } from "./vopr-replay.ts";

const spec: CommandSpec = {
  synopsis: "replay <manifest.json | run-dir | fault-schedule.jsonl> [options]",
  summary:
    "Re-runs a recorded run with the same config, seed, executor and fault schedule and checks that every\n" +
    "point reproduces its fingerprint (and a failed point its failure). A schedule outside a run directory\n" +
    "is replayed against --config twice, and the two fingerprints must agree. A VOPR file (written by\n" +
    "'ssms vopr') reruns its case and must reproduce its fingerprint and violated invariants. Exit 0\n" +
    "reproduced, 1 differs, 2 bad input.",
  options: {
    point: { type: "string", value: "I", description: "replay only grid point I (0-based)" },
    replication: { type: "string", value: "R", description: "replay only replication R (0-based)" },
    config: { type: "string", value: "FILE", description: "experiment to replay a standalone fault schedule against" },
    executor: { type: "string", value: "FILE#EXPORT", description: "with --config: run with this executor instead of the mode's registered one" },
    jobs: { type: "string", short: "j", value: "N", description: "worker threads (default: number of cores)" },
    quiet: { type: "boolean", short: "q", description: "print only differences and errors" },
  },
  positionalsMin: 1,
  positionalsMax: 1,
};

function indexOf(text: string | boolean | undefined): number | undefined {
  if (typeof text !== "string") return undefined;
  return /^\d{1,6}$/.test(text) ? Number(text) : NaN;
}

export async function main(args: string[], io: CommandIo = processIo): Promise<number> {
  const parsed = parseCommandArgs(spec, args, io);
  if (typeof parsed === "number") return parsed;
  const point = indexOf(parsed.values["point"]);
  const replication = indexOf(parsed.values["replication"]);
  const jobs = positiveInteger(parsed.values["jobs"]);
  if (Number.isNaN(point) || Number.isNaN(replication) || Number.isNaN(jobs)) {
    io.err("ssms replay: --point and --replication take an index ≥ 0, --jobs a positive integer\n");
    return exitBadInput;
  }
  const selection: ReplaySelection = { ...(point === undefined ? {} : { point }), ...(replication === undefined ? {} : { replication }) };
  const target = parsed.positionals[0]!;
  const quiet = parsed.values["quiet"] === true;
  const config = typeof parsed.values["config"] === "string" ? parsed.values["config"] : undefined;
  if (!existsSync(target)) {
    io.err(`ssms replay: ${target} does not exist\n`);
    return exitBadInput;
  }
  if (target.endsWith(".jsonl") && isVoprFile(target)) return voprReplay(target, "replay", io, quiet);
  if (target.endsWith(".jsonl")) {
    const executor = typeof parsed.values["executor"] === "string" ? parseExecutorRef(parsed.values["executor"]) : undefined;
    if (executor !== undefined && !executor.ok) {
      io.err(`ssms replay: ${executor.reason}\n`);
      return exitBadInput;
    }
    return replaySchedule(target, config, selection, io, quiet, executor?.value);
  }
  const runDir = statSync(target).isDirectory() ? target : basename(target) === "manifest.json" ? dirname(target) : undefined;
  if (runDir === undefined || !existsSync(join(runDir, "manifest.json"))) {
    io.err(`ssms replay: ${target} is neither a run directory, its manifest.json, nor a fault schedule (.jsonl)\n`);
    return exitBadInput;
  }
  return replayManifest(runDir, selection, jobs ?? availableParallelism(), io, quiet);
}
