// `ssms plot` re-renders a run's figures and report from its files alone, byte for byte what the
// run itself rendered, and refuses (exit 2) a directory that is not a run directory.

import test from "ava";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { captureIo, queueSimExecutor, tempDir, writeExperiment } from "../runner/runner-fixtures.ts";
import { runExperiment } from "../runner/run-experiment.ts";
import { main } from "./plot.ts";

test("plot re-renders byte-identical figures and report from the run directory's files", async (t) => {
  const dir = tempDir("plot");
  const path = writeExperiment(dir, "plot", (config) => {
    config["sweep"] = { grid: { "workload.computeScale": [1, 100] }, replications: 2 };
  });
  const report = await runExperiment({ experimentPath: path, outRoot: join(dir, "results"), jobs: 1, executor: queueSimExecutor }, captureIo());
  t.is(report.exitCode, 0);
  const runDir = report.runDir!;
  const files = [...readdirSync(join(runDir, "figures")).map((file) => join("figures", file)), "report.html"].sort();
  t.deepEqual(files, ["figures/cost-throughput.png", "figures/cost-throughput.svg", "figures/timeseries-p0.png", "figures/timeseries-p0.svg", "figures/timeseries-p1.png", "figures/timeseries-p1.svg", "report.html"]);
  const before = new Map(files.map((file) => [file, readFileSync(join(runDir, file))]));
  rmSync(join(runDir, "figures"), { recursive: true });
  rmSync(join(runDir, "report.html"));
  const io = captureIo();
  t.is(await main([runDir], io), 0, io.text());
  for (const file of files) t.true(readFileSync(join(runDir, file)).equals(before.get(file)!), `${file} is identical`);
  const html = readFileSync(join(runDir, "report.html"), "utf8");
  t.regex(html, /<svg/);
  t.regex(html, new RegExp(report.manifest!.points[0]!.fingerprint!));
});

test("plot refuses a directory without a manifest (exit 2) and prints help (exit 0)", async (t) => {
  const io = captureIo();
  t.is(await main([tempDir("plot-empty")], io), 2);
  t.regex(io.text(), /has no manifest.json/);
  const help = captureIo();
  t.is(await main(["--help"], help), 0);
  t.regex(help.text(), /usage: ssms plot <results-dir>/);
});
