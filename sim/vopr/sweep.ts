// A VOPR sweep: many seeds, each checked (vopr-seed.ts), with the coverage marks counted over the
// whole sweep (engine/io/coverage.ts) so the report can say which rare paths never fired — a
// sweep that never tore a log tail proves nothing about torn-tail recovery.
//
// Seeds are named by integers, `from` to `from + count - 1`, so "seeds 20000–29999" is a sweep
// anyone can rerun or split. The sweep keeps the full report of failing seeds only (the caller
// shrinks and writes them); passing seeds leave a line of counts. Time is not measured here
// (sim/ has no clock); the command measures seeds per second around the call.

import { coverageCounts, coverageNeverFired, coverageReset, type CoverageMarkName } from "../../engine/io/coverage.ts";
import type { PlantedBugName } from "../../engine/io/planted-bugs.ts";
import { voprCheckSeed, type CaseReport } from "./vopr-seed.ts";
import { faultCount } from "./vopr-case.ts";

export type SweepOptions = {
  /** First seed (an integer, default 0) and how many seeds. */
  readonly from?: number;
  readonly count: number;
  /** Run the determinism self-check on every k-th seed (1: all, default; 0: none). */
  readonly determinismEvery?: number;
  readonly plantedBugs?: readonly PlantedBugName[];
  /** Stop after this many failing seeds (default: never stop early). */
  readonly failuresMax?: number;
  /** Called after each seed (progress). */
  readonly onSeed?: (seed: string, report: CaseReport) => void;
};

export type SweepResult = {
  readonly seeds: number;
  readonly failures: readonly CaseReport[];
  /** Simulated events over every run of every seed. */
  readonly events: number;
  /** Fault-schedule entries applied over the faulty runs. */
  readonly faultsApplied: number;
  /** Seeds whose drawn schedule had faults. */
  readonly seedsWithFaults: number;
  readonly coverage: Readonly<Record<CoverageMarkName, number>>;
  readonly neverFired: readonly CoverageMarkName[];
};

export function voprSweep(options: SweepOptions): SweepResult {
  const from = options.from ?? 0;
  const every = options.determinismEvery ?? 1;
  const failures: CaseReport[] = [];
  let events = 0;
  let faultsApplied = 0;
  let seedsWithFaults = 0;
  let seeds = 0;
  coverageReset();
  for (let index = 0; index < options.count; index++) {
    const seed = `${from + index}`;
    const report = voprCheckSeed(seed, {
      determinism: every > 0 && index % every === 0,
      ...(options.plantedBugs === undefined ? {} : { plantedBugs: options.plantedBugs }),
    });
    seeds++;
    events += report.events;
    faultsApplied += report.faulty.faultsApplied;
    if (faultCount(report.case.schedule) > 0) seedsWithFaults++;
    if (report.violations.length > 0) failures.push(report);
    options.onSeed?.(seed, report);
    if (options.failuresMax !== undefined && failures.length >= options.failuresMax) break;
  }
  const coverage = coverageCounts();
  return { seeds, failures, events, faultsApplied, seedsWithFaults, coverage, neverFired: coverageNeverFired(coverage) };
}
