// A plan to put a group of automata on one DARQ node (and optionally one compute node), shared by
// co-location and merging: what each member's move pauses, whether the target nodes stay under a
// utilisation cap with the group added (asked of the cost model), and applying the plan to a
// working assignment so that later groups see its load.

import type { Assignment, CostModel } from "../cost-model.ts";
import type { AutomatonObservation, NodeObservation, Observation, ObservationIndex } from "../observation.ts";
import { activationPauseUs, migrationPauseUs, type MoveCostParams } from "./move-cost.ts";

export type GroupPlan = {
  readonly darq: NodeObservation;
  /** null: processors stay where they are. */
  readonly compute: NodeObservation | null;
  /** Members that move (the others are already in place). */
  readonly movers: readonly AutomatonObservation[];
};

/** The pause one member's move costs, µs: migration and/or processor start. */
export function memberPauseUs(observation: Observation, index: ObservationIndex, plan: GroupPlan, member: AutomatonObservation, params: MoveCostParams): number {
  let pauseUs = 0;
  const source = member.placement.darqNode === null ? undefined : index.node.get(member.placement.darqNode);
  if (source !== undefined && source.id !== plan.darq.id) pauseUs += migrationPauseUs(observation.prices, member, source, plan.darq);
  if (plan.compute !== null && member.placement.computeNode !== plan.compute.id) pauseUs += activationPauseUs(observation.prices, member, plan.compute, params);
  return pauseUs;
}

/** Moves the plan's members in the assignment; returns how to undo it. */
export function applyPlan(model: CostModel, assignment: Assignment, plan: GroupPlan): () => void {
  const nodeIndex = model.compiled.nodeIndex;
  const saved = plan.movers.map((member) => {
    const position = model.compiled.automatonIndex.get(member.id)!;
    const before = { position, compute: assignment.compute[position]!, darq: assignment.darq[position]! };
    assignment.darq[position] = nodeIndex.get(plan.darq.id)!;
    if (plan.compute !== null) assignment.compute[position] = nodeIndex.get(plan.compute.id)!;
    return before;
  });
  return () => {
    for (const before of saved) {
      assignment.compute[before.position] = before.compute;
      assignment.darq[before.position] = before.darq;
    }
  };
}

/** Whether the plan's DARQ and compute target stay at or under `utilisationMax` with it applied. */
export function planFits(model: CostModel, assignment: Assignment, plan: GroupPlan, utilisationMax: number): boolean {
  const undo = applyPlan(model, assignment, plan);
  model.predict(assignment);
  undo();
  const nodeIndex = model.compiled.nodeIndex;
  const darqOk = model.nodeUtilisation[nodeIndex.get(plan.darq.id)!]! <= utilisationMax;
  return darqOk && (plan.compute === null || model.nodeUtilisation[nodeIndex.get(plan.compute.id)!]! <= utilisationMax);
}
