// The nodes of a simulated cluster as data: where each sits in the network topology, what the
// catalog's node table says about it, and what the placement policy sees of it. Pure functions of
// the validated config and the cloud profile, so the wiring in sim-cluster.ts stays short.
//
// Machines: a DARQ node is a host of its own; a vm or serverless compute node too; a darq-spare
// compute node is a process on its DARQ node's host — in the DARQ's own process, so its
// processors call the DARQ in-process and their traffic with it is "same process".
// Addresses: DARQ `name` (+ `name~proc`, `name~req`), compute `name~proc` (+ `name~req`);
// clients, the failure detector and the external sink live on the host `world` (zone of the
// first DARQ node).

import type { NodeRow } from "../../engine/catalog/catalog-store.ts";
import { addressesOf } from "../../engine/runtime/darq-node.ts";
import type { ComputeNodeInfo, DarqNodeInfo, DarqTier } from "../../engine/runtime/placement.ts";
import type { Topology } from "../network/topology.ts";
import { vmSizeKey } from "../profiles/lookup.ts";
import type { CloudProfile } from "../profiles/schema.ts";
import { tierNameOf, type ComputeNodeConfig, type DarqNodeConfig, type SimClusterConfig } from "./cluster-config.ts";

export const worldHost = "world";

/** The compute node's processor address (where its RemoteDarqLink listens). */
export function computeAddress(name: string): string {
  return `${name}~proc`;
}

/** The compute node's metadata requester address (recoveries it asks for). */
export function computeRequesterAddress(name: string): string {
  return `${name}~req`;
}

function tierClass(profile: CloudProfile, tierName: string): DarqTier {
  const kind = profile.storage.tiers[tierName]!.kind;
  return kind === "replicatedMemory" ? "hot-replicated" : kind === "managedDisk" ? "ssd" : "blob";
}

export function darqInfo(profile: CloudProfile, node: DarqNodeConfig): DarqNodeInfo {
  const tierName = tierNameOf(profile, node.tier)!;
  return { id: node.name, tier: tierClass(profile, tierName), pool: `darq:${tierName}`, zone: node.zone, up: true };
}

export function computeZone(config: SimClusterConfig, node: ComputeNodeConfig): string {
  if (node.kind !== "darq-spare") return node.zone!;
  return config.darqNodes.find((darq) => darq.name === node.darqNode)!.zone;
}

export function computeCores(profile: CloudProfile, node: ComputeNodeConfig): number {
  if (node.kind === "vm") return profile.compute.vmSizes[vmSizeKey(profile, node.size!)!]!.vcpu;
  if (node.kind === "darq-spare") return node.cores ?? 1;
  return 1; // serverless: one vCPU-equivalent per instance, instances scale out
}

export function computeInfo(config: SimClusterConfig, profile: CloudProfile, node: ComputeNodeConfig): ComputeNodeInfo {
  const pool = node.kind === "vm" ? `vm:${vmSizeKey(profile, node.size!)}`
    : node.kind === "serverless" ? "serverless" : `spare:${node.darqNode}`;
  return {
    id: node.name, kind: node.kind, pool, zone: computeZone(config, node), cores: computeCores(profile, node),
    darqNode: node.kind === "darq-spare" ? node.darqNode! : null, up: true,
  };
}

export function darqRow(profile: CloudProfile, node: DarqNodeConfig): NodeRow {
  const info = darqInfo(profile, node);
  const size = node.vmSize === undefined ? undefined : profile.compute.vmSizes[vmSizeKey(profile, node.vmSize)!];
  return {
    id: node.name, kind: "darq", pool: info.pool, zone: node.zone, cores: size?.vcpu ?? 0,
    memoryMiB: Math.round((size?.memoryGib ?? 0) * 1024), address: node.name, loadFraction: 0, state: "up",
  };
}

export function computeRow(config: SimClusterConfig, profile: CloudProfile, node: ComputeNodeConfig): NodeRow {
  const info = computeInfo(config, profile, node);
  const size = node.kind === "vm" ? profile.compute.vmSizes[vmSizeKey(profile, node.size!)!] : undefined;
  const plan = profile.serverless.plans[profile.serverless.defaultPlan]!;
  const memoryMiB = size !== undefined ? Math.round(size.memoryGib * 1024) : node.kind === "serverless" ? plan.memoryMbMax : 0;
  return {
    id: node.name, kind: "compute", pool: info.pool, zone: info.zone, cores: info.cores, memoryMiB,
    address: computeAddress(node.name), loadFraction: 0, state: "up",
  };
}

/** Adds every host and places every address of the cluster. */
export function topologyBuild(topology: Topology, config: SimClusterConfig, profile: CloudProfile): void {
  topology.hostAdd(worldHost, { zone: config.darqNodes[0]!.zone, vmSize: null });
  for (const node of config.darqNodes) topologyAddDarq(topology, profile, node);
  for (const node of config.computeNodes) {
    if (node.kind === "darq-spare") {
      topology.addressPlace(computeAddress(node.name), node.darqNode!, node.darqNode!);
      topology.addressPlace(computeRequesterAddress(node.name), node.darqNode!, node.darqNode!);
      continue;
    }
    topologyAddCompute(topology, profile, node);
  }
}

/** Adds the host and addresses of a vm or serverless compute node (at boot or when a pool grows). */
export function topologyAddCompute(topology: Topology, profile: CloudProfile, node: ComputeNodeConfig): void {
  topology.hostAdd(node.name, { zone: node.zone!, vmSize: node.kind === "vm" ? vmSizeKey(profile, node.size!)! : null });
  topology.addressPlace(computeAddress(node.name), node.name, node.name);
  topology.addressPlace(computeRequesterAddress(node.name), node.name, node.name);
}

/** Adds the host and addresses of a DARQ node (at boot or when a DARQ pool changes tier). */
export function topologyAddDarq(topology: Topology, profile: CloudProfile, node: DarqNodeConfig): void {
  const vmSize = node.vmSize === undefined ? null : vmSizeKey(profile, node.vmSize)!;
  topology.hostAdd(node.name, { zone: node.zone, vmSize });
  const addresses = addressesOf(node.name);
  topology.addressPlace(addresses.darq, node.name, node.name);
  topology.addressPlace(addresses.service, node.name, node.name);
  topology.addressPlace(addresses.requests, node.name, node.name);
}
