// Swarm options: one seed draws a whole test configuration (TigerBeetle VOPR style), so a run of
// many seeds explores topologies, sizes, loads and fault mixes nobody wrote down by hand.
//
// What is drawn, each from its own forked stream (changing one draw never shifts another):
// - topology: 1–3 zones, 2–24 hosts (at least one per zone), assigned to zones round robin;
// - DARQ count (1 to 2 per host) and automata count (log-uniform 1–10,000);
// - workload: messages per second (log-uniform 1–20,000), message size (log-uniform 64 B–16 KiB)
//   and compute per step (log-uniform 10 µs–10 ms);
// - faults: one of three modes. "none" (a quarter of seeds: the fault-free baseline must work),
//   "single" (a quarter: one kind at a very high rate, 60–600 per hour, to hammer one recovery
//   path) and "mixed" (half: each kind present with probability 1/2 at 0.1–30 per hour), plus
//   the link fault strengths (loss and duplication 1–50%, reorder jitter 100 µs–50 ms).
// Spot preemption is drawn only when the topology has spot hosts (a quarter of hosts, rounded
// down, are spot in half of the seeds).

import type { Random } from "../engine/io/random.ts";
import { pick } from "./distributions.ts";
import { faultRateKinds, type FaultRateKind, type FaultRates } from "./faults/fault-model.ts";

export type SwarmFaultMode = "none" | "single" | "mixed";

export type SwarmOptions = {
  readonly zones: readonly string[];
  readonly hosts: readonly { readonly hostId: string; readonly zone: string; readonly spot: boolean }[];
  readonly darqs: number;
  readonly automata: number;
  readonly workload: { readonly messagesPerSecond: number; readonly messageBytesMean: number; readonly workCoreUsMean: number };
  readonly faultMode: SwarmFaultMode;
  /** Faults per simulated hour per kind (see sim/faults/fault-model.ts). */
  readonly faultRates: FaultRates;
  readonly lossRate: number;
  readonly duplicateRate: number;
  readonly reorderJitterUs: number;
};

/** Uniform in log space between `min` and `max`. */
function logUniform(random: Random, min: number, max: number): number {
  return Math.exp(Math.log(min) + random.float() * (Math.log(max) - Math.log(min)));
}

/** Draws a swarm configuration from `random` (e.g. `new RandomSim(seed).fork("swarm")`). */
export function swarmOptions(random: Random): SwarmOptions {
  const topology = random.fork("topology");
  const zoneCount = topology.intRange(1, 3);
  const hostCount = topology.intRange(Math.max(2, zoneCount), 24);
  const spotShare = topology.chance(0.5) ? 0.25 : 0;
  const spotCount = Math.floor(hostCount * spotShare);
  const zones = Array.from({ length: zoneCount }, (_, i) => `zone-${i + 1}`);
  // Spot hosts are the last ones, so the first of each zone is always a regular VM.
  const hosts = Array.from({ length: hostCount }, (_, i) => ({ hostId: `host-${i}`, zone: zones[i % zoneCount]!, spot: i >= hostCount - spotCount }));

  const sizes = random.fork("sizes");
  const darqs = sizes.intRange(1, 2 * hostCount);
  const automata = Math.round(logUniform(sizes, 1, 10_000));

  const load = random.fork("workload");
  const workload = {
    messagesPerSecond: Math.round(logUniform(load, 1, 20_000)),
    messageBytesMean: Math.round(logUniform(load, 64, 16_384)),
    workCoreUsMean: Math.round(logUniform(load, 10, 10_000)),
  };

  const faults = random.fork("faults");
  const kinds = faultRateKinds.filter((kind) => kind !== "spotPreempt" || spotCount > 0);
  const faultMode = pick(faults, ["none", "single", "mixed", "mixed"] as const);
  const faultRates: Partial<Record<FaultRateKind, number>> = {};
  if (faultMode === "single") {
    faultRates[pick(faults, kinds)] = logUniform(faults, 60, 600);
  } else if (faultMode === "mixed") {
    for (const kind of kinds) if (faults.chance(0.5)) faultRates[kind] = logUniform(faults, 0.1, 30);
  }
  const strength = random.fork("fault strength");
  return Object.freeze({
    zones: Object.freeze(zones),
    hosts: Object.freeze(hosts.map((host) => Object.freeze(host))),
    darqs,
    automata,
    workload: Object.freeze(workload),
    faultMode,
    faultRates: Object.freeze(faultRates),
    lossRate: logUniform(strength, 0.01, 0.5),
    duplicateRate: logUniform(strength, 0.01, 0.5),
    reorderJitterUs: Math.round(logUniform(strength, 100, 50_000)),
  });
}
