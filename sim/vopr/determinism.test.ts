// The determinism self-check: one seed run twice gives the same fingerprint (and event traces
// that agree event for event), and nondeterminism planted in a run — a component whose behaviour
// depends on state kept between runs, the classic leak — is reported as a determinism violation
// naming the first differing event, at the virtual time where the runs parted.

import test from "ava";
import { traceFirstDifference } from "./event-trace.ts";
import { voprCase } from "./vopr-case.ts";
import { voprRun } from "./vopr-run.ts";
import { voprCheckCase } from "./vopr-seed.ts";

test("the same seed run twice gives the same fingerprint and the same event trace", (t) => {
  for (const seed of ["3", "17", "42"]) {
    const c = voprCase(seed);
    const first = voprRun(c, { faults: true, trace: true });
    const second = voprRun(c, { faults: true, trace: true });
    t.is(first.crash, null, `seed ${seed} ran`);
    t.is(first.fingerprint, second.fingerprint, `seed ${seed}`);
    t.true(first.trace!.count > 100, `seed ${seed} traced its events`);
    t.is(first.trace!.count, first.events, "one trace entry per processed event");
    t.is(traceFirstDifference(first.trace!, second.trace!), null);
    t.not(first.fingerprint, voprRun(c, { faults: false }).fingerprint, "faults change the fingerprint");
  }
});

test("state leaking between runs is caught as nondeterminism, with the first differing event", (t) => {
  let runs = 0;
  const c = voprCase("5");
  const report = voprCheckCase(c, {
    // A timer whose delay depends on how many runs came before: every run differs from the last.
    onCluster: (cluster) => void cluster.sim.clock.timerStart(100_000 + runs++, () => undefined),
  });
  const violation = report.violations.find((candidate) => candidate.invariant === "determinism");
  if (violation === undefined) return void t.fail("no determinism violation reported");
  t.regex(violation.detail, /fingerprints [0-9a-f]{16} and [0-9a-f]{16}/);
  t.regex(violation.detail, /first differing event is #\d+: first run at 10000[0-9]us seq \d+, second run at 10000[0-9]us/);
  t.is(report.violations.filter((candidate) => candidate.invariant === "determinism").length, 1);
});
