// `ssms run`: one experiment file → one run directory. Validates the config (exit 2 with every
// problem), expands the sweep and selects the shard, resolves the executor for the mode, reads the
// input files, prints `seed=… commit=… config=…`, runs the points on worker threads with a
// progress bar, writes the result files, renders the figures and report, and prints a replay
// command for every failed point. Exit 0 when every point ran, 1 when one failed, 2 on bad input.

import { availableParallelism } from "node:os";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { ErrorCode } from "../../engine/io/errors.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";
import { configHash, expandSweep, shardPoints, type SweepPoint } from "../sweep.ts";
import type { Experiment } from "../schema.ts";
import { renderRunFigures } from "../results/figures.ts";
import { gitCommit, versionsOf, type RunManifest } from "../results/manifest.ts";
import { createRunDir, runIdBase } from "../results/run-dir.ts";
import { writeRunFiles } from "../results/run-files.ts";
import type { PointRun } from "../results/tables.ts";
import { exitBadInput, exitFailed, exitOk, messageOf, type CommandIo } from "./cli.ts";
import { checkExecutor, executorFor, formatExecutorRef, projectRoot, type ExecutorRef } from "./executors.ts";
import { InputFiles, loadExperiment, pointOptionsOf } from "./inputs.ts";
import type { PointJob } from "./point-job.ts";
import { PoolUsage } from "./pool-usage.ts";
import { startProgress } from "./progress.ts";
import { runJobs } from "./worker-pool.ts";

export type RunRequest = {
  readonly experimentPath: string;
  /** Replaces the config's root seed. */
  readonly seed?: string;
  /** Worker threads; default the number of cores. */
  readonly jobs?: number;
  readonly shard?: { readonly index: number; readonly count: number };
  /** Results root; default "results" (relative to the working directory). */
  readonly outRoot?: string;
  /** Draw the progress bar even when stdout is not a terminal. */
  readonly progress?: boolean;
  readonly quiet?: boolean;
  /** Render figures and report.html; default true. */
  readonly figures?: boolean;
  /** Overrides the executor registered for the config's mode. */
  readonly executor?: ExecutorRef;
  /** The command line, recorded in the manifest. */
  readonly argv?: readonly string[];
};

export type RunReport = {
  readonly exitCode: number;
  readonly runDir?: string;
  readonly manifest?: RunManifest;
  readonly runs: readonly PointRun[];
};

/** A path relative to the project root when inside it (manifests name no machine's paths). */
export function projectRelative(path: string): string {
  const inside = relative(projectRoot, resolve(path));
  return inside.startsWith("..") || isAbsolute(inside) ? resolve(path) : inside.split(sep).join("/");
}

/** The jobs for `points`; `recorded` (replay) gives each run's applied faults by position. */
export function pointJobs(points: readonly SweepPoint[], executor: ExecutorRef, baseDir: string, recorded?: readonly (PointJob["options"]["faultSchedule"] | undefined)[]): Result<PointJob[]> {
  const inputs = new InputFiles(baseDir);
  const jobs: PointJob[] = [];
  for (const [position, point] of points.entries()) {
    const options = pointOptionsOf(point.config, point.index, point.replication, inputs, baseDir, recorded?.[position]);
    if (!options.ok) return options;
    jobs.push({ executor, config: point.config, seed: point.seed, options: options.value });
  }
  return ok(jobs);
}

/** The points of the config (sweep expanded, shard selected); bad sweeps become an Err. */
export function selectPoints(config: Experiment, shard: RunRequest["shard"]): Result<SweepPoint[]> {
  try {
    const points = expandSweep(config);
    return ok(shard === undefined ? points : shardPoints(points, shard.index, shard.count));
  } catch (cause) {
    return err(ErrorCode.configInvalid, messageOf(cause));
  }
}

/** Runs `jobs` with a progress bar; returns each point's run in job order. */
export async function runWithProgress(
  points: readonly SweepPoint[], jobs: readonly PointJob[], threads: number, showProgress: boolean, usage?: PoolUsage,
): Promise<PointRun[]> {
  const progress = startProgress(jobs.length, showProgress);
  const outcomes = await runJobs(jobs, {
    threads,
    onOutcome: (_index, outcome, worker) => {
      progress.pointDone(!outcome.ok);
      usage?.pointDone(worker);
    },
  });
  progress.stop();
  return points.map((point, position) => ({ index: point.index, replication: point.replication, seed: point.seed, label: point.label, params: point.params, outcome: outcomes[position]! }));
}

function resolveExecutor(request: RunRequest, config: Experiment): Result<ExecutorRef> {
  return request.executor === undefined ? executorFor(config.mode) : checkExecutor(request.executor, "--executor");
}

function reportFailures(runDir: string, runs: readonly PointRun[], io: CommandIo): number {
  let failed = 0;
  for (const run of runs) {
    if (run.outcome.ok) continue;
    failed++;
    io.err(`point ${run.index} replication ${run.replication} (seed ${run.seed}${run.label === "" ? "" : `, ${run.label}`}) failed: ${run.outcome.error.message}\n`);
    io.err(`  replay with: npx ssms replay ${projectRelative(runDir)}/manifest.json --point ${run.index} --replication ${run.replication}\n`);
  }
  return failed;
}

export async function runExperiment(request: RunRequest, io: CommandIo): Promise<RunReport> {
  const bad = (reason: string): RunReport => {
    io.err(`${reason}\n`);
    return { exitCode: exitBadInput, runs: [] };
  };
  const loaded = loadExperiment(request.experimentPath, request.seed);
  if (!loaded.ok) return bad(loaded.reason);
  const { config, baseDir } = loaded.value;
  const points = selectPoints(config, request.shard);
  if (!points.ok) return bad(`${request.experimentPath}: ${points.reason}`);
  const executor = resolveExecutor(request, config);
  if (!executor.ok) return bad(executor.reason);
  const jobs = pointJobs(points.value, executor.value, baseDir);
  if (!jobs.ok) return bad(jobs.reason);
  if (jobs.value.length === 0) {
    if (request.quiet !== true) io.out(`shard ${request.shard?.index}/${request.shard?.count} selects none of the sweep's points; nothing to run\n`);
    return { exitCode: exitOk, runs: [] };
  }

  const hash = configHash(config);
  const { commit, dirty } = gitCommit(projectRoot);
  const { runId, runDir } = createRunDir(request.outRoot ?? "results", config.name, runIdBase(hash, String(config.seed), request.shard));
  const threads = Math.max(1, Math.min(request.jobs ?? availableParallelism(), jobs.value.length));
  if (request.quiet !== true) {
    io.out(`seed=${String(config.seed)} commit=${commit}${dirty === true ? "+dirty" : ""} config=${hash.slice(0, 12)} points=${jobs.value.length} jobs=${threads}\n`);
  }
  const showProgress = request.quiet !== true && (request.progress === true || io.isTty);
  const usage = new PoolUsage();
  const runs = await runWithProgress(points.value, jobs.value, threads, showProgress, usage);
  if (request.quiet !== true) io.err(usage.report());

  const manifest = writeRunFiles(runDir, {
    manifest: {
      format: "ssms-run-manifest", version: 1, experiment: config.name, runId, mode: config.mode, seed: config.seed, configHash: hash, commit, commitDirty: dirty,
      experimentFile: projectRelative(request.experimentPath), executor: formatExecutorRef(executor.value),
      shard: request.shard === undefined ? null : `${request.shard.index}/${request.shard.count}`, argv: request.argv ?? [], versions: versionsOf(projectRoot),
    },
    config,
    runs,
    pointConfigHashes: points.value.map((point) => configHash(point.config)),
    paramKeys: Object.keys(config.sweep?.grid ?? {}),
  });
  let exitCode = reportFailures(runDir, runs, io) > 0 ? exitFailed : exitOk;
  if (request.figures !== false) {
    try {
      renderRunFigures(runDir);
    } catch (cause) {
      io.err(`the results are written, but rendering the figures failed: ${messageOf(cause)}\n  retry with: npx ssms plot ${projectRelative(runDir)}\n`);
      exitCode = exitFailed;
    }
  }
  if (request.quiet !== true) io.out(`${runs.length - runs.filter((run) => !run.outcome.ok).length}/${runs.length} points ok; results in ${runDir}\n`);
  return { exitCode, runDir, manifest, runs };
}
