// Placement by the workload's co-location groups on a live cluster: the rule of the simulated
// cluster's point executor (engine/runtime/group-placement.ts holds it for both), so a config means
// the same thing in both modes and their throughputs can be compared. Here several workloads may
// share a cluster: their automata are numbered in the drivers' order, and each automaton takes
// its hint from the driver that defines its type. Compute candidates: every node that is not a
// DARQ machine's spare; without any, the DARQ's own spare cores.

import { GroupIndex, groupCompute, groupDarq, type Colocation } from "../../engine/runtime/group-placement.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import type { Placement, PlacementChoice } from "../../engine/runtime/placement.ts";
import type { PlacementHint, WorkloadDriver } from "../../workloads/driver.ts";

export type { Colocation } from "../../engine/runtime/group-placement.ts";

/** The hint of `id` from the driver that defines its type; a group of its own otherwise. */
function hintFinder(drivers: readonly WorkloadDriver[]): (id: AutomatonId) => PlacementHint {
  const byType = new Map<string, WorkloadDriver>();
  for (const driver of drivers) for (const definition of driver.definitions) if (!byType.has(definition.type)) byType.set(definition.type, driver);
  return (id) => {
    const driver = byType.get(id.slice(0, id.indexOf("/")));
    return driver?.placementHint(id) ?? { group: id, role: "automaton", compute: "any", colocationRequired: false };
  };
}

function* groupListing(drivers: readonly WorkloadDriver[], hintOf: (id: AutomatonId) => PlacementHint): Iterable<readonly [string, string]> {
  for (const driver of drivers) for (const id of driver.automata()) yield [id, hintOf(id).group];
}

export function groupPlacement(drivers: readonly WorkloadDriver[], colocation: Colocation): Placement {
  const hintOf = hintFinder(drivers);
  const index = new GroupIndex(groupListing(drivers, hintOf));
  return (id, _type, pools, _load): PlacementChoice | null => {
    const hint = hintOf(id as AutomatonId);
    const [group, member] = index.of(id, hint.group);
    const slot = { group, member, colocationRequired: hint.colocationRequired };
    const darq = groupDarq(pools.darq, colocation, slot);
    if (darq === undefined) return null;
    const compute = groupCompute(pools, darq, colocation, slot, pools.compute.filter((node) => node.kind !== "darq-spare"));
    return compute === undefined ? null : { computeNode: compute.id, darqNode: darq.id };
  };
}
