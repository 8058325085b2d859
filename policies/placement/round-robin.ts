// Round-robin placement: pending automata, in id order, take the up nodes in id order in turn.
// The turn continues from the number of automata already placed, so successive calls spread
// new automata across the pool without the policy keeping state.

import type { Random } from "../../engine/io/random.ts";
import { decide, type Decision } from "../decision.ts";
import { computeNodesUp, darqNodesUp, pendingAutomata } from "../nodes.ts";
import type { Observation } from "../observation.ts";
import { paramsResolve, type PolicyParams } from "../policy.ts";

export const placementRoundRobinSpec = {
  computePool: { default: "", doc: "compute pool to use (\"\" = every up compute node)" },
  darqPool: { default: "", doc: "DARQ pool to use (\"\" = every up DARQ node)" },
} as const;

export function placementRoundRobin(observation: Observation, params: PolicyParams, _random?: Random): Decision[] {
  const config = paramsResolve(placementRoundRobinSpec, params, "placement.params");
  const computes = computeNodesUp(observation, config.computePool);
  const darqs = darqNodesUp(observation, config.darqPool);
  if (computes.length === 0 || darqs.length === 0) return [];
  let turn = observation.automata.filter((automaton) => automaton.placement.darqNode !== null && !automaton.pending).length;
  const decisions: Decision[] = [];
  for (const automaton of pendingAutomata(observation)) {
    const computeNode = automaton.placement.computeNode ?? computes[turn % computes.length]!.id;
    const darqNode = automaton.placement.darqNode ?? darqs[turn % darqs.length]!.id;
    decisions.push(decide.place(automaton.id, computeNode, darqNode, `round-robin: turn ${turn}`));
    turn++;
  }
  return decisions;
}
