// Placement by co-location groups: the rule the simulated and the live cluster share, so an
// experiment's `placement.colocation` means the same in both modes (and the paper's Figure 4
// compares like with like). A workload names a group for each automaton (a pi chain's members,
// a saga and its services); the setting decides how much of a group shares a machine:
//
//   none               member m of group g on DARQ (g + m) mod D: every hop of a pi chain
//                      crosses DARQs; processors spread over the compute nodes the same way
//   darq               a group shares DARQ g mod D ("we no longer force the next task to
//                      enqueue onto another DARQ"); processors spread as under none
//   darq-and-compute   as darq, and processors on that DARQ machine's spare cores (in-process
//                      calls to the DARQ: "co-located both")
//
// A group that requires co-location is placed as darq-and-compute whatever the setting. Group
// and member numbers come from a fixed listing order, so every metadata node boot decides alike;
// an automaton outside the listing is numbered by a hash of its id and group. Only up nodes are
// chosen; a down choice moves to the next up node in pool order. Which compute nodes are
// candidates (VMs, serverless, by the workload's preference) is the caller's business.

import type { ComputeNodeInfo, DarqNodeInfo, Pools } from "./placement.ts";
import { idHash32 } from "./step-random.ts";

export type Colocation = "none" | "darq" | "darq-and-compute";

/** One packed number per automaton: group × 2^20 + member keeps the index small. */
const memberSpan = 1_048_576;

/** Group and member numbers of automata listed in a fixed order. */
export class GroupIndex {
  private readonly groups = new Map<string, number>();
  private readonly members = new Map<string, number>();
  private readonly byId = new Map<string, number>();

  /** `listing`: each automaton with its group, in the workload's fixed order. */
  constructor(listing: Iterable<readonly [id: string, group: string]>) {
    for (const [id, group] of listing) {
      let groupNumber = this.groups.get(group);
      if (groupNumber === undefined) {
        groupNumber = this.groups.size;
        this.groups.set(group, groupNumber);
      }
      const member = this.members.get(group) ?? 0;
      this.members.set(group, member + 1);
      this.byId.set(id, groupNumber * memberSpan + member);
    }
  }

  get groupCount(): number {
    return this.groups.size;
  }

  /** [group number, member number] of `id` in `group`. */
  of(id: string, group: string): readonly [number, number] {
    const packed = this.byId.get(id);
    if (packed !== undefined) return [Math.floor(packed / memberSpan), packed % memberSpan];
    return [this.groups.get(group) ?? idHash32(group), idHash32(id) >>> 4];
  }
}

/** The up node at `index` (mod count) of `nodes`, or the next up one after it. */
export function upAt<T extends { readonly up: boolean }>(nodes: readonly T[], index: number): T | undefined {
  for (let step = 0; step < nodes.length; step++) {
    const node = nodes[(index + step) % nodes.length]!;
    if (node.up) return node;
  }
  return undefined;
}

/** Where one automaton of a group goes, before the compute candidates are known. */
export type GroupSlot = { readonly group: number; readonly member: number; readonly colocationRequired: boolean };

/** The DARQ node: the group's own when co-located, spread by member otherwise. */
export function groupDarq(darqs: readonly DarqNodeInfo[], colocation: Colocation, slot: GroupSlot): DarqNodeInfo | undefined {
  const together = slot.colocationRequired || colocation !== "none";
  return upAt(darqs, together ? slot.group : slot.group + slot.member);
}

/**
 * The processor's node: the DARQ machine's own up spare when co-located with compute, or when
 * there are no `candidates`; otherwise the candidates spread by group and member (with no
 * candidates and no such spare, any up compute node).
 */
export function groupCompute(pools: Pools, darq: DarqNodeInfo, colocation: Colocation, slot: GroupSlot, candidates: readonly ComputeNodeInfo[]): ComputeNodeInfo | undefined {
  const inProcess = slot.colocationRequired || colocation === "darq-and-compute";
  if (inProcess || candidates.length === 0) {
    const spare = pools.compute.find((node) => node.kind === "darq-spare" && node.darqNode === darq.id && node.up);
    if (spare !== undefined) return spare;
  }
  return upAt(candidates.length > 0 ? candidates : pools.compute, slot.group + slot.member);
}
