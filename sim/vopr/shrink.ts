// Shrinking a failing fault schedule by delta debugging (Zeller and Hildebrandt's ddmin): split
// the schedule into chunks, keep any chunk or complement that still fails, and refine until no
// single entry can be removed. The result is 1-minimal: dropping any one remaining entry makes
// the failure go away, which is what a person debugging it wants to read.
//
// "Still fails" means: still violates the same invariant as the original run (shrinking towards
// a different failure would hand over a different bug). Entries are dropped independently, so a
// crash may lose its restart; the VOPR's heal restarts every node at the end of the safety phase,
// so such a schedule is still a valid run. Every test is one simulated run; `testsMax` bounds the
// work (the best schedule so far is returned when it is reached).

import type { Ledger } from "./ledger.ts";
import { violationsOf, type InvariantName, type Violation } from "./invariants.ts";
import type { VoprCase, VoprEntry } from "./vopr-case.ts";
import { voprRun, type VoprOutcome } from "./vopr-run.ts";
import type { PlantedBugName } from "../../engine/io/planted-bugs.ts";

export type DdminResult<T> = { readonly items: readonly T[]; readonly tests: number; readonly complete: boolean };

/** The 1-minimal failing subsequence of `items` (order kept), found with at most `testsMax` tests. */
export function ddmin<T>(items: readonly T[], fails: (subset: readonly T[]) => boolean, testsMax: number): DdminResult<T> {
  let tests = 0;
  const check = (subset: readonly T[]): boolean => {
    tests++;
    return fails(subset);
  };
  if (items.length === 0 || check([])) return { items: [], tests, complete: true };
  let current = [...items];
  let granularity = 2;
  while (current.length >= 2) {
    if (tests >= testsMax) return { items: current, tests, complete: false };
    const chunks = split(current, Math.min(granularity, current.length));
    const reduced = reduceOnce(chunks, check, () => tests >= testsMax);
    if (reduced !== null) {
      current = reduced.items;
      granularity = reduced.complement ? Math.max(granularity - 1, 2) : 2;
      continue;
    }
    if (granularity >= current.length) break;
    granularity = Math.min(granularity * 2, current.length);
  }
  return { items: current, tests, complete: true };
}

/** Tries each chunk alone, then each complement; the first that fails, or null. */
function reduceOnce<T>(chunks: readonly T[][], check: (subset: readonly T[]) => boolean, spent: () => boolean): { items: T[]; complement: boolean } | null {
  for (const chunk of chunks) {
    if (spent()) return null;
    if (chunks.length > 1 && check(chunk)) return { items: chunk, complement: false };
  }
  if (chunks.length <= 2) return null; // with two chunks a complement is the other chunk
  for (let index = 0; index < chunks.length; index++) {
    if (spent()) return null;
    const complement = chunks.filter((_, other) => other !== index).flat();
    if (check(complement)) return { items: complement, complement: true };
  }
  return null;
}

function split<T>(items: readonly T[], parts: number): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  for (let part = 0; part < parts; part++) {
    const end = start + Math.ceil((items.length - start) / (parts - part));
    chunks.push(items.slice(start, end));
    start = end;
  }
  return chunks;
}

export type ShrinkInputs = {
  readonly case: VoprCase;
  readonly ledger: Ledger;
  /** The oracle run (it has no faults, so no shrinking changes it). */
  readonly oracle: VoprOutcome;
  /** Violations the fault-free run had itself: they fail every schedule, even the empty one. */
  readonly oracleViolations: readonly Violation[];
  readonly invariant: InvariantName;
  readonly plantedBugs: readonly PlantedBugName[];
  readonly testsMax?: number;
};

export type ShrinkResult = { readonly case: VoprCase; readonly tests: number; readonly complete: boolean };

/** Shrinks the case's schedule to a 1-minimal one that still violates `invariant`. */
export function voprShrink(inputs: ShrinkInputs): ShrinkResult {
  const { ledger, oracle, invariant } = inputs;
  const original = inputs.case;
  if (inputs.oracleViolations.some((violation) => violation.invariant === invariant)) {
    return { case: { ...original, schedule: [] }, tests: 0, complete: true };
  }
  const fails = (schedule: readonly VoprEntry[]): boolean => {
    const c = { ...original, schedule };
    const run = voprRun(c, { faults: true, plantedBugs: inputs.plantedBugs });
    if (invariant === "determinism") {
      return voprRun(c, { faults: true, plantedBugs: inputs.plantedBugs }).fingerprint !== run.fingerprint;
    }
    return violationsOf(ledger, oracle, run).some((violation) => violation.invariant === invariant);
  };
  const result = ddmin(original.schedule, fails, inputs.testsMax ?? 400);
  return { case: { ...original, schedule: result.items }, tests: result.tests, complete: result.complete };
}
