// Least-loaded placement: each pending automaton goes to the up compute node that would be least
// utilised with it added (its expected demand: arrivals × compute per step), and to the DARQ
// node with the lowest observed utilisation, then the fewest logical DARQs. Loads are updated
// as the run places automata, so a burst of new automata spreads instead of piling onto the
// node that was idle when the window ended. Ties go to the lower id.

import type { Random } from "../../engine/io/random.ts";
import { decide, type Decision } from "../decision.ts";
import { computeNodesUp, darqNodesUp, LoadTracker, pendingAutomata } from "../nodes.ts";
import { observationIndex, type NodeObservation, type Observation } from "../observation.ts";
import { paramsResolve, type PolicyParams } from "../policy.ts";

export const placementLeastLoadedSpec = {
  computePool: { default: "", doc: "compute pool to use (\"\" = every up compute node)" },
  darqPool: { default: "", doc: "DARQ pool to use (\"\" = every up DARQ node)" },
  includeServerless: { default: false, doc: "also consider serverless pools (their instance caps make them look idle)" },
} as const;

function leastBy<T>(items: readonly T[], score: (item: T) => number): T | undefined {
  let best: T | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const item of items) {
    const value = score(item);
    if (value < bestScore) {
      best = item;
      bestScore = value;
    }
  }
  return best;
}

export function placementLeastLoaded(observation: Observation, params: PolicyParams, _random?: Random): Decision[] {
  const config = paramsResolve(placementLeastLoadedSpec, params, "placement.params");
  const index = observationIndex(observation);
  const computes = computeNodesUp(observation, config.computePool)
    .filter((node) => config.includeServerless || node.kind !== "serverless");
  const darqs = darqNodesUp(observation, config.darqPool);
  const loads = new LoadTracker(observation, index);
  const darqCounts = new Map<string, number>(darqs.map((node) => [node.id, index.automataOnDarq.get(node.id)?.length ?? 0]));
  const darqScore = (node: NodeObservation) => node.utilisation * 1e6 + (darqCounts.get(node.id) ?? 0);
  const decisions: Decision[] = [];
  for (const automaton of pendingAutomata(observation)) {
    const compute = automaton.placement.computeNode === null
      ? leastBy(computes, (node) => loads.utilisationWith(node, loads.demandOn(automaton, node)))
      : index.node.get(automaton.placement.computeNode);
    const darqNode = automaton.placement.darqNode ?? leastBy(darqs, darqScore)?.id;
    if (compute === undefined || darqNode === undefined) continue;
    loads.add(compute, loads.demandOn(automaton, compute));
    darqCounts.set(darqNode, (darqCounts.get(darqNode) ?? 0) + 1);
    decisions.push(decide.place(automaton.id, compute.id, darqNode,
      `least-loaded: compute ${compute.id} at ${(loads.utilisation(compute) * 100).toFixed(0)}% after placing`));
  }
  return decisions;
}
