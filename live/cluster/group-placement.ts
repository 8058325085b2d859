// Placement by the workload's co-location groups on a live cluster: the same rule as the
// simulated cluster's point executor (sim/cluster/executor-placement.ts), so a config means the
// same thing in both modes and their throughputs can be compared.
//
//   none               member m of group g on DARQ (g + m) mod D: every hop of a pi chain crosses
//                      DARQs; processors beside that DARQ unless compute-only nodes exist, then
//                      on compute node (g + m) mod C
//   darq               a group shares DARQ g mod D; processors as under none
//   darq-and-compute   as darq, and processors on that DARQ process's spare compute
// Group and member numbers come from the drivers' automata() order (fixed, so every metadata
// node boot decides alike); an automaton outside it is numbered by a hash of its id and group.
// Only up nodes are chosen; a down choice moves to the next up node in spec order.

import type { AutomatonId } from "../../engine/runtime/ids.ts";
import type { ComputeNodeInfo, DarqNodeInfo, Placement, PlacementChoice } from "../../engine/runtime/placement.ts";
import { idHash32 } from "../../engine/runtime/step-random.ts";
import type { PlacementHint, WorkloadDriver } from "../../workloads/driver.ts";

export type Colocation = "none" | "darq" | "darq-and-compute";

const memberSpan = 1_048_576;

/** Packed group × 2^20 + member of every automaton the drivers list. */
function groupIndex(drivers: readonly WorkloadDriver[], hintOf: (id: AutomatonId) => PlacementHint): { groups: Map<string, number>; byId: Map<string, number> } {
  const groups = new Map<string, number>();
  const members = new Map<string, number>();
  const byId = new Map<string, number>();
  for (const driver of drivers) {
    for (const id of driver.automata()) {
      const group = hintOf(id).group;
      const groupNumber = groups.get(group) ?? groups.size;
      groups.set(group, groupNumber);
      const member = members.get(group) ?? 0;
      members.set(group, member + 1);
      byId.set(id, groupNumber * memberSpan + member);
    }
  }
  return { groups, byId };
}

function upAt<T extends { readonly up: boolean }>(nodes: readonly T[], index: number): T | undefined {
  for (let step = 0; step < nodes.length; step++) {
    const node = nodes[(index + step) % nodes.length]!;
    if (node.up) return node;
  }
  return undefined;
}

/** The hint of `id` from the driver that defines its type; a group of its own otherwise. */
function hintFinder(drivers: readonly WorkloadDriver[]): (id: AutomatonId) => PlacementHint {
  const byType = new Map<string, WorkloadDriver>();
  for (const driver of drivers) for (const definition of driver.definitions) if (!byType.has(definition.type)) byType.set(definition.type, driver);
  return (id) => {
    const driver = byType.get(id.slice(0, id.indexOf("/")));
    return driver?.placementHint(id) ?? { group: id, role: "automaton", compute: "any", colocationRequired: false };
  };
}

export function groupPlacement(drivers: readonly WorkloadDriver[], colocation: Colocation): Placement {
  const hintOf = hintFinder(drivers);
  const { groups, byId } = groupIndex(drivers, hintOf);
  return (id, _type, pools, _load): PlacementChoice | null => {
    const hint = hintOf(id as AutomatonId);
    const packed = byId.get(id);
    const group = packed !== undefined ? Math.floor(packed / memberSpan) : groups.get(hint.group) ?? idHash32(hint.group);
    const member = packed !== undefined ? packed % memberSpan : idHash32(id) >>> 4;
    const together = hint.colocationRequired || colocation !== "none";
    const darq: DarqNodeInfo | undefined = upAt(pools.darq, together ? group : group + member);
    if (darq === undefined) return null;
    const spare = pools.compute.find((node) => node.kind === "darq-spare" && node.darqNode === darq.id && node.up);
    const provisioned: readonly ComputeNodeInfo[] = pools.compute.filter((node) => node.kind !== "darq-spare");
    if ((hint.colocationRequired || colocation === "darq-and-compute" || provisioned.length === 0) && spare !== undefined) {
      return { computeNode: spare.id, darqNode: darq.id };
    }
    const compute = upAt(provisioned.length > 0 ? provisioned : pools.compute, group + member);
    return compute === undefined ? null : { computeNode: compute.id, darqNode: darq.id };
  };
}
