// What a live cluster is, as the runtime sees it: the automaton definitions every node serves
// (built from the spec's workloads by the same drivers the simulator uses, in live mode, so the pi
// chain really computes pi), the catalog's node rows, and the pools the placement policy chooses
// from. Pure functions of the spec: the launcher, every node process and the driver compute the
// same answers, so they agree on types and addresses without talking.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import type { NodeRow } from "../../engine/catalog/catalog-store.ts";
import type { AnyAutomatonDefinition } from "../../engine/runtime/automaton.ts";
import { counter } from "../../engine/runtime/example-counter.ts";
import { placementOf, type ComputeNodeInfo, type DarqNodeInfo, type Placement, type Pools } from "../../engine/runtime/placement.ts";
import { workloadDriverOf, type WorkloadDriver } from "../../workloads/index.ts";
import { sinkType } from "../../workloads/sink.ts";
import { computeNodeOf, type ClusterSpec, type NodeSpec } from "./cluster-spec.ts";
import { groupPlacement } from "./group-placement.ts";

/** The zone of every node of a cluster on one machine. */
export const liveZone = "local";
/** Types served at a fixed address outside the cluster: the driver's external sink. */
export const liveExternalTypes: ReadonlyMap<string, string> = new Map([[sinkType, "sink"]]);

/** The workload drivers of the spec (live mode), in spec order. */
export function workloadDriversOf(spec: ClusterSpec, seed = spec.seed): WorkloadDriver[] {
  const random = new RandomNode(seed);
  return spec.workloads.map((entry, index) => {
    const workload = entry.workload;
    // Nodes only need definitions; a trace-driven source is the driver's business.
    const trace = workload.arrival?.kind === "trace" ? { traceTimesUs: new Float64Array(0) } : {};
    const built = workloadDriverOf(workload, { random: random.fork(`workload/${index}`), mode: "live", ...trace },
      entry.tuning ?? {});
    if (!built.ok) throw new SsmsError(built.code, `cluster spec /workloads/${index}: ${built.reason}`);
    return built.value;
  });
}

/**
 * Every definition the cluster serves: the runtime's example counter (for API users and the
 * step-latency benchmark) plus every workload's, one per type. Two workloads that define the same
 * type differently (two pi chains with other options) cannot share a cluster.
 */
export function definitionsOf(spec: ClusterSpec): Map<string, AnyAutomatonDefinition> {
  const definitions = new Map<string, AnyAutomatonDefinition>([[counter.type, counter]]);
  const owners = new Map<string, number>();
  workloadDriversOf(spec).forEach((driver, index) => {
    for (const definition of driver.definitions) {
      const owner = owners.get(definition.type);
      if (owner !== undefined && owner !== index && definition.type !== sinkType) {
        throw new SsmsError(ErrorCode.configInvalid,
          `cluster spec /workloads/${index}: type '${definition.type}' is also defined by /workloads/${owner}; run them on separate clusters`);
      }
      owners.set(definition.type, index);
      if (!definitions.has(definition.type)) definitions.set(definition.type, definition);
    }
  });
  return definitions;
}

/** The types the metadata workflow activates (type → version); external types are not among them. */
export function typeVersionsOf(definitions: ReadonlyMap<string, AnyAutomatonDefinition>): Record<string, number> {
  const types: Record<string, number> = {};
  for (const type of definitions.keys()) if (!liveExternalTypes.has(type)) types[type] = 1;
  return types;
}

export function computeInfoOf(node: NodeSpec): ComputeNodeInfo {
  const darq = node.role === "darq";
  return {
    id: computeNodeOf(node), kind: darq ? "darq-spare" : "vm", pool: darq ? `spare:${node.name}` : "vm:live",
    zone: liveZone, cores: 1, darqNode: darq ? node.name : null, up: true,
  };
}

export function darqInfoOf(node: NodeSpec): DarqNodeInfo {
  return { id: node.name, tier: "ssd", pool: "darq:file", zone: liveZone, up: true };
}

export function poolsOf(spec: ClusterSpec): Pools {
  return {
    compute: spec.nodes.map(computeInfoOf),
    darq: spec.nodes.filter((node) => node.role === "darq").map(darqInfoOf),
  };
}

/** The catalog rows of one node process: its DARQ node (if any) and its compute node. */
export function nodeRowsOf(node: NodeSpec): NodeRow[] {
  const compute: NodeRow = {
    id: computeNodeOf(node), kind: "compute", pool: computeInfoOf(node).pool, zone: liveZone, cores: 1, memoryMiB: 0,
    address: `${computeNodeOf(node)}~proc`, loadFraction: 0, state: "up",
  };
  if (node.role !== "darq") return [compute];
  const darq: NodeRow = {
    id: node.name, kind: "darq", pool: "darq:file", zone: liveZone, cores: 1, memoryMiB: 0,
    address: node.name, loadFraction: 0, state: "up",
  };
  return [darq, compute];
}

/** The placement the metadata workflow uses: by co-location groups, or an engine policy. */
export function placementOfSpec(spec: ClusterSpec): Placement {
  const placement = spec.placement;
  return placement.policy === "groups" ? groupPlacement(workloadDriversOf(spec), placement.colocation) : placementOf(placement);
}
