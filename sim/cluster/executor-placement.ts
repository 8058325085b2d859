// The point executor's placement: the workload's co-location groups (placementHint) decide where
// each automaton goes, so the experiment's `placement.colocation` means what the paper means (the
// rule itself, shared with the live cluster, is engine/runtime/group-placement.ts):
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
import { GroupIndex, groupCompute, groupDarq } from "../../engine/runtime/group-placement.ts";
import type { ComputeNodeInfo, Placement, PlacementChoice, Pools } from "../../engine/runtime/placement.ts";
import type { WorkloadDriver } from "../../workloads/driver.ts";
import type { ClusterLayout } from "./executor-cluster.ts";

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
  const index = new GroupIndex(groupListing(driver));
  return (id, _type, pools, _load): PlacementChoice | null => {
    const hint = driver.placementHint(id as AutomatonId);
    const [group, member] = index.of(id, hint.group);
    const slot = { group, member, colocationRequired: hint.colocationRequired };
    const darq = groupDarq(pools.darq, layout.colocation, slot);
    if (darq === undefined) return null;
    const compute = groupCompute(pools, darq, layout.colocation, slot, computeCandidates(pools, layout, hint.compute));
    return compute === undefined ? null : { computeNode: compute.id, darqNode: darq.id };
  };
}

function* groupListing(driver: WorkloadDriver): Iterable<readonly [string, string]> {
  for (const id of driver.automata()) yield [id, driver.placementHint(id).group];
}
