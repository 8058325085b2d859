// `ssms replay`: re-runs a recorded run and checks that it comes out the same. From a manifest it
// re-expands the recorded config.json, checks each point's config hash, and reruns each selected
// point with its seed, the executor the run used, and the fault schedule it applied; a point that
// ran must reproduce its fingerprint and its fault schedule, a point that failed must fail again
// with the same message (so a failure can be debugged at leisure: its stack is printed). The first
// difference is printed and the exit code is 1; all reproduced is 0; unreadable input is 2.

import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { err, ok, type Result } from "../../engine/io/result.ts";
import { ErrorCode } from "../../engine/io/errors.ts";
import { validateExperiment } from "../config-errors.ts";
import { configHash, type SweepPoint } from "../sweep.ts";
import { formatFaultSchedule, parseFaultSchedule, type FaultRecord } from "../results/fault-schedule.ts";
import { readManifest } from "../results/figures.ts";
import type { ManifestPoint, RunManifest } from "../results/manifest.ts";
import type { PointRun } from "../results/tables.ts";
import { exitBadInput, exitFailed, exitOk, messageOf, type CommandIo } from "./cli.ts";
import { checkExecutor, executorFor, projectRoot, type ExecutorRef } from "./executors.ts";
import { loadExperiment } from "./inputs.ts";
import { pointJobs, runWithProgress, selectPoints } from "./run-experiment.ts";

export type ReplaySelection = { readonly point?: number; readonly replication?: number };

type Recorded = { readonly point: SweepPoint; readonly record: ManifestPoint; readonly faults: FaultRecord[] | undefined };

/** `module#export` as stored in a manifest. */
export function executorOfManifest(text: string): Result<ExecutorRef> {
  const cut = text.lastIndexOf("#");
  if (cut <= 0) return err(ErrorCode.argumentInvalid, `the manifest's executor '${text}' is not module#export`);
  return checkExecutor({ module: text.slice(0, cut), exportName: text.slice(cut + 1) }, "the executor this run used");
}

function readRecordedFaults(runDir: string, record: ManifestPoint): Result<FaultRecord[] | undefined> {
  if (record.faultSchedule === null) return ok(undefined);
  const path = join(runDir, record.faultSchedule);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    return err(ErrorCode.argumentInvalid, `cannot read the recorded fault schedule ${path}: ${messageOf(cause)}`);
  }
  return parseFaultSchedule(text, path);
}

/** The recorded points to rerun, each matched with its re-expanded config and recorded faults. */
function recordedPoints(runDir: string, manifest: RunManifest, selection: ReplaySelection): Result<Recorded[]> {
  const configPath = join(runDir, "config.json");
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(configPath, "utf8"));
  } catch (cause) {
    return err(ErrorCode.argumentInvalid, `cannot read ${configPath}: ${messageOf(cause)}`);
  }
  const config = validateExperiment(json, configPath);
  if (!config.ok) return config;
  const points = selectPoints(config.value, undefined);
  if (!points.ok) return points;
  const chosen = manifest.points.filter((record) => (selection.point === undefined || record.index === selection.point) && (selection.replication === undefined || record.replication === selection.replication));
  if (chosen.length === 0) return err(ErrorCode.argumentInvalid, `${runDir} recorded no point ${selection.point ?? "*"} replication ${selection.replication ?? "*"}; it has ${manifest.points.map((record) => `${record.index}/${record.replication}`).join(", ")}`);
  const recorded: Recorded[] = [];
  for (const record of chosen) {
    const point = points.value.find((candidate) => candidate.index === record.index && candidate.replication === record.replication);
    if (point === undefined) return err(ErrorCode.argumentInvalid, `config.json no longer expands to point ${record.index} replication ${record.replication}`);
    const faults = readRecordedFaults(runDir, record);
    if (!faults.ok) return faults;
    recorded.push({ point, record, faults: faults.value });
  }
  return ok(recorded);
}

/** The first way `run` differs from what was recorded, or undefined when it reproduced. */
export function firstDifference(record: ManifestPoint, recordedFaults: readonly FaultRecord[] | undefined, run: PointRun): string | undefined {
  const where = `point ${record.index} replication ${record.replication}`;
  if (record.status === "failed") {
    if (run.outcome.ok) return `${where}: recorded as failed (${record.error ?? ""}), now it ran (fingerprint ${run.outcome.result.fingerprint})`;
    const before = (record.error ?? "").split("\n")[0];
    const now = run.outcome.error.message.split("\n")[0];
    return before === now ? undefined : `${where}: failed with '${before}', now with '${now}'`;
  }
  if (!run.outcome.ok) return `${where}: recorded fingerprint ${record.fingerprint ?? ""}, now it failed: ${run.outcome.error.message}`;
  const result = run.outcome.result;
  if (result.fingerprint !== record.fingerprint) return `${where}: fingerprint ${record.fingerprint ?? ""} recorded, ${result.fingerprint} now`;
  const before = formatFaultSchedule(recordedFaults ?? []).split("\n");
  const now = formatFaultSchedule(result.faultsApplied).split("\n");
  const line = before.findIndex((text, index) => text !== now[index]);
  if (line >= 0 || before.length !== now.length) {
    const at = line >= 0 ? line : Math.min(before.length, now.length);
    return `${where}: applied fault ${at + 1} differs: recorded ${before[at] || "(none)"}, now ${now[at] || "(none)"}`;
  }
  return undefined;
}

/** Replays the points of the run in `runDir` chosen by `selection`. */
export async function replayManifest(runDir: string, selection: ReplaySelection, threads: number, io: CommandIo, quiet: boolean): Promise<number> {
  let manifest: RunManifest;
  try {
    manifest = readManifest(runDir);
  } catch (cause) {
    io.err(`${messageOf(cause)}\n`);
    return exitBadInput;
  }
  const recorded = recordedPoints(runDir, manifest, selection);
  if (!recorded.ok) {
    io.err(`${recorded.reason}\n`);
    return exitBadInput;
  }
  const executor = executorOfManifest(manifest.executor);
  if (!executor.ok) {
    io.err(`${executor.reason}\n`);
    return exitBadInput;
  }
  for (const { point, record } of recorded.value) {
    const hash = configHash(point.config);
    if (hash !== record.configHash) {
      io.err(`point ${record.index} replication ${record.replication}: its config hashes to ${hash.slice(0, 12)}, recorded ${record.configHash.slice(0, 12)} (schema defaults or sweep expansion changed since the run)\n`);
      return exitFailed;
    }
  }
  const experimentFile = isAbsolute(manifest.experimentFile) ? manifest.experimentFile : resolve(projectRoot, manifest.experimentFile);
  const points = recorded.value.map((entry) => entry.point);
  const jobs = pointJobs(points, executor.value, dirname(experimentFile), recorded.value.map((entry) => entry.faults));
  if (!jobs.ok) {
    io.err(`${jobs.reason}\n`);
    return exitBadInput;
  }
  if (!quiet) io.out(`replaying ${points.length} point(s) of ${manifest.experiment} ${manifest.runId} (commit ${manifest.commit}) with ${manifest.executor}\n`);
  const runs = await runWithProgress(points, jobs.value, threads, false);
  for (const [position, run] of runs.entries()) {
    const { record, faults } = recorded.value[position]!;
    const difference = firstDifference(record, faults, run);
    if (difference !== undefined) {
      io.err(`replay differs: ${difference}\n`);
      if (!run.outcome.ok && run.outcome.error.stack !== undefined) io.err(`${run.outcome.error.stack}\n`);
      return exitFailed;
    }
    if (!quiet) io.out(`point ${record.index} replication ${record.replication}: ${run.outcome.ok ? `fingerprint ${run.outcome.result.fingerprint} reproduced` : `failure reproduced: ${run.outcome.error.message}`}\n`);
    if (!run.outcome.ok && !quiet && run.outcome.error.stack !== undefined) io.out(`${run.outcome.error.stack}\n`);
  }
  return exitOk;
}

type ScheduleReplay = { readonly point: SweepPoint; readonly executor: ExecutorRef; readonly schedule: FaultRecord[]; readonly baseDir: string };

/** The experiment's chosen point, its executor and the parsed schedule, or what is wrong. */
function scheduleReplayOf(schedulePath: string, experimentPath: string, selection: ReplaySelection, executorOverride: ExecutorRef | undefined): Result<ScheduleReplay> {
  const loaded = loadExperiment(experimentPath);
  if (!loaded.ok) return loaded;
  const points = selectPoints(loaded.value.config, undefined);
  if (!points.ok) return points;
  const wanted = { index: selection.point ?? 0, replication: selection.replication ?? 0 };
  const point = points.value.find((candidate) => candidate.index === wanted.index && candidate.replication === wanted.replication);
  if (point === undefined) return err(ErrorCode.argumentInvalid, `${experimentPath} has no point ${wanted.index} replication ${wanted.replication}`);
  const executor = executorOverride === undefined ? executorFor(loaded.value.config.mode) : checkExecutor(executorOverride, "--executor");
  if (!executor.ok) return executor;
  let text: string;
  try {
    text = readFileSync(schedulePath, "utf8");
  } catch (cause) {
    return err(ErrorCode.argumentInvalid, `cannot read ${schedulePath}: ${messageOf(cause)}`);
  }
  const schedule = parseFaultSchedule(text, schedulePath);
  if (!schedule.ok) return schedule;
  return ok({ point, executor: executor.value, schedule: schedule.value, baseDir: loaded.value.baseDir });
}

/**
 * Replays with a fault schedule file. Inside a run directory (faults/p<i>r<r>.jsonl) it is the
 * recorded run of that point. Elsewhere it needs `experimentPath`: that experiment's point runs
 * twice with the schedule, and the two fingerprints must agree (a determinism check), run by the
 * mode's registered executor or `executor`.
 */
export async function replaySchedule(schedulePath: string, experimentPath: string | undefined, selection: ReplaySelection, io: CommandIo, quiet: boolean, executor?: ExecutorRef): Promise<number> {
  const stem = /^p(\d+)r(\d+)\.jsonl$/.exec(basename(schedulePath));
  const runDir = dirname(dirname(resolve(schedulePath)));
  if (experimentPath === undefined && stem !== null && existsSync(join(runDir, "manifest.json"))) {
    return replayManifest(runDir, { point: Number(stem[1]), replication: Number(stem[2]) }, 1, io, quiet);
  }
  if (experimentPath === undefined) {
    io.err(`${schedulePath} is not inside a run directory (no ../manifest.json beside faults/p<i>r<r>.jsonl); pass --config <experiment.json> to replay it against an experiment\n`);
    return exitBadInput;
  }
  const replay = scheduleReplayOf(schedulePath, experimentPath, selection, executor);
  if (!replay.ok) {
    io.err(`${replay.reason}\n`);
    return exitBadInput;
  }
  const { point, schedule, baseDir } = replay.value;
  const jobs = pointJobs([point, point], replay.value.executor, baseDir, [schedule, schedule]);
  if (!jobs.ok) {
    io.err(`${jobs.reason}\n`);
    return exitBadInput;
  }
  const runs = await runWithProgress([point, point], jobs.value, 1, false);
  const failure = runs.map((run) => run.outcome).find((outcome) => !outcome.ok);
  if (failure !== undefined && !failure.ok) {
    io.err(`the point failed under this schedule: ${failure.error.message}\n${failure.error.stack ?? ""}\n`);
    return exitFailed;
  }
  const [first, second] = runs.map((run) => (run.outcome.ok ? run.outcome.result.fingerprint : ""));
  if (first !== second) {
    io.err(`replay differs: two runs of the same seed and schedule gave fingerprints ${first ?? ""} and ${second ?? ""}\n`);
    return exitFailed;
  }
  if (!quiet) io.out(`point ${point.index} replication ${point.replication} with ${schedulePath}: fingerprint ${first ?? ""}, reproduced\n`);
  return exitOk;
}
