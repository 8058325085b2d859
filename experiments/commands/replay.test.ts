// `ssms replay` reproduces a recorded run: every fingerprint from the manifest, one point from its
// fault schedule file, a recorded failure as the same failure; it exits 1 naming the first
// difference when a fingerprint or the schedule was changed, 2 on unusable input; a schedule
// outside a run directory is replayed against --config and must agree with itself.

import test from "ava";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { captureIo, faultyExecutor, queueSimExecutor, tempDir, writeExperiment } from "../runner/runner-fixtures.ts";
import { runExperiment } from "../runner/run-experiment.ts";
import { main } from "./replay.ts";

async function recordedRun(name: string, executor = queueSimExecutor): Promise<{ dir: string; runDir: string; path: string }> {
  const dir = tempDir(name);
  const path = writeExperiment(dir, name, (config) => {
    config["sweep"] = { grid: { "workload.computeScale": [1, 100] } };
  });
  const report = await runExperiment({ experimentPath: path, outRoot: join(dir, "results"), jobs: 1, executor, figures: false }, captureIo());
  return { dir, runDir: report.runDir!, path };
}

test("a recorded run replays with every fingerprint reproduced (exit 0)", async (t) => {
  const { runDir } = await recordedRun("replay-ok");
  const io = captureIo();
  t.is(await main([join(runDir, "manifest.json"), "--jobs", "1"], io), 0, io.text());
  t.regex(io.text(), /point 0 replication 0: fingerprint [0-9a-f]{16} reproduced/);
  t.regex(io.text(), /point 1 replication 0: fingerprint [0-9a-f]{16} reproduced/);
  const one = captureIo();
  t.is(await main([join(runDir, "faults", "p1r0.jsonl")], one), 0, one.text());
  t.regex(one.text(), /replaying 1 point/);
});

test("a changed fingerprint or fault schedule is a difference: exit 1 with the first one", async (t) => {
  const { runDir } = await recordedRun("replay-diff");
  const manifestPath = join(runDir, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { points: { fingerprint: string }[] };
  const original = manifest.points[1]!.fingerprint;
  manifest.points[1]!.fingerprint = "0000000000000000";
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const io = captureIo();
  t.is(await main([manifestPath, "--jobs", "1"], io), 1);
  t.regex(io.text(), new RegExp(`point 1 replication 0: fingerprint 0000000000000000 recorded, ${original} now`));
  manifest.points[1]!.fingerprint = original;
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const schedulePath = join(runDir, "faults", "p0r0.jsonl");
  const schedule = readFileSync(schedulePath, "utf8").split("\n");
  t.true(schedule[0]!.includes('"fault":"crash"'), "the run recorded at least one crash");
  writeFileSync(schedulePath, [schedule[0]!.replace(/"timeUs":\d+/, '"timeUs":1'), ...schedule.slice(1)].join("\n"));
  const changed = captureIo();
  t.is(await main([schedulePath], changed), 1);
  t.regex(changed.text(), /replay differs: point 0 replication 0: fingerprint [0-9a-f]{16} recorded, [0-9a-f]{16} now/);
});

test("a recorded failure replays as the same failure, with its stack", async (t) => {
  const { runDir } = await recordedRun("replay-failure", faultyExecutor("executeFailingAboveScale50"));
  const io = captureIo();
  t.is(await main([runDir, "--point", "1", "--replication", "0"], io), 0, io.text());
  t.regex(io.text(), /failure reproduced: SSMS_ERR_SIMULATION_LIMIT: compute scale 100/);
  t.regex(io.text(), /at executeFailingAboveScale50/);
});

test("a standalone schedule replays against --config and must agree with itself; without --config it is exit 2", async (t) => {
  const { dir, runDir, path } = await recordedRun("replay-standalone");
  const schedule = join(dir, "schedule.jsonl");
  writeFileSync(schedule, readFileSync(join(runDir, "faults", "p0r0.jsonl")));
  const io = captureIo();
  const executor = `${queueSimExecutor.module}#${queueSimExecutor.exportName}`;
  t.is(await main([schedule, "--config", path, "--executor", executor], io), 0, io.text());
  t.regex(io.text(), /point 0 replication 0 with \S+schedule.jsonl: fingerprint [0-9a-f]{16}, reproduced/);
  const bare = captureIo();
  t.is(await main([schedule], bare), 2);
  t.regex(bare.text(), /pass --config/);
});

test("unusable input is exit 2: a missing path, a directory without a manifest, bad flags", async (t) => {
  const dir = tempDir("replay-bad");
  const io = captureIo();
  t.is(await main([join(dir, "nothing")], io), 2);
  t.is(await main([dir], io), 2);
  t.regex(io.text(), /neither a run directory/);
  t.is(await main([dir, "--point", "x"], io), 2);
  t.is(await main([], io), 2);
  t.is(await main(["--help"], captureIo()), 0);
});
