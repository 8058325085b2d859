// The VOPR's invariant checkers: what a finished run must satisfy, each violation named by the
// invariant it breaks so that shrinking can keep the failure it started with.
//
//   exactlyOnce        no sink output more often than the ledger says; no automaton with more
//                      (or other) steps folded into its state than the ledger's
//   noLostMessage      every ledger output arrived; every client send was acknowledged; no
//                      automaton with fewer steps than the ledger's
//   oracleStates       the final committed states equal the fault-free oracle run's
//   catalogConsistent  every active automaton on exactly one live DARQ, its catalog row equal to
//                      the metadata workflow's record (cluster-audit.ts), its state readable
//   noLeak             after the metadata workflows: no orphan logical DARQ, no processor the
//                      workflow does not know, none running for a dormant automaton
//   liveness           after the heal the run goes quiet within the bound
//   determinism        the same seed run twice gives the same fingerprint
//   crash              the run ended with an exception (an engine assert, a simulation limit)

import type { HopState } from "../cluster/swarm-workload.ts";
import { multisetMinus, type Ledger } from "./ledger.ts";
import type { VoprOutcome } from "./vopr-run.ts";

export const invariantNames = [
  "exactlyOnce", "noLostMessage", "oracleStates", "catalogConsistent", "noLeak", "liveness", "determinism", "crash",
] as const;
export type InvariantName = (typeof invariantNames)[number];

export type Violation = { readonly invariant: InvariantName; readonly detail: string };

const shownMax = 5;

function shown(items: readonly string[]): string {
  const head = items.slice(0, shownMax).join(", ");
  return items.length > shownMax ? `${head}, … (${items.length} in all)` : head;
}

/** Violations of `run` against the ledger and (for a faulty run) the oracle's states. */
export function violationsOf(ledger: Ledger, oracle: VoprOutcome | null, run: VoprOutcome): Violation[] {
  const found: Violation[] = [];
  const add = (invariant: InvariantName, detail: string): void => void found.push({ invariant, detail });
  if (run.crash !== null) add("crash", run.crash);
  if (run.liveness !== null) add("liveness", run.liveness);
  const extra = multisetMinus(run.outputs, ledger.outputs);
  if (extra.length > 0) add("exactlyOnce", `sink outputs beyond the ledger (tag|hops|by|amount): ${shown(extra)}`);
  const missing = multisetMinus(ledger.outputs, run.outputs);
  if (missing.length > 0 && run.crash === null) add("noLostMessage", `ledger outputs that never reached the sink: ${shown(missing)}`);
  if (run.clientFailures.length > 0) add("noLostMessage", `client sends failed: ${shown(run.clientFailures)}`);
  if (run.clientUnacked > 0 && run.liveness === null && run.crash === null) {
    add("noLostMessage", `${run.clientUnacked} client sends never acknowledged`);
  }
  if (run.crash === null) statesAgainstLedger(ledger, run, add);
  if (oracle !== null && oracle.crash === null && run.crash === null) {
    const differ = Object.keys({ ...oracle.states, ...run.states }).sort()
      .filter((id) => JSON.stringify(oracle.states[id]) !== JSON.stringify(run.states[id]));
    if (differ.length > 0) {
      add("oracleStates", `final states differ from the fault-free run: ${shown(differ.map((id) =>
        `${id} ${JSON.stringify(run.states[id] ?? null)} (fault-free ${JSON.stringify(oracle.states[id] ?? null)})`))}`);
    }
  }
  for (const problem of run.stateProblems) add("catalogConsistent", `committed state unreadable: ${problem}`);
  for (const problem of run.audit) add(isLeak(problem) ? "noLeak" : "catalogConsistent", problem);
  return found;
}

function statesAgainstLedger(ledger: Ledger, run: VoprOutcome, add: (invariant: InvariantName, detail: string) => void): void {
  const more: string[] = [];
  const fewer: string[] = [];
  const other: string[] = [];
  for (const id of Object.keys({ ...ledger.states, ...run.states }).sort()) {
    const want = ledger.states[id];
    const have = run.states[id] as HopState | undefined;
    const wantCount = want?.count ?? 0;
    const haveCount = have?.count ?? 0;
    if (haveCount > wantCount) more.push(`${id} took ${haveCount} steps, the ledger says ${wantCount}`);
    else if (haveCount < wantCount) fewer.push(`${id} took ${haveCount} steps, the ledger says ${wantCount}`);
    else if (want !== undefined && have !== undefined && (have.sum !== want.sum || have.digest !== want.digest)) {
      other.push(`${id} folded other messages than the ledger's (sum ${have.sum}, ledger ${want.sum})`);
    }
  }
  if (more.length > 0 || other.length > 0) add("exactlyOnce", `states beyond the ledger: ${shown([...more, ...other])}`);
  if (fewer.length > 0) add("noLostMessage", `states short of the ledger: ${shown(fewer)}`);
}

/** Audit findings that mean something was left behind (the rest are catalog disagreements). */
function isLeak(problem: string): boolean {
  return /orphan|which the workflow does not know|dormant but processors/.test(problem);
}

/** One line per violation, for reports and files. */
export function violationLines(violations: readonly Violation[]): string[] {
  return violations.map((violation) => `${violation.invariant}: ${violation.detail}`);
}
