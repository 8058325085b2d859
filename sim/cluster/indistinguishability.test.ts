// Indistinguishability (runtime issue acceptance): for randomised clusters, workloads and crash
// schedules, the externally visible outputs equal those of the fault-free run of the same seed —
// every output exactly once (the sink's record compared as a multiset, so a duplicate or a loss
// shows) — and the final committed states are equal. The faulty run crashes and restarts DARQ
// nodes (their devices lose unflushed tails), compute nodes and the metadata worker, and may run on
// a network that loses, duplicates and reorders; afterwards the cluster audit must find nothing
// leaked or doubled. See swarm.ts for the generator and swarm-workload.ts for why the workload's
// outputs cannot depend on timing.
//
//   SSMS_SEEDS=5000 npx ava sim/cluster/indistinguishability.test.ts   more seeds
//   SSMS_SEED=1234 npx ava sim/cluster/indistinguishability.test.ts    replay one seed

import test from "ava";
import { swarmCase, swarmRun } from "./swarm.ts";
import { multisetMinus } from "../vopr/ledger.ts";

const seedsDefault = 500;
const only = process.env["SSMS_SEED"];
const count = Number(process.env["SSMS_SEEDS"] ?? seedsDefault);
const seeds = only !== undefined ? [only] : Array.from({ length: count }, (_, index) => `${index}`);

test(`faulty runs are indistinguishable from fault-free runs (${seeds.length} seeds)`, (t) => {
  const failures: string[] = [];
  let outputs = 0;
  let events = 0;
  for (const seed of seeds) {
    const swarm = swarmCase(seed);
    const clean = swarmRun(swarm, false);
    const faulty = swarmRun(swarm, true);
    outputs += faulty.outputs.length;
    events += clean.events + faulty.events;
    const problems = [
      ...clean.problems.map((problem) => `fault-free run: ${problem}`),
      ...faulty.problems.map((problem) => `faulty run: ${problem}`),
    ];
    if (JSON.stringify(clean.outputs) !== JSON.stringify(faulty.outputs)) {
      problems.push(`sink outputs differ: fault-free ${clean.outputs.length}, faulty ${faulty.outputs.length}: ` +
        `missing ${shown(multisetMinus(clean.outputs, faulty.outputs))}, extra ${shown(multisetMinus(faulty.outputs, clean.outputs))}`);
    }
    if (JSON.stringify(clean.states) !== JSON.stringify(faulty.states)) {
      const differing = Object.keys({ ...clean.states, ...faulty.states }).filter((id) =>
        JSON.stringify(clean.states[id]) !== JSON.stringify(faulty.states[id]));
      problems.push(`final states differ for ${differing.slice(0, 5).map((id) =>
        `${id}: ${JSON.stringify(clean.states[id])} vs ${JSON.stringify(faulty.states[id])}`).join(", ")}`);
    }
    if (clean.outputs.length === 0) problems.push("the fault-free run produced no output: the workload did not run");
    if (problems.length > 0) {
      failures.push(`seed ${seed} (replay: SSMS_SEED=${seed} npx ava sim/cluster/indistinguishability.test.ts): ${problems.join("; ")}`);
    }
  }
  t.log(`${seeds.length} seeds, ${outputs} outputs compared, ${events} simulated events`);
  t.deepEqual(failures, []);
});

function shown(items: readonly string[]): string {
  return items.length <= 10 ? JSON.stringify(items) : `${JSON.stringify(items.slice(0, 10))} and ${items.length - 10} more`;
}

