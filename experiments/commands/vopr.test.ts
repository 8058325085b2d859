// `ssms vopr`: a small sweep exits 0 and ends with its figures and a JSON line; bad flags exit 2
// naming the flag; a failing seed (a planted bug) exits 1 after writing a shrunk replay file that
// `ssms replay` reproduces (exit 0) and `ssms vopr --replay` reports as failing (exit 1).

import test from "ava";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { commands } from "../../bin/commands.ts";
import { captureIo, tempDir } from "../runner/runner-fixtures.ts";
import { main as replayMain } from "./replay.ts";
import { main } from "./vopr.ts";

test("a small sweep passes and reports seeds per second, coverage and a JSON summary", async (t) => {
  const io = captureIo();
  t.is(await main(["--seeds", "3", "--seed", "40", "--out", tempDir("vopr-ok")], io), 0, io.text());
  t.regex(io.text(), /vopr: 3 seeds \(40–42\) in [\d.]+ s, [\d.]+ seeds\/s; 0 failing/);
  t.regex(io.text(), /coverage: darq\.recovery\.tornTailCut=\d+/);
  const last = io.stdout.join("").trim().split("\n").at(-1)!;
  t.like(JSON.parse(last), { vopr: { from: 40, seeds: 3, failures: 0 } });
  t.truthy(commands.vopr, "registered as a CLI command");
});

test("bad flags exit 2 and say which", async (t) => {
  for (const [args, pattern] of [
    [["--seed", "x1"], /--seed 'x1' is not an integer/],
    [["--seeds", "0"], /--seeds '0' is not a positive integer/],
    [["--plant", "nope"], /--plant 'nope' is not a planted bug/],
    [["--bogus"], /Unknown option '--bogus'/],
  ] as const) {
    const io = captureIo();
    t.is(await main([...args], io), 2, args.join(" "));
    t.regex(io.text(), pattern);
  }
  const io = captureIo();
  t.is(await main(["--replay", "/nonexistent/vopr.jsonl"], io), 2);
  t.regex(io.text(), /cannot read \/nonexistent\/vopr\.jsonl/);
});

test("a failing seed is shrunk and written; replay reproduces it, vopr --replay reports it", async (t) => {
  const dir = tempDir("vopr-fail");
  const io = captureIo();
  t.is(await main(["--plant", "dedupOff", "--seed", "1", "--out", dir], io), 1, io.text());
  t.regex(io.text(), /seed 1 FAILED/);
  t.regex(io.text(), /exactlyOnce: /);
  t.regex(io.text(), /shrunk from \d+ faults and \d+ actions? to 0 faults and 0 actions/, "dedupOff fails without any fault");
  const path = join(dir, "vopr-seed-1.jsonl");
  t.true(existsSync(path));
  t.regex(io.text(), new RegExp(`replay with: npx ssms replay ${path.replace(/[.]/g, "\\.")}`));
  t.regex(readFileSync(path, "utf8").split("\n")[0]!, /"plantedBugs":\["dedupOff"\]/);
  const replayed = captureIo();
  t.is(await replayMain([path], replayed), 0, replayed.text());
  t.regex(replayed.text(), /fingerprint [0-9a-f]{16} reproduced/);
  const again = captureIo();
  t.is(await main(["--replay", path, "--quiet"], again), 1, again.text());
  t.regex(again.text(), /exactlyOnce: /);
});
