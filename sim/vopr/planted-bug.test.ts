// The VOPR catches a real bug: with a planted bug switched on (recovery forgets the DARQ's
// producer dedup tables, so a message durable before a crash can be accepted again after it;
// engine/io/planted-bugs.ts), a sweep finds a failing seed within 100 seeds, delta debugging
// shrinks its schedule to at most 5 faults that still fail the same way, the written file parses
// back to the same case, and replaying it reproduces the failure and its fingerprint. With the
// switch off, the shrunk case passes: the failure is the planted bug, not some other one.
//
// Finding it must not hang on one lucky seed. The bug shows only when a client's retry reaches a
// DARQ node that accepted the message before a crash, so the cases draw fault episodes that make
// this happen (vopr-unacked.ts: replies cut off, then a crash); at least a tenth of seeds 0–99
// must catch it (about a quarter do over seeds 0–999, and every 100 consecutive of them hold one).

import test from "ava";
import { plantedBugs } from "../../engine/io/planted-bugs.ts";
import { voprSweep } from "./sweep.ts";
import { formatVoprFile, parseVoprFile } from "./vopr-file.ts";
import { faultCount } from "./vopr-case.ts";
import { voprCheckCase, voprShrinkReport } from "./vopr-seed.ts";

test("a planted dedup bug is found within 100 seeds, shrunk to at most 5 faults, and its file replays it", (t) => {
  const planted = ["dedupNotRecovered"] as const;
  const sweep = voprSweep({ count: 100, plantedBugs: planted, determinismEvery: 0 });
  const found = sweep.failures[0];
  if (found === undefined) return void t.fail(`no seed of 0–99 failed with ${planted.join(", ")} planted`);
  t.log(`${sweep.failures.length} of seeds 0–99 catch it: ${sweep.failures.map((report) => report.case.seed).join(", ")}`);
  t.true(sweep.failures.length >= 10, `the bug is caught by chance, not by design: only ${sweep.failures.length} of 100 seeds`);
  t.false(plantedBugs.dedupNotRecovered, "the switch is off again after the sweep");
  const invariant = found.violations[0]!.invariant;
  t.log(`seed ${found.case.seed} fails (${invariant}) with ${faultCount(found.case.schedule)} faults`);

  const shrunk = voprShrinkReport(found);
  t.true(shrunk.complete, "shrinking finished within its run budget");
  const faults = faultCount(shrunk.case.schedule);
  t.log(`shrunk to ${faults} faults and ${shrunk.case.schedule.length - faults} actions in ${shrunk.tests} runs`);
  t.true(faults <= 5, `at most 5 faults, got ${faults}`);
  t.true(shrunk.case.schedule.length < found.case.schedule.length, "shrinking removed entries");

  const check = voprCheckCase(shrunk.case, { plantedBugs: planted });
  t.true(check.violations.some((violation) => violation.invariant === invariant), "the shrunk case still fails the same way");
  const text = formatVoprFile({ case: shrunk.case, plantedBugs: planted, expect: { fingerprint: check.faulty.fingerprint, violations: [] } });
  const file = parseVoprFile(text, "planted.jsonl");
  t.deepEqual(file.case, shrunk.case, "the file holds the whole case");
  t.deepEqual(file.plantedBugs, planted);
  const replayed = voprCheckCase(file.case, { plantedBugs: file.plantedBugs });
  t.is(replayed.faulty.fingerprint, file.expect!.fingerprint, "the replay reproduces the fingerprint");
  t.deepEqual(replayed.violations.map((violation) => violation.invariant), check.violations.map((violation) => violation.invariant));

  const clean = voprCheckCase(shrunk.case, { determinism: false });
  t.deepEqual(clean.violations, [], "without the planted bug the shrunk case passes");
});
