// A VOPR case: everything one seed decides (swarm testing, STYLE 13). The cluster — DARQ nodes on
// random tiers, compute nodes of random kinds, zones, placement policy, failure-detection delay —
// and the hop-counter workload's width come from the cluster swarm (sim/cluster/swarm.ts), so the
// VOPR and the indistinguishability test explore the same deployments. On top of that the seed
// draws, each from its own forked stream:
//
// - the fault window (0.3–3 s of virtual time) and client injections spread over it;
// - a fault mode, as sim/swarm.ts does: "none" (a quarter of seeds), "single" (one kind, many
//   episodes) or "mixed" (each kind with probability ½). Kinds: crash of any node, torn write
//   (a DARQ node crashing with a garbled unflushed tail), pause, network partition (symmetric or
//   not, the world host with the clients and sink included), link loss, duplication and
//   reordering, and spot preemption of the compute VMs the cluster swarm made spot. Counts become
//   rates for the seeded fault model (sim/faults/fault-model.ts), which turns them into episodes
//   that end (crash → restart, partition → heal, loss → loss 0). Lost writes come with every
//   crash: the device drops or keeps part of its unflushed tail as its tier's model says.
//   One more kind is drawn the same way: "unacknowledged crashes" around client sends
//   (vopr-unacked.ts), a DARQ node's replies cut off, then its crash and restart, so the clients'
//   retries arrive as duplicates of messages accepted before the crash.
// - operator actions that run the metadata workflows under the faults: deactivating an automaton
//   (it must wake again on its next message), crashing the metadata worker, and a false suspicion
//   (the failure detector reports a live compute node down, so the workflow recovers its automata
//   elsewhere while the old processors still run: fencing must refuse their steps).
//
// - the optimizer's moves (vopr-moves.ts): in 40% of the seeds, 2–12 migrations of a logical DARQ,
//   processor moves, standbys and failovers, at random times on random automata and nodes.
//
// Recoveries also come from the metadata workflow (after a crash, a preemption or a false
// suspicion); with a standby in place they are failovers.
//
// The safety phase lasts until the last episode has ended (a spot eviction takes the profile's
// notice, 30 s or 120 s, then a replacement time, so such seeds have a long, mostly idle safety
// phase; idle virtual time costs no events). The schedule is data (faults in the sim/faults
// vocabulary plus actions), so shrinking can drop entries and a file can replay it.

import type { Random } from "../../engine/io/random.ts";
import { swarmCase, type SwarmInjection } from "../cluster/swarm.ts";
import type { SimClusterConfig } from "../cluster/cluster-config.ts";
import { worldHost } from "../cluster/cluster-nodes.ts";
import { pick } from "../distributions.ts";
import type { Fault } from "../faults/fault.ts";
import { faultSchedule, type FaultRateKind, type FaultRates } from "../faults/fault-model.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import { RandomSim } from "../random-sim.ts";
import { movesDraw, type VoprMove } from "./vopr-moves.ts";
import { unackedCrashesDraw } from "./vopr-unacked.ts";

/** An operator action on the schedule (not a fault: the oracle run skips it too). */
export type VoprAction =
  | { readonly timeUs: number; readonly action: "deactivate"; readonly target: string }
  | { readonly timeUs: number; readonly action: "metadataWorkerRestart" }
  /** The failure detector wrongly reports a live compute node down, and up again `durationUs` later. */
  | { readonly timeUs: number; readonly action: "suspect"; readonly target: string; readonly durationUs: number }
  /** An optimizer's move: migrate, moveCompute, addStandby or failover (vopr-moves.ts). */
  | VoprMove;

/** One schedule entry: a fault (sim/faults vocabulary) or an operator action. */
export type VoprEntry = Fault | VoprAction;

export type VoprFaultMode = "none" | "single" | "mixed";

export type VoprCase = {
  readonly seed: string;
  readonly config: SimClusterConfig;
  /** Hop counters hop/0 … hop/<counters-1>. */
  readonly counters: number;
  readonly injections: readonly SwarmInjection[];
  /** Faults and actions happen in [0, safetyUs); then everything heals. */
  readonly safetyUs: number;
  /** After the heal, the run must go quiet (no event pending) within this much virtual time. */
  readonly livenessUsMax: number;
  readonly faultMode: VoprFaultMode;
  /** The rates the schedule was drawn with (faults per simulated hour); informative once drawn. */
  readonly faultRates: FaultRates;
  readonly schedule: readonly VoprEntry[];
};

const hourUs = 3_600_000_000;
export const livenessUsMaxDefault = 60_000_000;

export function isAction(entry: VoprEntry): entry is VoprAction {
  return "action" in entry;
}

function logUniform(random: Random, min: number, max: number): number {
  return Math.exp(Math.log(min) + random.float() * (Math.log(max) - Math.log(min)));
}

/** Draws the whole case of `seed`. */
export function voprCase(seed: string): VoprCase {
  const swarm = swarmCase(seed);
  const root = new RandomSim(`vopr/${seed}`);
  const config: SimClusterConfig = { ...swarm.config, eventsMax: 2_000_000 };
  const workload = root.fork("workload");
  const windowUs = workload.intRange(300_000, 3_000_000);
  const injections = Array.from({ length: workload.intRange(3, 12) }, (_, index) => ({
    atUs: workload.int(windowUs), to: workload.int(swarm.counters), tag: `t${index}`, hops: workload.intRange(2, 12),
  })).sort((a, b) => a.atUs - b.atUs);
  const spotNodes = config.computeNodes.filter((node) => node.spot === true).map((node) => node.name);
  const { mode, rates, unackedCrashes } = ratesDraw(root.fork("fault rates"), windowUs, spotNodes.length > 0);
  const faults = [...faultsDraw(root.fork("faults"), config, rates, windowUs, spotNodes),
    ...unackedCrashesDraw(root.fork("unacked crashes"), unackedCrashes,
      config.darqNodes.map((node) => node.name), injections)].sort((a, b) => a.timeUs - b.timeUs);
  const computes = config.computeNodes.filter((node) => node.kind !== "darq-spare").map((node) => node.name);
  const moves = movesDraw(root.fork("moves"), windowUs, swarm.counters, config.darqNodes.map((node) => node.name),
    config.computeNodes.map((node) => node.name));
  const actions = [...actionsDraw(root.fork("actions"), windowUs, swarm.counters, computes), ...moves];
  // Stable: at one instant, faults stay before actions and keep their drawn order.
  const schedule = [...faults, ...actions].sort((a, b) => a.timeUs - b.timeUs);
  const lastUs = schedule.reduce((last, entry) => Math.max(last, entry.timeUs + ("durationUs" in entry ? entry.durationUs : 0)), 0);
  return {
    seed, config, counters: swarm.counters, injections, safetyUs: Math.max(windowUs, lastUs + 1),
    livenessUsMax: livenessUsMaxDefault, faultMode: mode, faultRates: rates, schedule,
  };
}

type RatesDrawn = { mode: VoprFaultMode; rates: FaultRates; unackedCrashes: number };

/**
 * The fault mode, the rates of the fault model's kinds, and how many unacknowledged crashes
 * (vopr-unacked.ts): a kind of its own, drawn like the others — the one kind of a single mode
 * (3–6 episodes), or with probability ½ in a mixed mode (1–3 episodes).
 */
function ratesDraw(random: Random, safetyUs: number, spot: boolean): RatesDrawn {
  const kinds: (FaultRateKind | "unackedCrash")[] =
    ["crash", "diskTornWrite", "pause", "networkPartition", "linkLoss", "linkDuplicate", "linkReorder"];
  if (spot) kinds.push("spotPreempt");
  kinds.push("unackedCrash");
  const mode = pick(random, ["none", "single", "mixed", "mixed"] as const);
  const perHour = (episodes: number): number => (episodes * hourUs) / safetyUs;
  const rates: Partial<Record<FaultRateKind, number>> = {};
  let unackedCrashes = 0;
  if (mode === "single") {
    const kind = pick(random, kinds);
    if (kind === "unackedCrash") unackedCrashes = random.intRange(3, 6);
    else rates[kind] = perHour(random.intRange(3, 10));
  }
  if (mode === "mixed") {
    for (const kind of kinds) {
      if (!random.chance(0.5)) continue;
      if (kind === "unackedCrash") unackedCrashes = random.intRange(1, 3);
      else rates[kind] = perHour(0.5 + random.float() * 3);
    }
  }
  return { mode, rates, unackedCrashes };
}

function faultsDraw(random: Random, config: SimClusterConfig, rates: FaultRates, windowUs: number, spotNodes: readonly string[]): Fault[] {
  const darqs = config.darqNodes.map((node) => node.name);
  const computes = config.computeNodes.filter((node) => node.kind !== "darq-spare").map((node) => node.name);
  const hosts = [worldHost, ...darqs, ...computes];
  const strength = random.fork("strength");
  const common = {
    durationUs: windowUs, hosts,
    downtimeUsMean: Math.round(logUniform(strength, 10_000, 500_000)),
    pauseUsMean: Math.round(logUniform(strength, 10_000, 500_000)),
    partitionUsMean: Math.round(logUniform(strength, 20_000, 1_000_000)),
    linkFaultUsMean: Math.round(logUniform(strength, 20_000, 1_000_000)),
    lossRate: logUniform(strength, 0.01, 0.5),
    duplicateRate: logUniform(strength, 0.01, 0.5),
    reorderJitterUs: Math.round(logUniform(strength, 100, 20_000)),
    evictionNoticeUs: loadCloudProfile(config.profile).compute.spot.evictionNoticeUs,
    spotReplaceUsMean: Math.round(logUniform(strength, 50_000, 1_000_000)),
  };
  const { diskTornWrite, ...others } = rates;
  const main = faultSchedule(random.fork("main"), { ...common, rates: others, nodes: [...darqs, ...computes], spotNodes });
  const torn = diskTornWrite === undefined ? []
    : faultSchedule(random.fork("torn"), { ...common, rates: { diskTornWrite }, nodes: darqs });
  return [...main, ...torn].sort((a, b) => a.timeUs - b.timeUs);
}

function actionsDraw(random: Random, safetyUs: number, counters: number, computes: readonly string[]): VoprAction[] {
  const actions: VoprAction[] = [];
  if (random.chance(0.5)) {
    const count = random.intRange(1, 3);
    for (let index = 0; index < count; index++) {
      actions.push({ timeUs: random.int(safetyUs), action: "deactivate", target: `hop/${random.int(counters)}` });
    }
  }
  if (random.chance(0.3)) actions.push({ timeUs: random.int(safetyUs), action: "metadataWorkerRestart" });
  if (computes.length > 0 && random.chance(0.3)) {
    actions.push({ timeUs: random.int(safetyUs), action: "suspect", target: pick(random, computes), durationUs: random.intRange(10_000, 500_000) });
  }
  return actions.sort((a, b) => a.timeUs - b.timeUs);
}

/** How many entries of the schedule are faults (the rest are actions). */
export function faultCount(schedule: readonly VoprEntry[]): number {
  return schedule.filter((entry) => !isAction(entry)).length;
}
