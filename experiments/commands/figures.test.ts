// `ssms figures` runs every config in the paper directory and writes <name>.svg and .png with the
// builder mapped to it; an empty directory draws nothing (exit 0), a missing one is exit 2, and a
// config whose points fail is exit 1.

import test from "ava";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pngSize } from "../../viz/png.ts";
import { captureIo, faultyExecutor, queueSimExecutor, tempDir, writeExperiment } from "../runner/runner-fixtures.ts";
import { main } from "./figures.ts";

const executorFlag = (ref: { module: string; exportName: string }) => `${ref.module}#${ref.exportName}`;

test("every paper config is run and drawn as <name>.svg and .png", async (t) => {
  const dir = tempDir("figures");
  const paperDir = join(dir, "paper");
  mkdirSync(paperDir);
  writeExperiment(paperDir, "cost-performance", (config) => {
    config["sweep"] = { grid: { "workload.computeScale": [1, 100] } };
  });
  const out = join(dir, "figures-out");
  const io = captureIo();
  const code = await main(["--paper-dir", paperDir, "--out", out, "--results", join(dir, "results"), "--jobs", "1", "--executor", executorFlag(queueSimExecutor), "--quiet"], io);
  t.is(code, 0, io.text());
  t.regex(readFileSync(join(out, "cost-performance.svg"), "utf8"), /cost vs. throughput/);
  t.truthy(pngSize(readFileSync(join(out, "cost-performance.png"))));
  t.true(existsSync(join(dir, "results", "cost-performance")), "the run's own results are kept");
});

test("figures: an empty paper directory draws nothing, a missing one is exit 2, failing points exit 1", async (t) => {
  const dir = tempDir("figures-edge");
  const empty = join(dir, "empty");
  mkdirSync(empty);
  const io = captureIo();
  t.is(await main(["--paper-dir", empty, "--out", join(dir, "out")], io), 0);
  t.regex(io.text(), /nothing to draw/);
  t.is(await main(["--paper-dir", join(dir, "absent")], captureIo()), 2);
  const paperDir = join(dir, "paper");
  mkdirSync(paperDir);
  writeExperiment(paperDir, "half-fails", (config) => {
    config["sweep"] = { grid: { "workload.computeScale": [1, 100] } };
  });
  const failing = captureIo();
  const code = await main(["--paper-dir", paperDir, "--out", join(dir, "out"), "--results", join(dir, "results"), "--jobs", "1", "--executor", executorFlag(faultyExecutor("executeFailingAboveScale50")), "--quiet"], failing);
  t.is(code, 1, failing.text());
  t.true(existsSync(join(dir, "out", "half-fails.svg")), "the points that ran are still drawn");
});
