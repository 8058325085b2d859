// The runtime's own CPU per step (profile compute.runtimeStepCoreUs) is charged on the step's core
// beside the automaton's work, so it lengthens each step and queues the next one; a profile that
// does not state it charges the work alone.

import test from "ava";
import { UsageLedger } from "../ledger.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import type { CloudProfile } from "../profiles/schema.ts";
import { Simulator } from "../simulator.ts";
import { computeModelFor } from "./compute-models.ts";

const azure = loadCloudProfile("azure-2024");

function withRuntimeCost(profile: CloudProfile, runtimeStepCoreUs: number): CloudProfile {
  return { ...profile, compute: { ...profile.compute, runtimeStepCoreUs } };
}

/** Completion times of `steps` jobs of `workCoreUs` submitted at once to one spare core. */
function completions(profile: CloudProfile, workCoreUs: number, steps: number): number[] {
  const sim = new Simulator({ seed: "compute-models" });
  const model = computeModelFor({
    clock: sim.clock, random: sim.random.fork("compute"), profile, ledger: new UsageLedger({ clock: sim.clock }),
    node: { name: "spare", kind: "darq-spare", darqNode: "darq", cores: 1 },
  });
  const done: number[] = [];
  for (let index = 0; index < steps; index++) model.work(workCoreUs, () => done.push(sim.nowUs()));
  sim.run();
  return done;
}

test("a profile without runtimeStepCoreUs charges the automaton's work alone", (t) => {
  t.is(azure.compute.runtimeStepCoreUs, undefined);
  const speed = azure.compute.families[azure.compute.baselineFamily]!.speedFactor;
  t.deepEqual(completions(azure, 300, 3), [1, 2, 3].map((k) => k * Math.ceil(300 / speed)));
});

test("runtimeStepCoreUs lengthens every step on its core and queues the next behind it", (t) => {
  const profile = withRuntimeCost(azure, 120);
  const speed = profile.compute.families[profile.compute.baselineFamily]!.speedFactor;
  const perStep = Math.ceil((300 + 120) / speed);
  t.deepEqual(completions(profile, 300, 3), [perStep, 2 * perStep, 3 * perStep]);
});
