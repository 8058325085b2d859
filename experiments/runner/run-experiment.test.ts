// The runner end to end with a real executor (the queue simulation on the Simulator): a sweep
// runs on worker threads and writes every result file with consistent contents; the results do
// not depend on the number of threads; a rerun gets a counter-suffixed run id; bad configs exit 2
// listing every problem; a failing point fails alone with a replay command and exit 1; --shard
// and --seed select and reseed points; input files named by the config reach the executor.

import test from "ava";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "../results/tables.ts";
import type { RunManifest } from "../results/manifest.ts";
import type { RunSummary } from "../results/summary.ts";
import { captureIo, faultyExecutor, queueSimExecutor, tempDir, writeExperiment } from "./runner-fixtures.ts";
import { runExperiment } from "./run-experiment.ts";

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

test("a sweep runs on worker threads and writes manifest, points, summary, time series, faults, figures and report", async (t) => {
  const dir = tempDir("run");
  const path = writeExperiment(dir, "sweep");
  const io = captureIo();
  const report = await runExperiment({ experimentPath: path, outRoot: join(dir, "results"), jobs: 2, executor: queueSimExecutor, argv: ["run", path] }, io);
  t.is(report.exitCode, 0, io.text());
  const runDir = report.runDir!;
  t.regex(io.text(), /^seed=42 commit=\S+ config=[0-9a-f]{12} points=8 jobs=2$/m);
  const manifest = readJson<RunManifest>(join(runDir, "manifest.json"));
  t.is(manifest.points.length, 8);
  t.is(manifest.executor, "experiments/runner/executor-queue-sim.ts#executePointQueueSim");
  t.regex(manifest.commit, /^([0-9a-f]{40}|unknown)$/);
  t.deepEqual(manifest.argv, ["run", path]);
  t.truthy(manifest.versions["node"]);
  const points = parseCsv(readFileSync(join(runDir, "points.csv"), "utf8"));
  t.deepEqual(points.columns.slice(0, 7), ["point", "replication", "seed", "label", "workload.computeScale", "cluster.compute[0].count", "status"]);
  t.is(points.rows.length, 8);
  points.rows.forEach((row, position) => {
    t.is(row["fingerprint"], manifest.points[position]!.fingerprint ?? "", "points.csv and the manifest agree on every fingerprint");
    t.true(Number(row["throughputPerS"]) > 0);
  });
  t.deepEqual(points.rows.map((row) => row["seed"]), ["42", "42/r1", "42", "42/r1", "42", "42/r1", "42", "42/r1"], "common random numbers across grid points");
  const summary = readJson<RunSummary>(join(runDir, "summary.json"));
  t.is(summary.points.length, 4);
  const throughput = summary.points[0]!.metrics["throughputPerS"]!;
  t.is(throughput.count, 2);
  t.true(throughput.ci95 !== null && throughput.ci95[0] <= throughput.mean! && throughput.mean! <= throughput.ci95[1]);
  const series = parseCsv(readFileSync(join(runDir, "timeseries.csv"), "utf8"));
  t.is(series.rows.length, 8 * 2, "two samples per run, every 0.5 s of 1 s");
  for (const point of manifest.points) t.true(existsSync(join(runDir, point.faultSchedule!)), `${point.faultSchedule} written`);
  t.true(readFileSync(join(runDir, "faults/p0r0.jsonl"), "utf8").includes('"fault":"crash"'), "the modelled crashes are recorded");
  for (const file of ["figures/cost-throughput.svg", "figures/cost-throughput.png", "figures/timeseries-p0.svg", "figures/timeseries-p3.png", "report.html", "config.json"]) t.true(existsSync(join(runDir, file)), file);
});

test("results are the same with one thread as with two, and a rerun lands in a counter-suffixed run directory", async (t) => {
  const dir = tempDir("threads");
  const path = writeExperiment(dir, "threads");
  const outRoot = join(dir, "results");
  const first = await runExperiment({ experimentPath: path, outRoot, jobs: 2, executor: queueSimExecutor, figures: false }, captureIo());
  const second = await runExperiment({ experimentPath: path, outRoot, jobs: 1, executor: queueSimExecutor, figures: false }, captureIo());
  t.is(second.runDir, `${first.runDir!}-2`);
  for (const file of ["points.csv", "timeseries.csv", "faults/p2r1.jsonl"]) {
    t.is(readFileSync(join(second.runDir!, file), "utf8"), readFileSync(join(first.runDir!, file), "utf8"), file);
  }
});

test("an invalid config exits 2 and lists every problem with its path; nothing is written", async (t) => {
  const dir = tempDir("bad");
  const path = writeExperiment(dir, "bad", (config) => {
    (config["workload"] as Record<string, unknown>)["computeScale"] = -1;
    config["durationS"] = "long";
  });
  const io = captureIo();
  const report = await runExperiment({ experimentPath: path, outRoot: join(dir, "results"), executor: queueSimExecutor }, io);
  t.is(report.exitCode, 2);
  t.regex(io.text(), /2 problems/);
  t.regex(io.text(), /\/workload\/computeScale/);
  t.regex(io.text(), /\/durationS/);
  t.false(existsSync(join(dir, "results")));
  const missing = await runExperiment({ experimentPath: join(dir, "absent.json"), executor: queueSimExecutor }, captureIo());
  t.is(missing.exitCode, 2);
});

test("a failing point fails alone: the others are written, the failure is reported with a replay command, exit 1", async (t) => {
  const dir = tempDir("fail");
  const path = writeExperiment(dir, "fail");
  const io = captureIo();
  const report = await runExperiment({ experimentPath: path, outRoot: join(dir, "results"), jobs: 1, executor: faultyExecutor("executeFailingAboveScale50"), figures: false }, io);
  t.is(report.exitCode, 1);
  const rows = parseCsv(readFileSync(join(report.runDir!, "points.csv"), "utf8")).rows;
  t.deepEqual(rows.map((row) => row["status"]), ["ok", "ok", "ok", "ok", "failed", "failed", "failed", "failed"]);
  t.regex(rows[4]!["error"]!, /SSMS_ERR_SIMULATION_LIMIT: compute scale 100 is above/);
  t.regex(io.text(), /point 2 replication 0 \(seed 42, computeScale=100 count=1\) failed/);
  t.regex(io.text(), /replay with: npx ssms replay \S+manifest.json --point 2 --replication 0/);
});

test("invalid, unclonable and thread-killing results fail their point and nothing else", async (t) => {
  const dir = tempDir("misbehave");
  const path = writeExperiment(dir, "misbehave", (config) => {
    config["sweep"] = { grid: { "workload.computeScale": [1, 100, 2] } };
  });
  for (const [name, why] of [["executeInvalidAboveScale50", /throughputPerS must be a finite number/], ["executeUncloneableAboveScale50", /cannot be sent from the worker/], ["executeExitingAboveScale50", /exited with code 3/]] as const) {
    const report = await runExperiment({ experimentPath: path, outRoot: join(dir, name), jobs: 2, executor: faultyExecutor(name), figures: false }, captureIo());
    t.is(report.exitCode, 1, name);
    t.deepEqual(report.runs.map((run) => run.outcome.ok), [true, false, true], name);
    const failed = report.runs[1]!.outcome;
    t.regex(failed.ok ? "" : failed.error.message, why, name);
  }
});

test("--shard takes every n-th point and --seed reseeds the run (and its run id)", async (t) => {
  const dir = tempDir("shard");
  const path = writeExperiment(dir, "shard");
  const report = await runExperiment({ experimentPath: path, outRoot: join(dir, "results"), jobs: 1, shard: { index: 2, count: 3 }, seed: "7", executor: queueSimExecutor, figures: false }, captureIo());
  t.is(report.exitCode, 0);
  t.deepEqual(report.runs.map((run) => `${run.index}/${run.replication}`), ["0/1", "2/0", "3/1"], "positions 1, 4 and 7 of the 8 runs");
  t.deepEqual(report.runs.map((run) => run.seed), ["7/r1", "7", "7/r1"]);
  t.regex(report.runDir!, /-s7-shard2of3$/);
  t.is(report.manifest!.shard, "2/3");
});

test("files the config names are read relative to it: a trace's arrivals and a fault schedule reach the executor", async (t) => {
  const dir = tempDir("inputs");
  writeFileSync(join(dir, "arrivals.csv"), "timeMs\n0\n10\n10\n250\n900\n1500\n2500\n");
  writeFileSync(join(dir, "crash.jsonl"), '{"timeUs":500000,"fault":"crash","targets":["server-1"],"params":{}}\n{"timeUs":700000,"fault":"restart","targets":["server-1"],"params":{}}\n');
  const path = writeExperiment(dir, "inputs", (config) => {
    delete config["sweep"];
    config["workload"] = { kind: "travel-saga", arrivalsPerS: 10, services: 3, failureChance: 0, arrival: { kind: "trace", path: "arrivals.csv" } };
    config["faults"] = { schedule: "crash.jsonl" };
  });
  const report = await runExperiment({ experimentPath: path, outRoot: join(dir, "results"), executor: queueSimExecutor, figures: false }, captureIo());
  t.is(report.exitCode, 0);
  const outcome = report.runs[0]!.outcome;
  if (!outcome.ok) return t.fail(outcome.error.message);
  t.is(outcome.result.metrics?.["completed"], 5, "the five trace arrivals inside 1 s, and no others");
  t.is(readFileSync(join(report.runDir!, "faults/p0r0.jsonl"), "utf8"), readFileSync(join(dir, "crash.jsonl"), "utf8"));
  writeFileSync(join(dir, "arrivals.csv"), "timeMs\n5\n1\n");
  const unsorted = captureIo();
  t.is((await runExperiment({ experimentPath: path, outRoot: join(dir, "results"), executor: queueSimExecutor }, unsorted)).exitCode, 2);
  t.regex(unsorted.text(), /arrivals.csv:3: time 1000 us comes before the previous arrival/);
});
