// The worker pool: a point run on a TypeScript worker thread (tsx registered by the bootstrap in
// ts-worker.ts) gives exactly the result of the same point run in this thread; outcomes come back
// at their job's position whatever order the workers finish in; a job whose executor cannot be loaded fails
// with a message that names what the module does export; and a sweep run with the default job
// count spreads its points over at least two worker threads when the machine has two cores
// (counted: points meet at a barrier only if two run at once, and report their thread).

import test from "ava";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { validateExperiment } from "../config-errors.ts";
import { exampleExperiment } from "../schema-examples.ts";
import type { Experiment } from "../schema.ts";
import { pointOptionsOf, InputFiles } from "./inputs.ts";
import { runPointJob, type PointJob } from "./point-job.ts";
import { barrierParties } from "./executor-barrier.ts";
import { runExperiment } from "./run-experiment.ts";
import { captureIo, queueSimExecutor, tempDir, writeExperiment } from "./runner-fixtures.ts";
import { runJobs } from "./worker-pool.ts";

function job(seed: string, durationS: number, executor = queueSimExecutor): PointJob {
  const json = exampleExperiment("travel-saga");
  json["durationS"] = durationS;
  const config = validateExperiment(json, "example");
  if (!config.ok) throw new Error(config.reason);
  const options = pointOptionsOf(config.value as Experiment, 0, 0, new InputFiles("."), ".");
  if (!options.ok) throw new Error(options.reason);
  return { executor, config: config.value, seed, options: options.value };
}

test("a point on a TypeScript worker thread gives the same result as in this thread", async (t) => {
  const jobs = [job("a", 2), job("b", 2)];
  const onWorkers = await runJobs(jobs, { threads: 2 });
  const inline = await Promise.all(jobs.map((one) => runPointJob(one)));
  t.true(onWorkers.every((outcome) => outcome.ok));
  t.deepEqual(onWorkers, inline);
  const [first, second] = onWorkers.map((outcome) => (outcome.ok ? outcome.result.fingerprint : ""));
  t.not(first, second, "different seeds, different runs");
});

test("each outcome is returned at its job's position, with one progress callback per job", async (t) => {
  const jobs = [job("slow", 60), job("quick-1", 1), job("quick-2", 1)];
  const finished: number[] = [];
  const outcomes = await runJobs(jobs, { threads: 2, onOutcome: (index) => finished.push(index) });
  t.deepEqual([...finished].sort(), [0, 1, 2]);
  t.deepEqual(outcomes.map((outcome) => (outcome.ok ? outcome.result.durationUs : 0)), [60_000_000, 1_000_000, 1_000_000]);
});

test("an executor that cannot be loaded fails its job and says what the module exports", async (t) => {
  const outcomes = await runJobs([job("x", 1, { module: queueSimExecutor.module, exportName: "noSuchExecutor" })], { threads: 1 });
  const outcome = outcomes[0]!;
  t.false(outcome.ok);
  t.regex(outcome.ok ? "" : outcome.error.message, /no exported function 'noSuchExecutor' \(exports: .*executePointQueueSim/);
});

test("a sweep with the default job count runs its points side by side on at least two worker threads", async (t) => {
  const cores = availableParallelism();
  if (cores < barrierParties) {
    t.pass(`this machine has ${cores} core: nothing to spread over`);
    return;
  }
  const dir = tempDir("spread");
  const path = writeExperiment(dir, "spread", (config) => {
    config["sweep"] = { grid: { "workload.computeScale": [1, 10, 100] }, replications: 2 };
  });
  const io = captureIo();
  const executor = { module: "experiments/runner/executor-barrier.ts", exportName: "executeAfterBarrier" };
  const report = await runExperiment({ experimentPath: path, outRoot: join(dir, "results"), executor, figures: false }, io);
  t.is(report.exitCode, 0, io.text());
  t.regex(io.text(), new RegExp(`points=6 jobs=${Math.min(cores, 6)}$`, "m"), "one worker thread per core");
  const threads = new Set(report.runs.map((run) => (run.outcome.ok ? run.outcome.result.metrics?.["workerThread"] : undefined)));
  t.false(threads.has(undefined), "every point ran and named its thread");
  t.true(threads.size >= barrierParties, `points ran on threads ${[...threads].join(", ")}`);
  t.false(threads.has(0), "worker threads, not the main thread");
  t.regex(io.text(), new RegExp(`^ran 6 points on ${Math.min(cores, 6)} worker threads \\(\\d+( \\+ \\d+)+ points\\) in [0-9.]+ s: [0-9.]+ s of CPU`, "m"), "the run tells how the points were spread");
});
