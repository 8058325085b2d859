// Swarm cases for the indistinguishability test (STYLE 13, after TigerBeetle's VOPR): from one seed,
// a random small cluster (1–3 DARQ nodes on random tiers, 1–3 compute nodes of random kinds, some
// spot VMs, one or two zones, a random placement policy), a random hop-counter workload
// (swarm-workload.ts) injected by a client, and a random fault schedule (sim/faults: crashes with
// lost or torn tails, restarts, pauses, spot preemptions, network partitions, lossy links) plus
// restarts of the metadata worker. `swarmRun` runs a case with or without its faults; a correct
// runtime gives both runs the same sink outputs (multiset, exactly once) and final states, and
// leaves nothing leaked or doubled (the cluster audit).

import type { Random } from "../../engine/io/random.ts";
import type { Fault } from "../faults/fault.ts";
import { FaultInjector } from "../faults/injector.ts";
import { RandomSim } from "../random-sim.ts";
import { clusterAudit } from "./cluster-audit.ts";
import type { SimClusterConfig } from "./cluster-config.ts";
import { ClusterFaultTarget } from "./cluster-faults.ts";
import { SimCluster } from "./sim-cluster.ts";
import { hopDefinition, reportKey, type HopMessage } from "./swarm-workload.ts";

export type SwarmInjection = { readonly atUs: number; readonly to: number; readonly tag: string; readonly hops: number };

export type SwarmCase = {
  readonly seed: string;
  readonly config: SimClusterConfig;
  /** Network faults of the faulty run (the fault-free run has none). */
  readonly network: NonNullable<SimClusterConfig["network"]>;
  readonly counters: number;
  readonly injections: readonly SwarmInjection[];
  /** The faulty run's fault schedule, in time order. */
  readonly faults: readonly Fault[];
  /** When the faulty run restarts the metadata worker (not a cloud fault: a software crash). */
  readonly workerRestartsUs: readonly number[];
  /** Virtual time the run lasts: long enough after the last fault for every chain to finish. */
  readonly endUs: number;
};

export type SwarmOutcome = {
  readonly outputs: readonly string[];
  readonly states: Readonly<Record<string, unknown>>;
  readonly events: number;
  /** Things that must hold at the end of any run (metadata idle, nothing unsent, a clean audit). */
  readonly problems: readonly string[];
};

const tiers = ["hot-replicated", "ssd", "blob"] as const;
const sizes = { "azure-2024": ["D2s_v3", "D4s_v3", "F2s_v2"], "aws-2024": ["m5.large", "m5.xlarge", "c5.large"] } as const;
const settleUs = 60_000_000;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[random.int(items.length)]!;
}

export function swarmCase(seed: string): SwarmCase {
  const random = new RandomSim(`swarm/${seed}`);
  const profile = random.chance(0.5) ? "azure-2024" : "aws-2024";
  const zones = random.chance(0.5) ? ["z1"] : ["z1", "z2"];
  const darqNodes = Array.from({ length: random.intRange(1, 3) }, (_, index) => ({
    name: `d${index + 1}`, tier: pick(random, tiers), zone: pick(random, zones),
  }));
  const computeNodes: SimClusterConfig["computeNodes"] = Array.from({ length: random.intRange(1, 3) }, (_, index) => {
    const name = `c${index + 1}`;
    const roll = random.float();
    if (roll < 0.4) return { name, kind: "vm", size: pick(random, sizes[profile]), zone: pick(random, zones), spot: random.chance(0.3) };
    if (roll < 0.85) return { name, kind: "darq-spare", darqNode: pick(random, darqNodes).name, cores: random.intRange(1, 2) };
    return { name, kind: "serverless", zone: pick(random, zones) };
  });
  const counters = random.intRange(3, 8);
  const injections = Array.from({ length: random.intRange(3, 12) }, (_, index) => ({
    atUs: random.int(400_000), to: random.int(counters), tag: `t${index}`, hops: random.intRange(2, 12),
  }));
  const network = random.chance(0.3)
    ? { lossRate: random.float() * 0.05, duplicateRate: random.float() * 0.05, reorderJitterUs: random.int(2_000) }
    : {};
  const faults = faultsDraw(random, darqNodes.map((node) => node.name), computeNodes);
  const workerRestartsUs = Array.from({ length: random.intRange(0, 2) }, () => random.int(800_000)).sort((a, b) => a - b);
  const config: SimClusterConfig = {
    seed, profile, darqNodes, computeNodes, placement: { policy: random.chance(0.5) ? "round-robin" : "hash" },
    failureDetectUs: random.intRange(20_000, 200_000), eventsMax: 5_000_000,
  };
  const lastFaultUs = faults.reduce((last, fault) => Math.max(last, fault.timeUs), 400_000);
  return { seed, config, network, counters, injections, faults, workerRestartsUs, endUs: lastFaultUs + settleUs };
}

/** 1–8 fault episodes, each a fault and the fault that ends it (restart, resume, heal). */
function faultsDraw(random: Random, darqs: readonly string[], computes: SimClusterConfig["computeNodes"]): Fault[] {
  const faults: Fault[] = [];
  const add = (timeUs: number, fault: Fault["fault"], targets: string[], params: Record<string, unknown> = {}): void => {
    faults.push({ timeUs, fault, targets, params } as unknown as Fault);
  };
  const vms = computes.filter((node) => node.kind !== "darq-spare").map((node) => node.name);
  const spots = computes.filter((node) => node.spot === true).map((node) => node.name);
  const all = [...darqs, ...computes.map((node) => node.name)];
  for (let episode = random.intRange(1, 8); episode > 0; episode--) {
    const atUs = random.int(800_000);
    const endUs = atUs + random.intRange(5_000, 400_000);
    const roll = random.float();
    if (roll < 0.35) {
      const node = pick(random, darqs);
      add(atUs, random.chance(0.3) ? "diskTornWrite" : "crash", [node]);
      add(endUs, "restart", [node]);
    } else if (roll < 0.55 && vms.length > 0) {
      const node = pick(random, vms);
      add(atUs, "crash", [node]);
      add(endUs, "restart", [node]);
    } else if (roll < 0.7) {
      const node = pick(random, all);
      add(atUs, "pause", [node]);
      add(endUs, "resume", [node]);
    } else if (roll < 0.8 && spots.length > 0) {
      const node = pick(random, spots);
      add(atUs, "spotPreempt", [node]);
      add(atUs + 31_000_000, "restart", [node]); // after the 30 s eviction notice has run out
    } else if (darqs.length + vms.length > 1) {
      const hosts = [...darqs, ...vms];
      const cut = pick(random, hosts);
      add(atUs, "networkPartition", [...hosts], { groups: [[cut], hosts.filter((host) => host !== cut)], asymmetric: random.chance(0.3) });
      add(endUs, "heal", []);
    }
  }
  return faults.sort((a, b) => a.timeUs - b.timeUs);
}

/** Runs a case, with its faults or without; `onCluster` may inspect the cluster at the end. */
export function swarmRun(swarm: SwarmCase, withFaults: boolean, onCluster?: (cluster: SimCluster) => void): SwarmOutcome {
  const hop = hopDefinition(swarm.counters);
  const cluster = new SimCluster(withFaults ? { ...swarm.config, network: swarm.network } : swarm.config, [hop]);
  const client = cluster.client("swarm");
  const clock = cluster.sim.clock;
  for (const injection of swarm.injections) {
    clock.timerStart(injection.atUs, () => {
      const message: HopMessage = { type: "hop", tag: injection.tag, hops: injection.hops, amount: 1 };
      client.send(hop.ref(`${injection.to}`), message);
    });
  }
  if (withFaults) {
    new FaultInjector({ clock, target: new ClusterFaultTarget(cluster) }).schedule(swarm.faults);
    for (const atUs of swarm.workerRestartsUs) clock.timerStart(atUs, () => cluster.restartMetadataWorker());
  }
  cluster.runFor(swarm.endUs);
  onCluster?.(cluster);
  let audit: string[] | null = null;
  clusterAudit(cluster, (found) => {
    audit = found;
  });
  cluster.runFor(100_000);
  const states: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const id of cluster.automatonIds()) {
    const state = cluster.committedState(id);
    if (state.ok) states[id] = state.value;
    else problems.push(`state of ${id}: ${state.reason}`);
  }
  if (!cluster.metadataIdle()) problems.push("metadata workflow not idle at the end");
  if (client.pending.sends !== 0) problems.push(`${client.pending.sends} client messages never acknowledged`);
  problems.push(...(audit ?? ["the audit did not finish"]));
  return {
    outputs: cluster.sink.outputs.map((output) => reportKey(output.message)).sort(),
    states, events: cluster.sim.eventsProcessed, problems,
  };
}
