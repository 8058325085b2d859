// The ledger and the invariant checkers: the ledger computes a chain's outputs and states from the
// hop automaton's own handler; fault-free cluster runs agree with it exactly; each kind of wrong
// outcome (an extra output, a missing one, a short state, a state unlike the oracle's, an audit
// finding, a crash, a run that never goes quiet) is named by the invariant it breaks; and the
// ledger catches a real double effect (the dedupOff planted bug) that needs no fault at all.

import test from "ava";
import { violationsOf } from "./invariants.ts";
import { ledgerOf, multisetMinus } from "./ledger.ts";
import { voprCase } from "./vopr-case.ts";
import { voprRun, type VoprOutcome } from "./vopr-run.ts";
import { voprCheckSeed } from "./vopr-seed.ts";

test("the ledger of a zero-hop injection is one step and one report", (t) => {
  const ledger = ledgerOf(4, [{ atUs: 0, to: 2, tag: "x", hops: 0 }]);
  t.is(ledger.steps, 1);
  t.deepEqual(ledger.outputs, ["x|0|hop/2|1"]);
  t.deepEqual(Object.keys(ledger.states), ["hop/2"]);
  t.like(ledger.states["hop/2"], { count: 1, sum: 1 });
});

test("the ledger counts every hop of every chain once, fan-outs included", (t) => {
  const ledger = ledgerOf(5, [{ atUs: 0, to: 0, tag: "a", hops: 9 }, { atUs: 10, to: 3, tag: "b", hops: 6 }]);
  const steps = Object.values(ledger.states).reduce((sum, state) => sum + state.count, 0);
  t.is(steps, ledger.steps, "every step folded into exactly one state");
  t.true(ledger.steps >= 10 + 7, "at least the two chains' hops");
  t.true(ledger.outputs.filter((output) => output.startsWith("a|")).length >= 4, "hops 9, 6, 3, 0 of chain a report");
});

test("fault-free cluster runs agree with the ledger exactly", (t) => {
  for (const seed of ["0", "7", "21", "33"]) {
    const c = voprCase(seed);
    const ledger = ledgerOf(c.counters, c.injections);
    const run = voprRun(c, { faults: false });
    t.deepEqual(violationsOf(ledger, null, run), [], `seed ${seed}`);
    t.deepEqual(run.outputs, ledger.outputs, `seed ${seed} outputs`);
    t.deepEqual(run.states, ledger.states, `seed ${seed} states`);
  }
});

function outcome(over: Partial<VoprOutcome>): VoprOutcome {
  return {
    outputs: [], states: {}, stateProblems: [], fingerprint: "0000000000000000", events: 0, quietAfterHealUs: 0, liveness: null,
    clientUnacked: 0, clientFailures: [], audit: [], crash: null, faultsApplied: 0, trace: null, ...over,
  };
}

test("each kind of wrong outcome is named by the invariant it breaks", (t) => {
  const ledger = ledgerOf(3, [{ atUs: 0, to: 1, tag: "x", hops: 0 }]);
  const good = outcome({ outputs: ledger.outputs, states: ledger.states });
  const names = (run: VoprOutcome, oracle: VoprOutcome | null = null): string[] => violationsOf(ledger, oracle, run).map((v) => v.invariant);
  t.deepEqual(names(good, good), []);
  t.deepEqual(names({ ...good, outputs: [...ledger.outputs, ...ledger.outputs] }), ["exactlyOnce"]);
  t.deepEqual(names({ ...good, outputs: [] }), ["noLostMessage"]);
  t.deepEqual(names({ ...good, clientUnacked: 2 }), ["noLostMessage"]);
  t.deepEqual(names({ ...good, states: { "hop/1": { count: 2, sum: 2, digest: 1 } } }), ["exactlyOnce"]);
  t.deepEqual(names({ ...good, states: {} }), ["noLostMessage"]);
  t.deepEqual(names(good, { ...good, states: { "hop/1": { count: 9, sum: 9, digest: 9 } } }), ["oracleStates"]);
  t.deepEqual(names({ ...good, audit: ["hop/1 on d2 is an orphan DARQ (no metadata record there)"] }), ["noLeak"]);
  t.deepEqual(names({ ...good, audit: ["hop/1 is hosted on 2 DARQ nodes: d1, d2"] }), ["catalogConsistent"]);
  t.deepEqual(names({ ...good, liveness: "still busy" }), ["liveness"]);
  t.deepEqual(names({ ...good, crash: "assert" }), ["crash"]);
});

test("multiset difference keeps duplicates", (t) => {
  t.deepEqual(multisetMinus(["a", "a", "b"], ["a"]), ["a", "b"]);
  t.deepEqual(multisetMinus(["a"], ["a", "a"]), []);
});

test("the ledger catches a double effect that needs no fault (dedupOff planted)", (t) => {
  const report = Array.from({ length: 20 }, (_, index) => `${index}`)
    .map((seed) => voprCheckSeed(seed, { plantedBugs: ["dedupOff"], determinism: false }))
    .find((candidate) => candidate.violations.length > 0);
  if (report === undefined) return void t.fail("dedupOff went unnoticed for 20 seeds");
  t.true(report.oracleViolations.some((violation) => violation.invariant === "exactlyOnce"),
    `seed ${report.case.seed}: ${report.violations.map((violation) => violation.detail).join("; ")}`);
});
