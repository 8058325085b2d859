// Random placement: each pending automaton gets a compute node and a DARQ node drawn uniformly
// from the up nodes (optionally of one pool each). The baseline every smarter policy must beat;
// reproducible because the draws come from the Random seam's stream the runner forks for it.

import { pick } from "../../engine/io/distributions.ts";
import type { Random } from "../../engine/io/random.ts";
import { decide, type Decision } from "../decision.ts";
import { computeNodesUp, darqNodesUp, pendingAutomata } from "../nodes.ts";
import type { Observation } from "../observation.ts";
import { paramsResolve, type PolicyParams } from "../policy.ts";

export const placementRandomSpec = {
  computePool: { default: "", doc: "compute pool to draw from (\"\" = any up compute node)" },
  darqPool: { default: "", doc: "DARQ pool to draw from (\"\" = any up DARQ node)" },
} as const;

export function placementRandom(observation: Observation, params: PolicyParams, random: Random): Decision[] {
  const config = paramsResolve(placementRandomSpec, params, "placement.params");
  const computes = computeNodesUp(observation, config.computePool);
  const darqs = darqNodesUp(observation, config.darqPool);
  const decisions: Decision[] = [];
  for (const automaton of pendingAutomata(observation)) {
    // Draw both every time, so one automaton's draws never depend on another's placement state.
    const computeDrawn = computes.length > 0 ? pick(random, computes).id : undefined;
    const darqDrawn = darqs.length > 0 ? pick(random, darqs).id : undefined;
    const computeNode = automaton.placement.computeNode ?? computeDrawn;
    const darqNode = automaton.placement.darqNode ?? darqDrawn;
    if (computeNode === undefined || darqNode === undefined) continue;
    decisions.push(decide.place(automaton.id, computeNode, darqNode, "random: uniform over up nodes"));
  }
  return decisions;
}
