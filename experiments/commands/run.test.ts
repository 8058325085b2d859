// `ssms run` through the real CLI entry in a child process: exit 0 with the seed/commit/config
// line and a progress bar with ETA on stderr when --progress is given; exit 2 for an invalid
// config (every problem listed) and for malformed flags; --help exits 0.

import test from "ava";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { projectRoot } from "../runner/executors.ts";
import { captureIo, queueSimExecutor, tempDir, writeExperiment } from "../runner/runner-fixtures.ts";
import { main } from "./run.ts";

function ssms(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, ["--import=tsx", join(projectRoot, "bin", "ssms.ts"), ...args], { cwd: projectRoot, encoding: "utf8", timeout: 120_000 });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

test("ssms run: exit 0, the seed line on stdout and a progress bar with ETA on stderr", (t) => {
  const dir = tempDir("cli-run");
  const path = writeExperiment(dir, "cli");
  const child = ssms(["run", path, "--out", join(dir, "results"), "--jobs", "2", "--progress", "--no-figures", "--executor", `${queueSimExecutor.module}#${queueSimExecutor.exportName}`]);
  t.is(child.status, 0, child.stderr);
  t.regex(child.stdout, /^seed=42 commit=\S+ config=[0-9a-f]{12} points=8 jobs=2$/m);
  t.regex(child.stdout, /8\/8 points ok; results in /);
  t.regex(child.stderr, /points .* 8\/8 \| 100% \| ETA \d+s \| failed 0/);
});

test("ssms run: an invalid config is exit 2 with every problem", (t) => {
  const dir = tempDir("cli-bad");
  const path = writeExperiment(dir, "bad", (config) => {
    config["mode"] = "cloud";
    config["extra"] = true;
  });
  const child = ssms(["run", path]);
  t.is(child.status, 2);
  t.regex(child.stderr, /2 problems/);
  t.regex(child.stderr, /\/mode/);
  t.regex(child.stderr, /\/extra/);
});

test("ssms run: malformed flags are exit 2, --help is exit 0", async (t) => {
  const dir = tempDir("cli-flags");
  const path = writeExperiment(dir, "flags");
  for (const flags of [["--jobs", "0"], ["--shard", "3/2"], ["--executor", "nothing"], ["--frobnicate"]]) {
    const io = captureIo();
    t.is(await main([path, ...flags], io), 2, flags.join(" "));
    t.true(io.stderr.length > 0, `${flags.join(" ")} says what is wrong`);
  }
  t.is(await main([], captureIo()), 2);
  const help = captureIo();
  t.is(await main(["--help"], help), 0);
  t.regex(help.text(), /--shard i\/n/);
});
