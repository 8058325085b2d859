// The worker pool: a point run on a TypeScript worker thread (tsx registered by the bootstrap in
// ts-worker.ts) gives exactly the result of the same point run in this thread; outcomes come back
// at their job's position whatever order the workers finish in; a job whose executor cannot be loaded fails
// with a message that names what the module does export.

import test from "ava";
import { validateExperiment } from "../config-errors.ts";
import { exampleExperiment } from "../schema-examples.ts";
import type { Experiment } from "../schema.ts";
import { pointOptionsOf, InputFiles } from "./inputs.ts";
import { runPointJob, type PointJob } from "./point-job.ts";
import { queueSimExecutor } from "./runner-fixtures.ts";
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
