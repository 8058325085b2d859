// Failover by re-routing (paper §4.3): when an automaton's compute node is down, SSMS re-routes
// its messages and step privilege to a standby that has been replaying its self-messages; no
// consensus, no heartbeat protocol in user code. The standby chosen is up, in the DARQ's zone if
// one is (one network hop cheaper), then the least utilised. An automaton without an up standby
// is recovered on the least utilised up provisioned node (a moveCompute: it replays its log there).
// With failoverOnDraining, a node under a preemption notice is left before it goes, but only by
// automata that have a standby to take over (others wait for the standby policy to add one).
// A DARQ node that is down is the engine's recovery to handle: its log cannot move without it.

import type { Random } from "../../engine/io/random.ts";
import { decide, type Decision } from "../decision.ts";
import { computeNodesUp } from "../nodes.ts";
import { observationIndex, type AutomatonObservation, type NodeObservation, type Observation, type ObservationIndex } from "../observation.ts";
import { byId, paramsResolve, type PolicyParams } from "../policy.ts";

export const optimizerFailoverSpec = {
  failoverOnDraining: { default: true, doc: "leave a draining node for a standby before it goes" },
} as const;

function bestStandby(automaton: AutomatonObservation, index: ObservationIndex): NodeObservation | undefined {
  const darqZone = automaton.placement.darqNode === null ? undefined : index.node.get(automaton.placement.darqNode)?.zone;
  const standbys = automaton.standbys
    .map((id) => index.node.get(id))
    .filter((node): node is NodeObservation => node !== undefined && node.state === "up");
  standbys.sort((a, b) => Number(b.zone === darqZone) - Number(a.zone === darqZone) || a.utilisation - b.utilisation || (a.id < b.id ? -1 : 1));
  return standbys[0];
}

function recoveryTarget(candidates: readonly NodeObservation[], failed: NodeObservation): NodeObservation | undefined {
  const provisioned = candidates.filter((node) => node.kind !== "serverless" && node.id !== failed.id);
  const pool = provisioned.length > 0 ? provisioned : candidates.filter((node) => node.id !== failed.id);
  return [...pool].sort((a, b) => a.utilisation - b.utilisation || (a.id < b.id ? -1 : 1))[0];
}

export function optimizerFailover(observation: Observation, params: PolicyParams, _random?: Random): Decision[] {
  const config = paramsResolve(optimizerFailoverSpec, params, "optimizer.params");
  const index = observationIndex(observation);
  const candidates = computeNodesUp(observation);
  const decisions: Decision[] = [];
  for (const automaton of byId(observation.automata)) {
    const computeId = automaton.placement.computeNode;
    const compute = computeId === null ? undefined : index.node.get(computeId);
    if (compute === undefined) continue;
    const down = compute.state === "down";
    if (!down && !(config.failoverOnDraining && compute.state === "draining")) continue;
    const standby = bestStandby(automaton, index);
    if (standby !== undefined) {
      decisions.push(decide.failover(automaton.id, standby.id, `compute ${compute.id} is ${compute.state}: re-route to standby ${standby.id}`));
      continue;
    }
    if (!down) continue;
    const target = recoveryTarget(candidates, compute);
    if (target !== undefined) decisions.push(decide.moveCompute(automaton.id, target.id, `compute ${compute.id} is down and no standby is up: recover on ${target.id}`));
  }
  return decisions;
}
