// Acceptance test of live mode: three node processes run the pi chain and the travel saga while
// the chaos controller SIGKILLs one of them every few seconds (and restarts it a second later).
// Then the faults stop, the cluster must converge, and the end-to-end ledger must show every
// pi job completed exactly once and every trip settled exactly once (zero lost, zero duplicated
// effects), with the saga's invariant holding over the committed states read back from the
// cluster. Waits are conditions with generous deadlines, never wall-time assertions, so a
// loaded two-core machine makes the test slower, not flaky.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import { piTaskKeyParse } from "../../workloads/pi-chain/pi-chain.ts";
import { sagaInvariantProblems } from "../../workloads/travel-saga/saga-invariant.ts";
import { serviceIdsOf, tripType, type ServiceState, type TripState } from "../../workloads/travel-saga/saga-types.ts";
import { workloadDriversOf } from "../cluster/cluster-model.ts";
import { clusterDirForTest } from "../cluster/cluster-dir.fixtures.ts";
import { clusterUp } from "../cluster/launcher.ts";
import { LiveDriver } from "../cluster/live-driver.ts";
import { sleepMs } from "../cluster/node-process.ts";
import { WorkloadRunner } from "../cluster/workload-runner.ts";
import { ChaosController, killSchedule } from "./chaos-controller.ts";
import { ledgerCheck, ledgerExact } from "./effect-ledger.ts";

const loadUs = 24_000_000;
const sagaShards = 8;
const sagaServices = 3;

async function waitUntil(condition: () => boolean, deadlineMs: number): Promise<boolean> {
  const endMs = Date.now() + deadlineMs;
  while (Date.now() < endMs) {
    if (condition()) return true;
    await sleepMs(100);
  }
  return condition();
}

test("SIGKILL every few seconds: pi chain and travel saga show zero lost and zero duplicated effects", async (t) => {
  t.timeout(240_000);
  const dir = clusterDirForTest(t, "sigkill");
  const handle = await clusterUp(dir, {
    darqNodes: 3, seed: "sigkill", ownedByThisProcess: true,
    workloads: [
      // One job per chain (64 chains, ~1.5 jobs/s): each chain's sink output is one job's effect.
      { workload: { kind: "pi-chain", chainCount: 64, computeScale: 10, chainHops: 60, arrival: { kind: "constant" } }, tuning: { "pi-chain": { jobsPerS: 1.5 } } },
      { workload: { kind: "travel-saga", arrivalsPerS: 6, services: sagaServices, failureChance: 0.3, arrival: { kind: "constant" } }, tuning: { "travel-saga": { shards: sagaShards } } },
    ],
  });
  const driver = await LiveDriver.start(handle);
  t.teardown(() => driver.close());
  const runner = new WorkloadRunner(driver, workloadDriversOf(handle.spec), "sigkill");
  const random = new RandomNode("sigkill-schedule");
  const chaos = new ChaosController(handle);
  const schedule = killSchedule(["n1", "n2", "n3"], { periodUs: 4_000_000, downUs: 1_000_000, durationUs: loadUs + 2_000_000, random: () => random.float() });

  runner.start(loadUs);
  const applied = await chaos.run(schedule);
  runner.stopArrivals();
  const crashes = applied.filter((fault) => fault.fault.fault === "crash").length;
  t.true(crashes >= 4, `the chaos controller killed ${crashes} nodes`);

  // Convergence: every arrival durable, every job and trip reported at the sink.
  const arrivals = runner.arrivals();
  const tripsStarted = arrivals.get("bookings") ?? 0;
  const jobsStarted = arrivals.get("pi-jobs") ?? 0;
  const outputs = driver.sink.outputs;
  const converged = await waitUntil(() => runner.durable + runner.failed === runner.injected && outputs.length >= tripsStarted + jobsStarted, 120_000);
  t.true(converged, `converged: ${runner.durable} of ${runner.injected} arrivals durable, ${outputs.length} of ${tripsStarted + jobsStarted} outcomes at the sink`);
  t.is(runner.failed, 0, "no arrival failed to enqueue");
  await sleepMs(1_500); // late duplicates, if any, would arrive now

  // Trip k's outcome comes from trip/k; job k runs alone on chain k - 1 (64 chains > jobs).
  const effects = outputs.map((output) => ({ from: output.from, message: output.message }));
  const tripKeys = Array.from({ length: tripsStarted }, (_, index) => `${tripType}/${index + 1}`);
  const sagaLedger = ledgerCheck(effects, tripKeys, (effect) => (effect.from.startsWith(`${tripType}/`) ? effect.from : undefined));
  const piKeys = Array.from({ length: jobsStarted }, (_, index) => `chain-${index}`);
  const piLedger = ledgerCheck(effects, piKeys, (effect) => {
    const parsed = effect.from.startsWith("pi/") ? piTaskKeyParse(effect.from.slice(3)) : undefined;
    return parsed === undefined ? undefined : `chain-${parsed.chain}`;
  });
  t.log(`crashes ${crashes}; trips ${tripsStarted}, pi jobs ${jobsStarted}; sink deliveries ${driver.sink.deliveries} for ${outputs.length} effects`);
  t.true(tripsStarted > 50 && jobsStarted > 20 && jobsStarted < 64, "the run started enough work to mean something, one job per chain");
  t.true(ledgerExact(sagaLedger), `saga ledger: ${JSON.stringify(sagaLedger)}`);
  t.true(ledgerExact(piLedger), `pi ledger: ${JSON.stringify(piLedger)}`);

  // The saga's invariant over the committed states read back from the cluster.
  const [saga] = workloadDriversOf(handle.spec).filter((workload) => workload.kind === "travel-saga");
  const definitionOf = (type: string) => saga!.definitions.find((definition) => definition.type === type)!;
  const trips = new Map<AutomatonId, TripState>();
  for (const key of tripKeys) {
    const state = await driver.readState(definitionOf(tripType), key.slice(tripType.length + 1));
    t.true(state.ok, `state of ${key}`);
    if (state.ok) trips.set(key as AutomatonId, state.value as TripState);
  }
  const services = new Map<AutomatonId, ServiceState>();
  for (let shard = 0; shard < sagaShards; shard++) {
    for (const id of serviceIdsOf(sagaServices, shard)) {
      const [type, key] = id.split("/") as [string, string];
      const state = await driver.readState(definitionOf(type), key);
      t.true(state.ok, `state of ${id}`);
      if (state.ok) services.set(id, state.value as ServiceState);
    }
  }
  t.deepEqual(sagaInvariantProblems({ services: sagaServices, trips, serviceStates: services }), []);
});
