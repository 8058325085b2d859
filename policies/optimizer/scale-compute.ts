// Scaling an automaton's compute up or down, independently of its storage (paper §4.1: "it is
// possible to redeploy a I/O heavy automaton to faster storage without changing its compute
// instance, and vice-versa"). Provisioned compute only (vm and darq-spare; serverless scales
// itself).
// - Up: on a node busier than utilisationHigh, the automata keeping it busiest move, largest
//   first, to other nodes where they fit under utilisationHigh, preferring faster cores (a bigger
//   VM family), until the node is under the threshold.
// - Down: a node less busy than utilisationLow is emptied when every automaton on it fits
//   elsewhere under utilisationHigh (best fit: the busiest node that still has room), so that the
//   autoscaler can remove it; a node that cannot be emptied keeps its automata (half-emptying
//   saves nothing and costs pauses).
// Automata placed within cooldownUs stay put, which with the gap between the two thresholds keeps
// the policy from moving an automaton back and forth.

import type { Random } from "../../engine/io/random.ts";
import { decide, type Decision } from "../decision.ts";
import { busyCoresOn, computeNodesUp, LoadTracker, nodeSpeed } from "../nodes.ts";
import { observationIndex, type AutomatonObservation, type NodeObservation, type Observation, type ObservationIndex } from "../observation.ts";
import { paramsResolve, type PolicyParams, type Resolved } from "../policy.ts";

export const optimizerScaleComputeSpec = {
  utilisationHigh: { default: 0.85, min: 0.01, max: 1, doc: "node utilisation that triggers scaling up" },
  utilisationLow: { default: 0.2, min: 0, max: 1, doc: "node utilisation that triggers emptying the node" },
  cooldownUs: { default: 30_000_000, min: 0, max: 86_400_000_000, integer: true, doc: "no move within this time of the last one" },
} as const;

type Params = Resolved<typeof optimizerScaleComputeSpec>;

type Scaling = {
  readonly observation: Observation;
  readonly index: ObservationIndex;
  readonly loads: LoadTracker;
  readonly nodes: readonly NodeObservation[];
  readonly params: Params;
  readonly moved: Set<string>;
  readonly emptied: Set<string>;
  /** Nodes that took automata in this run: never emptied afterwards (their residents changed). */
  readonly received: Set<string>;
};

function movableOn(scaling: Scaling, node: NodeObservation): AutomatonObservation[] {
  const nowUs = scaling.observation.windowEndUs;
  return (scaling.index.automataOnCompute.get(node.id) ?? [])
    .filter((automaton) => !scaling.moved.has(automaton.id) && automaton.stepsPerS > 0 && nowUs - automaton.placedAtUs >= scaling.params.cooldownUs);
}

function move(scaling: Scaling, automaton: AutomatonObservation, source: NodeObservation, target: NodeObservation): void {
  scaling.loads.add(source, -busyCoresOn(scaling.observation, scaling.index, automaton, source));
  scaling.loads.add(target, busyCoresOn(scaling.observation, scaling.index, automaton, target));
  scaling.moved.add(automaton.id);
  scaling.received.add(target.id);
}

function scaleUp(scaling: Scaling, node: NodeObservation): Decision[] {
  const { observation, index, loads, params } = scaling;
  const decisions: Decision[] = [];
  const automata = movableOn(scaling, node).sort((a, b) => busyCoresOn(observation, index, b, node) - busyCoresOn(observation, index, a, node) || (a.id < b.id ? -1 : 1));
  for (const automaton of automata) {
    if (loads.utilisation(node) <= params.utilisationHigh) break;
    const targets = scaling.nodes.filter((other) => other.id !== node.id && !scaling.emptied.has(other.id) &&
      loads.utilisationWith(other, busyCoresOn(observation, index, automaton, other)) <= params.utilisationHigh);
    targets.sort((a, b) => nodeSpeed(observation, index, b) - nodeSpeed(observation, index, a) || loads.utilisation(a) - loads.utilisation(b) || (a.id < b.id ? -1 : 1));
    const target = targets[0];
    if (target === undefined) continue;
    const before = loads.utilisation(node);
    move(scaling, automaton, node, target);
    decisions.push(decide.moveCompute(automaton.id, target.id, `scale up compute: ${node.id} at ${(before * 100).toFixed(0)}%, ${target.id} has room`));
  }
  return decisions;
}

function scaleDown(scaling: Scaling, node: NodeObservation): Decision[] {
  const { observation, index, loads, params } = scaling;
  const resident = scaling.index.automataOnCompute.get(node.id) ?? [];
  const automata = movableOn(scaling, node);
  if (resident.length === 0 || automata.length !== resident.length || scaling.received.has(node.id)) return [];
  const receivedBefore = new Set(scaling.received);
  const plan: { automaton: AutomatonObservation; target: NodeObservation }[] = [];
  for (const automaton of automata) {
    const fitting = scaling.nodes.filter((other) => other.id !== node.id && !scaling.emptied.has(other.id) &&
      loads.utilisationWith(other, busyCoresOn(observation, index, automaton, other)) <= params.utilisationHigh);
    fitting.sort((a, b) => loads.utilisation(b) - loads.utilisation(a) || (a.id < b.id ? -1 : 1));
    const target = fitting[0];
    if (target === undefined) {
      for (const done of plan.reverse()) move(scaling, done.automaton, done.target, node);
      for (const done of plan) scaling.moved.delete(done.automaton.id);
      scaling.received.clear();
      for (const id of receivedBefore) scaling.received.add(id);
      return [];
    }
    move(scaling, automaton, node, target);
    plan.push({ automaton, target });
  }
  scaling.emptied.add(node.id);
  return plan.map(({ automaton, target }) => decide.moveCompute(automaton.id, target.id, `scale down compute: empty ${node.id} (under ${(params.utilisationLow * 100).toFixed(0)}%)`));
}

export function optimizerScaleCompute(observation: Observation, params: PolicyParams, _random?: Random): Decision[] {
  const config = paramsResolve(optimizerScaleComputeSpec, params, "optimizer.params");
  const index = observationIndex(observation);
  const nodes = computeNodesUp(observation).filter((node) => node.kind !== "serverless" && node.cores > 0);
  const scaling: Scaling = { observation, index, loads: new LoadTracker(observation, index), nodes, params: config, moved: new Set(), emptied: new Set(), received: new Set() };
  const decisions: Decision[] = [];
  const busiestFirst = [...nodes].sort((a, b) => b.utilisation - a.utilisation || (a.id < b.id ? -1 : 1));
  for (const node of busiestFirst) if (node.utilisation > config.utilisationHigh) decisions.push(...scaleUp(scaling, node));
  for (const node of [...busiestFirst].reverse()) {
    if (scaling.loads.utilisation(node) < config.utilisationLow) decisions.push(...scaleDown(scaling, node));
  }
  return decisions;
}
