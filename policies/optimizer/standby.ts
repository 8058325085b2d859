// Standby replicas (paper §4.3): a backup processor replays the automaton's self-messages, so a
// failover is a re-route, not a recovery. Standbys go to automata whose compute node is
// failure-prone: observed failuresPerHour at or above failuresPerHourMin, a spot VM, or a node
// that is draining (a preemption notice: the paper's "temporary replica before a scheduled
// relocation"). Each such automaton gets up to `standbys` standbys, on up provisioned nodes of
// other machines, preferring another zone, then the least utilised. Standbys that are no longer
// needed, or whose node is down, are removed. Serverless processors get none (an instance keeps
// no warm state between invocations).

import type { Random } from "../../engine/io/random.ts";
import { decide, type Decision } from "../decision.ts";
import { computeNodesUp, machineOf } from "../nodes.ts";
import { observationIndex, type AutomatonObservation, type NodeObservation, type Observation, type ObservationIndex } from "../observation.ts";
import { byId, paramsResolve, type PolicyParams } from "../policy.ts";

export const optimizerStandbySpec = {
  standbys: { default: 1, min: 0, max: 8, integer: true, doc: "standbys per failure-prone automaton" },
  failuresPerHourMin: { default: 0.5, min: 0, max: 1e6, doc: "node failure rate from which its automata get standbys" },
  spot: { default: true, doc: "automata on spot VMs get standbys" },
  stepsPerSMin: { default: 0, min: 0, max: 1e12, doc: "only automata at least this busy get standbys" },
} as const;

type Config = { readonly standbys: number; readonly failuresPerHourMin: number; readonly spot: boolean; readonly stepsPerSMin: number };

function needsStandby(automaton: AutomatonObservation, node: NodeObservation | undefined, config: Config): string | null {
  if (node === undefined || node.kind === "serverless" || automaton.stepsPerS < config.stepsPerSMin) return null;
  if (node.state === "draining") return `compute ${node.id} is draining`;
  if (config.spot && node.spot) return `compute ${node.id} is a spot VM`;
  if (node.failuresPerHour >= config.failuresPerHourMin) return `compute ${node.id} fails ${node.failuresPerHour}/h`;
  return null;
}

/** The best node for a new standby, or undefined. */
function standbyTarget(candidates: readonly NodeObservation[], primary: NodeObservation, taken: ReadonlySet<string>): NodeObservation | undefined {
  const usable = candidates.filter((node) => node.kind !== "serverless" && machineOf(node) !== machineOf(primary) && !taken.has(node.id));
  usable.sort((a, b) =>
    Number(a.zone === primary.zone) - Number(b.zone === primary.zone) || a.utilisation - b.utilisation || (a.id < b.id ? -1 : 1));
  return usable[0];
}

function standbyDecisions(automaton: AutomatonObservation, index: ObservationIndex, candidates: readonly NodeObservation[], config: Config): Decision[] {
  const primary = automaton.placement.computeNode === null ? undefined : index.node.get(automaton.placement.computeNode);
  const why = needsStandby(automaton, primary, config);
  const decisions: Decision[] = [];
  const live: string[] = [];
  for (const standby of automaton.standbys) {
    const node = index.node.get(standby);
    if (node === undefined || node.state === "down") decisions.push(decide.removeStandby(automaton.id, standby, `standby node ${standby} is down`));
    else if (why === null) decisions.push(decide.removeStandby(automaton.id, standby, "its primary is no longer failure-prone"));
    else live.push(standby);
  }
  if (why === null || primary === undefined) return decisions;
  const taken = new Set([...automaton.standbys, primary.id]);
  for (let count = live.length; count < config.standbys; count++) {
    const target = standbyTarget(candidates, primary, taken);
    if (target === undefined) break;
    taken.add(target.id);
    decisions.push(decide.addStandby(automaton.id, target.id, `${why}: standby on ${target.id} (zone ${target.zone})`));
  }
  return decisions;
}

export function optimizerStandby(observation: Observation, params: PolicyParams, _random?: Random): Decision[] {
  const config = paramsResolve(optimizerStandbySpec, params, "optimizer.params");
  const index = observationIndex(observation);
  const candidates = computeNodesUp(observation);
  const decisions: Decision[] = [];
  for (const automaton of byId(observation.automata)) decisions.push(...standbyDecisions(automaton, index, candidates, config));
  return decisions;
}
