// The point executor's placement: the workload's co-location groups (placementHint) decide where
// each automaton goes, so the experiment's `placement.colocation` means what the paper means:
//
//   none               the members of a group are spread over different DARQ nodes (member m of
//                      group g on DARQ (g + m) mod D: every hop of a pi chain crosses DARQs) and
//                      their processors over the compute nodes the same way
//   darq               a group shares DARQ g mod D ("we no longer force the next task to enqueue
//                      onto another DARQ"); processors are spread as under none
//   darq-and-compute   as darq, and processors run on that DARQ machine's spare cores (in-process
//                      calls to the DARQ: "co-located both")
//
// A group whose hint says colocationRequired is placed as darq-and-compute whatever the setting.
// Compute preference: "serverless" picks serverless nodes, "provisioned" VMs, "any" VMs first.
// Group and member numbers come from the driver's automata() order (a fixed order, so placement is
// deterministic); an automaton outside it gets numbers from a hash of its id and group. Only up
// nodes are chosen; a down choice moves to the next up node in config order.

import type { AutomatonId } from "../../engine/runtime/ids.ts";
import type { ComputeNodeInfo, DarqNodeInfo, Placement, PlacementChoice, Pools } from "../../engine/runtime/placement.ts";
import { idHash32 } from "../../engine/runtime/step-random.ts";
import type { WorkloadDriver } from "../../workloads/driver.ts";
import type { ClusterLayout } from "./executor-cluster.ts";

/** Group and member numbers of the automata a driver lists, in its order. */
export class GroupIndex {
  private readonly groups = new Map<string, number>();
  private readonly members = new Map<string, number>();
  private readonly byId = new Map<string, number>();

  constructor(driver: WorkloadDriver) {
    for (const id of driver.automata()) {
      const group = driver.placementHint(id).group;
      let groupNumber = this.groups.get(group);
      if (groupNumber === undefined) {
        groupNumber = this.groups.size;
        this.groups.set(group, groupNumber);
      }
      const member = this.members.get(group) ?? 0;
      this.members.set(group, member + 1);
      // One packed number per automaton: group × 2^20 + member keeps the map small.
      this.byId.set(id, groupNumber * 1_048_576 + member);
    }
  }

  get groupCount(): number {
    return this.groups.size;
  }

  /** [group number, member number] of `id` in `group`. */
  of(id: string, group: string): readonly [number, number] {
    const packed = this.byId.get(id);
    if (packed !== undefined) return [Math.floor(packed / 1_048_576), packed % 1_048_576];
    const groupNumber = this.groups.get(group) ?? idHash32(group);
    return [groupNumber, idHash32(id) >>> 4];
  }
}

/** The up node at `index` (mod count) of `nodes`, or the next up one after it. */
function upAt<T extends { readonly up: boolean }>(nodes: readonly T[], index: number): T | undefined {
  for (let step = 0; step < nodes.length; step++) {
    const node = nodes[(index + step) % nodes.length]!;
    if (node.up) return node;
  }
  return undefined;
}

function computeCandidates(pools: Pools, layout: ClusterLayout, preference: string): ComputeNodeInfo[] {
  const provisioned = pools.compute.filter((node) => node.kind === "vm");
  const serverless = pools.compute.filter((node) => node.kind === "serverless");
  if (preference === "serverless" && serverless.length > 0) return serverless;
  if (preference === "provisioned" && provisioned.length > 0) return provisioned;
  if (provisioned.length > 0) return provisioned;
  if (serverless.length > 0) return serverless;
  return layout.computeNodes.length === 0 ? [] : pools.compute.filter((node) => node.kind !== "darq-spare");
}

/** The placement for `driver`'s automata on the executor's cluster. */
export function groupPlacement(driver: WorkloadDriver, layout: ClusterLayout): Placement {
  const index = new GroupIndex(driver);
  return (id, _type, pools, _load): PlacementChoice | null => {
    const hint = driver.placementHint(id as AutomatonId);
    const [group, member] = index.of(id, hint.group);
    const together = hint.colocationRequired || layout.colocation !== "none";
    const darqs: readonly DarqNodeInfo[] = pools.darq;
    const darq = upAt(darqs, together ? group : group + member);
    if (darq === undefined) return null;
    const inProcess = hint.colocationRequired || layout.colocation === "darq-and-compute";
    const spareName = layout.spareOf.get(darq.id);
    if (inProcess && spareName !== undefined) {
      const spare = pools.compute.find((node) => node.id === spareName);
      if (spare?.up === true) return { computeNode: spare.id, darqNode: darq.id };
    }
    const candidates = computeCandidates(pools, layout, hint.compute);
    // Only spares: the chosen DARQ's own spare cores, else any up spare.
    if (candidates.length === 0) {
      const spare = pools.compute.find((node) => node.darqNode === darq.id && node.up) ?? upAt(pools.compute, group + member);
      return spare === undefined ? null : { computeNode: spare.id, darqNode: darq.id };
    }
    const compute = upAt(candidates, group + member);
    return compute === undefined ? null : { computeNode: compute.id, darqNode: darq.id };
  };
}
