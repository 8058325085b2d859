// How an experiment config's cluster becomes a SimCluster config (the point executor's first
// step): pools of the experiment → named nodes of the simulated deployment.
//
//   cluster.darq[i]     {name, tier, ssdTier?, count} → DARQ nodes `<name>-<k>` on that tier
//                       (ssd with ssdTier: that managed-disk tier of the profile, "premium-p30" or
//                       "premium-ssd-p30"), each on a VM
//                       of the DARQ machine size (below), billed as a VM
//   cluster.compute[i]  vm {size, count, spot?} → `<name>-<k>` VMs; serverless → one function
//                       pool `<name>` (the profile's plan caps its instances); darq-spare {count}
//                       → the spare cores of the first `count` DARQ machines
//   zones               nodes of each pool are spread over the zones round-robin (default one zone)
//
// The DARQ machine size is `placement.params.darqVmSize` if given, else the size of the first vm
// pool (the paper deploys DARQs and compute on the same VM type), else D8s_v3. With colocation
// "darq-and-compute" every DARQ machine gets a spare-cores compute node (all its vCPUs) if no
// darq-spare pool gave it one, since that is where co-located processors run.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Experiment } from "../../experiments/schema.ts";
import { vmSizeKey } from "../profiles/lookup.ts";
import type { CloudProfile } from "../profiles/schema.ts";
import type { ComputeNodeConfig, DarqNodeConfig, SimClusterConfig } from "./cluster-config.ts";

export type Colocation = "none" | "darq" | "darq-and-compute";

/** The nodes the executor built, by role, in config order (placement and faults use them). */
export type ClusterLayout = {
  readonly darqNodes: readonly string[];
  /** Provisioned and serverless compute nodes (not spares). */
  readonly computeNodes: readonly string[];
  /** DARQ node → its spare-cores compute node. */
  readonly spareOf: ReadonlyMap<string, string>;
  readonly serverlessNodes: ReadonlySet<string>;
  readonly spotNodes: readonly string[];
  readonly colocation: Colocation;
  readonly darqVmSize: string;
};

export const darqVmSizeDefault = "D8s_v3";
/**
 * Steps between snapshots of the metadata automaton. Its state holds a record per automaton, so
 * a snapshot costs O(automata); the host's default (every 1,000 steps) would make activating n
 * automata cost O(n²) in snapshots. Recovery replays at most this many SELF records instead.
 */
export const metadataSnapshotEverySteps = 100_000;
/**
 * Log bytes a DARQ keeps before it may checkpoint and reclaim its prefix. The engine's default
 * (64 MiB) suits one real DARQ; a simulation holds every DARQ's log in memory, and with a thousand
 * DARQs that default would keep gigabytes that no crash test needs.
 */
export const darqCompactBytesMin = 256 * 1024;
/**
 * Steps between an automaton's snapshots (the host's default is 1,000). Until a snapshot consumes
 * them, every SELF record stays unconsumed and pins its DARQ's log; an automaton that handles a
 * few hundred messages in a run would never compact, and a hundred thousand of them would keep
 * every event they ever wrote. 32 costs one extra (small, self-only) step per 32.
 */
export const hostSnapshotEverySteps = 32;
/** Run limit of one point (STYLE 6): reaching it is a clear simulationLimit error, never a hang. */
export const pointEventsMax = 1_000_000_000;

function darqVmSizeOf(config: Experiment, profile: CloudProfile): string {
  const param = config.placement.params?.["darqVmSize"];
  const size = typeof param === "string" ? param : config.cluster.compute.find((pool) => pool.kind === "vm")?.size ?? darqVmSizeDefault;
  if (vmSizeKey(profile, size) === undefined) {
    const where = typeof param === "string" ? "/placement/params/darqVmSize" : "/cluster/compute";
    throw new SsmsError(ErrorCode.configInvalid, `${where}: '${size}' is not a VM size of ${profile.name} (${Object.keys(profile.compute.vmSizes).join(", ")})`);
  }
  return size;
}

/** The profile's managed-disk tier an ssdTier names: exactly, or without "-ssd" ("premium-p30"). */
function ssdTierOf(profile: CloudProfile, ssdTier: string, path: string): string {
  const disks = Object.keys(profile.storage.tiers).filter((name) => profile.storage.tiers[name]!.kind === "managedDisk");
  const found = disks.find((name) => name === ssdTier || name.replace("-ssd-", "-") === ssdTier);
  if (found === undefined) throw new SsmsError(ErrorCode.configInvalid, `${path}: '${ssdTier}' is not a managed-disk tier of ${profile.name} (${disks.join(", ")})`);
  return found;
}

function darqNodesOf(config: Experiment, profile: CloudProfile, zones: readonly string[], vmSize: string): DarqNodeConfig[] {
  const nodes: DarqNodeConfig[] = [];
  for (const [poolIndex, pool] of config.cluster.darq.entries()) {
    const tier = pool.tier === "ssd" && pool.ssdTier !== undefined ? ssdTierOf(profile, pool.ssdTier, `/cluster/darq/${poolIndex}/ssdTier`) : pool.tier;
    for (let index = 0; index < pool.count; index++) {
      nodes.push({ name: `${pool.name}-${index}`, tier, zone: zones[index % zones.length]!, vmSize });
    }
  }
  return nodes;
}

function computeNodesOf(config: Experiment, zones: readonly string[], darqNodes: readonly DarqNodeConfig[], vcpu: number): ComputeNodeConfig[] {
  const nodes: ComputeNodeConfig[] = [];
  config.cluster.compute.forEach((pool, poolIndex) => {
    const path = `/cluster/compute/${poolIndex}`;
    if (pool.kind === "vm") {
      if (pool.size === undefined) throw new SsmsError(ErrorCode.configInvalid, `${path}/size: a vm pool needs a VM size`);
      for (let index = 0; index < pool.count; index++) {
        nodes.push({ name: `${pool.name}-${index}`, kind: "vm", size: pool.size, zone: zones[index % zones.length]!, ...(pool.spot === true ? { spot: true } : {}) });
      }
    } else if (pool.kind === "serverless") {
      if (pool.count > 0) nodes.push({ name: pool.name, kind: "serverless", zone: zones[0]! });
    } else {
      if (pool.count > darqNodes.length) {
        throw new SsmsError(ErrorCode.configInvalid, `${path}/count: ${pool.count} darq-spare nodes, but the cluster has only ${darqNodes.length} DARQ nodes to hold them`);
      }
      for (let index = 0; index < pool.count; index++) {
        nodes.push({ name: `${pool.name}-${index}`, kind: "darq-spare", darqNode: darqNodes[index]!.name, cores: vcpu });
      }
    }
  });
  return nodes;
}

/** The SimCluster config and the node layout of an experiment config, for one seed. */
export function clusterOfExperiment(config: Experiment, seed: string, profile: CloudProfile): { cluster: SimClusterConfig; layout: ClusterLayout } {
  const zones = config.cluster.zones ?? ["zone-1"];
  const colocation: Colocation = config.placement.colocation ?? "none";
  const darqVmSize = darqVmSizeOf(config, profile);
  const vcpu = profile.compute.vmSizes[vmSizeKey(profile, darqVmSize)!]!.vcpu;
  const darqNodes = darqNodesOf(config, profile, zones, darqVmSize);
  const computeNodes = computeNodesOf(config, zones, darqNodes, vcpu);
  const spareOf = new Map<string, string>();
  for (const node of computeNodes) if (node.kind === "darq-spare") spareOf.set(node.darqNode!, node.name);
  if (colocation === "darq-and-compute") {
    for (const darq of darqNodes) {
      if (spareOf.has(darq.name)) continue;
      const name = `spare-${darq.name}`;
      computeNodes.push({ name, kind: "darq-spare", darqNode: darq.name, cores: vcpu });
      spareOf.set(darq.name, name);
    }
  }
  const provisioned = computeNodes.filter((node) => node.kind !== "darq-spare");
  if (provisioned.length === 0 && spareOf.size === 0) {
    throw new SsmsError(ErrorCode.configInvalid, "/cluster/compute: no compute node to run automata on (every pool has count 0)");
  }
  const cluster: SimClusterConfig = {
    seed, profile: config.cluster.profile, darqNodes, computeNodes,
    placement: { policy: "round-robin" }, eventsMax: pointEventsMax, metadataHost: { snapshotEverySteps: metadataSnapshotEverySteps },
    darq: { compactBytesMin: darqCompactBytesMin }, host: { snapshotEverySteps: hostSnapshotEverySteps },
  };
  const layout: ClusterLayout = {
    darqNodes: darqNodes.map((node) => node.name),
    computeNodes: provisioned.map((node) => node.name),
    spareOf,
    serverlessNodes: new Set(provisioned.filter((node) => node.kind === "serverless").map((node) => node.name)),
    spotNodes: provisioned.filter((node) => node.spot === true).map((node) => node.name),
    colocation,
    darqVmSize,
  };
  return { cluster, layout };
}
