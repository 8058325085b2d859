// Checking one case: the ledger, the fault-free oracle run, the faulty run, the invariants, and
// (optionally) the determinism self-check — the faulty run again, which must give the same
// fingerprint; if not, both runs' event traces locate the first differing event.
//
// A failing check can be shrunk (shrink.ts) and written as a replay file (vopr-file.ts); the
// sweep (sweep.ts) and the `ssms vopr` command drive this for many seeds.

import type { PlantedBugName } from "../../engine/io/planted-bugs.ts";
import type { SimCluster } from "../cluster/sim-cluster.ts";
import { traceDivergence, traceFirstDifference } from "./event-trace.ts";
import { violationsOf, type Violation } from "./invariants.ts";
import { ledgerOf, multisetMinus, type Ledger } from "./ledger.ts";
import { voprShrink, type ShrinkResult } from "./shrink.ts";
import { faultCount, voprCase, type VoprCase, type VoprEntry } from "./vopr-case.ts";
import { voprRun, type VoprOutcome } from "./vopr-run.ts";

export type CheckOptions = {
  /** Run the faulty run twice and compare (default true). */
  readonly determinism?: boolean;
  readonly plantedBugs?: readonly PlantedBugName[];
  /** Sees each cluster before its run (tests plant nondeterminism with it). */
  readonly onCluster?: (cluster: SimCluster) => void;
};

export type CaseReport = {
  readonly case: VoprCase;
  readonly plantedBugs: readonly PlantedBugName[];
  readonly ledger: Ledger;
  readonly oracle: VoprOutcome;
  readonly faulty: VoprOutcome;
  /** Violations of the fault-free run (details say so), then of the faulty run. */
  readonly violations: readonly Violation[];
  readonly oracleViolations: readonly Violation[];
  /** Simulated events of every run of the check. */
  readonly events: number;
};

export function voprCheckSeed(seed: string, options: CheckOptions = {}): CaseReport {
  return voprCheckCase(voprCase(seed), options);
}

export function voprCheckCase(c: VoprCase, options: CheckOptions = {}): CaseReport {
  const plantedBugs = options.plantedBugs ?? [];
  const determinism = options.determinism ?? true;
  const ledger = ledgerOf(c.counters, c.injections);
  const runOptions = { plantedBugs, ...(options.onCluster === undefined ? {} : { onCluster: options.onCluster }) };
  const oracle = voprRun(c, { ...runOptions, faults: false });
  const faulty = voprRun(c, { ...runOptions, faults: true, trace: determinism });
  const oracleViolations = violationsOf(ledger, null, oracle).map((violation) => ({ ...violation, detail: `fault-free run: ${violation.detail}` }));
  const violations = [...oracleViolations, ...violationsOf(ledger, oracle, faulty)];
  let events = oracle.events + faulty.events;
  if (determinism) {
    const again = voprRun(c, { ...runOptions, faults: true, trace: true });
    events += again.events;
    if (again.fingerprint !== faulty.fingerprint) violations.push({ invariant: "determinism", detail: divergence(faulty, again) });
  }
  return { case: c, plantedBugs, ledger, oracle, faulty, violations, oracleViolations, events };
}

/** Where two runs of one case parted: the first differing event, else the first differing result. */
export function divergence(first: VoprOutcome, second: VoprOutcome): string {
  const head = `the same case ran twice gave fingerprints ${first.fingerprint} and ${second.fingerprint}`;
  if (first.trace !== null && second.trace !== null) {
    const index = traceFirstDifference(first.trace, second.trace);
    if (index !== null) return `${head}; ${traceDivergence(first.trace, second.trace, index)}`;
  }
  const extra = multisetMinus(second.outputs, first.outputs);
  const missing = multisetMinus(first.outputs, second.outputs);
  if (extra.length > 0 || missing.length > 0) {
    return `${head}; every event agrees, but the outputs differ: second run adds ${JSON.stringify(extra.slice(0, 3))}, lacks ${JSON.stringify(missing.slice(0, 3))}`;
  }
  const ids = Object.keys({ ...first.states, ...second.states }).sort()
    .filter((id) => JSON.stringify(first.states[id]) !== JSON.stringify(second.states[id]));
  return `${head}; every event agrees, but ${ids.length > 0 ? `the states of ${ids.slice(0, 3).join(", ")} differ` : "the crash reports differ"}`;
}

/** Shrinks a failing report's schedule towards its first violation's invariant. */
export function voprShrinkReport(report: CaseReport, testsMax?: number): ShrinkResult {
  const first = report.violations[0];
  if (first === undefined) return { case: report.case, tests: 0, complete: true };
  return voprShrink({
    case: report.case, ledger: report.ledger, oracle: report.oracle, oracleViolations: report.oracleViolations,
    invariant: first.invariant, plantedBugs: report.plantedBugs, ...(testsMax === undefined ? {} : { testsMax }),
  });
}

/** A one-line summary of a case: what the seed drew. */
export function caseSummary(c: VoprCase): string {
  const computes = c.config.computeNodes.map((node) => `${node.name}:${node.kind}`).join(",");
  return `seed ${c.seed}: ${c.config.profile}, DARQ ${c.config.darqNodes.map((node) => `${node.name}:${node.tier}`).join(",")}, ` +
    `compute ${computes}, ${c.counters} counters, ${c.injections.length} injections, safety ${c.safetyUs}us, ` +
    `faults ${c.faultMode} (${scheduleSize(c.schedule)})`;
}

/** "3 faults and 1 action" */
export function scheduleSize(schedule: readonly VoprEntry[]): string {
  const faults = faultCount(schedule);
  const actions = schedule.length - faults;
  return `${faults} fault${faults === 1 ? "" : "s"} and ${actions} action${actions === 1 ? "" : "s"}`;
}
