// The bounded VOPR sweep that runs with every `npm test`: 200 seeds, each a random cluster,
// workload and schedule of faults (crashes with lost or torn tails, pauses, spot preemption,
// partitions, lossy, duplicating and reordering links) and operator actions (deactivations,
// metadata worker crashes, false failure suspicions), run fault-free and faulty, checked against
// the ledger, the oracle and the cluster audit, and run twice for determinism. It proves that no
// seed of the range violates an invariant, and that the sweep reached the rare paths it exists to
// exercise: every coverage mark fires except the documented ones.
//
//   SSMS_VOPR_SEEDS=2000 npx ava sim/vopr/vopr.test.ts      a longer sweep
//   npx ssms vopr --seeds 10000 --seed 20000                  the command, with shrinking

import test from "ava";
import { coverageMarkNames, type CoverageMarkName } from "../../engine/io/coverage.ts";
import { violationLines } from "./invariants.ts";
import { voprSweep } from "./sweep.ts";

const seeds = Number(process.env["SSMS_VOPR_SEEDS"] ?? 200);

/**
 * Marks no cluster run can reach, and why. The DARQ's own incarnation check refuses a stale step
 * only if one reaches it, but in the cluster every remote step passes the processor service,
 * which refuses a fenced session first (darq.fencing.staleSessionStepRefused), and a co-located
 * processor is told it was fenced before it can submit. The DARQ-level check is exercised by the
 * engine's own tests (engine/darq/physical-darq.test.ts, crash-sim.test.ts).
 */
const unreachableInCluster: readonly CoverageMarkName[] = ["darq.fencing.staleStepRefused"];

test(`VOPR: ${seeds} seeds hold every invariant, are deterministic, and reach the rare paths`, (t) => {
  const result = voprSweep({ count: seeds });
  const failures = result.failures.map((report) =>
    `seed ${report.case.seed} (replay: npx ssms vopr --seed ${report.case.seed}): ${violationLines(report.violations).join("; ")}`);
  t.log(`${result.seeds} seeds, ${result.seedsWithFaults} with faults, ${result.faultsApplied} faults applied, ${result.events} events`);
  t.log(`coverage: ${JSON.stringify(result.coverage)}`);
  t.deepEqual(failures, []);
  t.is(result.seeds, seeds);
  t.true(result.seedsWithFaults >= seeds / 2, "at least half the seeds drew faults");
  t.deepEqual(result.neverFired.filter((name) => !unreachableInCluster.includes(name)), [], "coverage marks that never fired");
  t.true(unreachableInCluster.every((name) => coverageMarkNames.includes(name)));
});
