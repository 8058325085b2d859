// Scaling an automaton's storage up or down, independently of its compute (paper §4.1): its
// logical DARQ migrates to a DARQ node on a faster or cheaper tier; its processor stays put. The
// cost model judges every move (group commit, device caps, flush latency), so a move is taken only
// when the model says the target stays under utilisationHigh.
// - Up for capacity: a DARQ node above utilisationHigh sheds its busiest automata (by records
//   written) to nodes with room, fastest tier first, until it is under the threshold.
// - Up for latency: with a p99 bound (latencyUsP99Max, or the objective's if it is
//   min-cost-p99), an automaton whose predicted p99 breaks it while storage is at least
//   storageShareMin of its median latency moves to a node with a faster tier that brings its p99
//   under the bound.
// - Down: a DARQ node below utilisationLow is emptied onto other nodes when all its automata fit
//   and the system's p99 still meets the bound, so the autoscaler can remove it.
// Automata placed within cooldownUs stay put.

import type { Random } from "../../engine/io/random.ts";
import { costModelFromObservation, type Assignment, type CostModel } from "../cost-model.ts";
import { decide, type Decision } from "../decision.ts";
import { darqNodesUp } from "../nodes.ts";
import { observationIndex, type AutomatonObservation, type NodeObservation, type Observation, type ObservationIndex } from "../observation.ts";
import { byId, paramsResolve, policyContextDefault, type PolicyContext, type PolicyParams, type Resolved } from "../policy.ts";

export const optimizerScaleStorageSpec = {
  utilisationHigh: { default: 0.85, min: 0.01, max: 1, doc: "DARQ utilisation that triggers scaling up" },
  utilisationLow: { default: 0.1, min: 0, max: 1, doc: "DARQ utilisation that triggers emptying the node" },
  latencyUsP99Max: { default: 0, min: 0, max: 3_600_000_000, doc: "p99 bound, µs (0: the objective's, if it has one)" },
  storageShareMin: { default: 0.5, min: 0, max: 1, doc: "share of median latency spent in storage for a latency move" },
  cooldownUs: { default: 30_000_000, min: 0, max: 86_400_000_000, integer: true, doc: "no move within this time of the last one" },
} as const;

type Scaling = {
  readonly observation: Observation;
  readonly index: ObservationIndex;
  readonly model: CostModel;
  readonly assignment: Assignment;
  readonly darqs: readonly NodeObservation[];
  readonly params: Resolved<typeof optimizerScaleStorageSpec>;
  readonly boundUs: number;
  readonly moved: Set<string>;
  /** Nodes emptied (or being emptied) by a scale-down: no automaton goes to them. */
  readonly locked: Set<string>;
  /** Nodes that took automata in this run: not emptied afterwards (their residents changed). */
  readonly received: Set<string>;
};

function flushP50Us(observation: Observation, node: NodeObservation): number {
  return observation.prices.storageTiers[node.storageTier ?? ""]?.flushLatency.p50Us ?? Number.POSITIVE_INFINITY;
}

/** Moves automaton `position` to DARQ `target` in the assignment; returns the undo. */
function tryMove(scaling: Scaling, position: number, target: NodeObservation): () => void {
  const before = scaling.assignment.darq[position]!;
  scaling.assignment.darq[position] = scaling.model.compiled.nodeIndex.get(target.id)!;
  scaling.model.predict(scaling.assignment);
  return () => { scaling.assignment.darq[position] = before; };
}

function utilisationOf(scaling: Scaling, node: NodeObservation): number {
  return scaling.model.nodeUtilisation[scaling.model.compiled.nodeIndex.get(node.id)!]!;
}

function movable(scaling: Scaling, node: NodeObservation): AutomatonObservation[] {
  const nowUs = scaling.observation.windowEndUs;
  return byId(scaling.index.automataOnDarq.get(node.id) ?? [])
    .filter((automaton) => !scaling.moved.has(automaton.id) && nowUs - automaton.placedAtUs >= scaling.params.cooldownUs);
}

/** The first target (in `order`) that stays under the threshold with the automaton; the move stays applied. */
function placeOn(scaling: Scaling, automaton: AutomatonObservation, source: NodeObservation, order: readonly NodeObservation[], accept: () => boolean): NodeObservation | undefined {
  const position = scaling.model.compiled.automatonIndex.get(automaton.id)!;
  for (const target of order) {
    if (target.id === source.id || scaling.locked.has(target.id)) continue;
    const undo = tryMove(scaling, position, target);
    if (utilisationOf(scaling, target) <= scaling.params.utilisationHigh && accept()) {
      scaling.moved.add(automaton.id);
      scaling.received.add(target.id);
      return target;
    }
    undo();
  }
  return undefined;
}

function fastestFirst(scaling: Scaling): NodeObservation[] {
  return [...scaling.darqs].sort((a, b) => flushP50Us(scaling.observation, a) - flushP50Us(scaling.observation, b) || a.utilisation - b.utilisation || (a.id < b.id ? -1 : 1));
}

function scaleUpCapacity(scaling: Scaling, node: NodeObservation): Decision[] {
  const records = (automaton: AutomatonObservation) => automaton.messagesInPerS + automaton.messagesOutPerS + 2 * automaton.stepsPerS;
  const decisions: Decision[] = [];
  for (const automaton of movable(scaling, node).sort((a, b) => records(b) - records(a))) {
    scaling.model.predict(scaling.assignment);
    if (utilisationOf(scaling, node) <= scaling.params.utilisationHigh) break;
    const target = placeOn(scaling, automaton, node, fastestFirst(scaling), () => true);
    if (target !== undefined) decisions.push(decide.migrate(automaton.id, target.id, `scale up storage: ${node.id} over ${(scaling.params.utilisationHigh * 100).toFixed(0)}% of its capacity`));
  }
  return decisions;
}

function scaleUpLatency(scaling: Scaling): Decision[] {
  if (scaling.boundUs <= 0) return [];
  const { model, observation } = scaling;
  const decisions: Decision[] = [];
  model.predict(scaling.assignment);
  const slow = observation.automata.filter((automaton, position) => scaling.assignment.darq[position]! >= 0 &&
    model.automatonLatencyUsP99[position]! > scaling.boundUs &&
    model.automatonStorageUsP50[position]! >= scaling.params.storageShareMin * model.automatonLatencyUsP50[position]!);
  for (const automaton of byId(slow)) {
    const source = scaling.index.node.get(automaton.placement.darqNode ?? "");
    if (source === undefined || scaling.moved.has(automaton.id) || observation.windowEndUs - automaton.placedAtUs < scaling.params.cooldownUs) continue;
    const position = model.compiled.automatonIndex.get(automaton.id)!;
    const faster = fastestFirst(scaling).filter((node) => flushP50Us(observation, node) < flushP50Us(observation, source));
    const target = placeOn(scaling, automaton, source, faster, () => model.automatonLatencyUsP99[position]! <= scaling.boundUs);
    if (target !== undefined) decisions.push(decide.migrate(automaton.id, target.id, `scale up storage: p99 over ${scaling.boundUs} µs, mostly in storage on ${source.id}`));
  }
  return decisions;
}

function scaleDown(scaling: Scaling, node: NodeObservation): Decision[] {
  const resident = scaling.index.automataOnDarq.get(node.id) ?? [];
  const automata = movable(scaling, node);
  if (resident.length === 0 || automata.length !== resident.length || scaling.received.has(node.id)) return [];
  const saved = Int32Array.from(scaling.assignment.darq);
  const receivedBefore = new Set(scaling.received);
  scaling.locked.add(node.id);
  const boundOk = () => scaling.boundUs <= 0 || scaling.model.predict(scaling.assignment).latencyUsP99 <= scaling.boundUs;
  const busiestFirst = [...scaling.darqs].sort((a, b) => utilisationOf(scaling, b) - utilisationOf(scaling, a) || (a.id < b.id ? -1 : 1));
  const plan: [AutomatonObservation, NodeObservation][] = [];
  for (const automaton of automata) {
    const target = placeOn(scaling, automaton, node, busiestFirst, boundOk);
    if (target === undefined) {
      scaling.assignment.darq.set(saved);
      for (const [moved] of plan) scaling.moved.delete(moved.id);
      scaling.locked.delete(node.id);
      scaling.received.clear();
      for (const id of receivedBefore) scaling.received.add(id);
      return [];
    }
    plan.push([automaton, target]);
  }
  return plan.map(([automaton, target]) => decide.migrate(automaton.id, target.id, `scale down storage: empty ${node.id} (under ${(scaling.params.utilisationLow * 100).toFixed(0)}%)`));
}

export function optimizerScaleStorage(observation: Observation, params: PolicyParams, _random?: Random, context: PolicyContext = policyContextDefault): Decision[] {
  const config = paramsResolve(optimizerScaleStorageSpec, params, "optimizer.params");
  const objective = context.objective;
  const boundUs = config.latencyUsP99Max > 0 ? config.latencyUsP99Max : objective.kind === "min-cost-p99" ? objective.params.latencyUsP99Max : 0;
  const model = costModelFromObservation(observation, context.costModel);
  const scaling: Scaling = {
    observation, index: observationIndex(observation), model, assignment: model.assignmentNow(), darqs: darqNodesUp(observation),
    params: config, boundUs, moved: new Set(), locked: new Set(), received: new Set(),
  };
  model.predict(scaling.assignment);
  const decisions: Decision[] = [];
  const over = scaling.darqs.filter((node) => utilisationOf(scaling, node) > config.utilisationHigh);
  for (const node of over) decisions.push(...scaleUpCapacity(scaling, node));
  decisions.push(...scaleUpLatency(scaling));
  model.predict(scaling.assignment);
  const under = scaling.darqs.filter((node) => utilisationOf(scaling, node) < config.utilisationLow && !scaling.received.has(node.id));
  for (const node of under.sort((a, b) => utilisationOf(scaling, a) - utilisationOf(scaling, b) || (a.id < b.id ? -1 : 1))) {
    decisions.push(...scaleDown(scaling, node));
  }
  return decisions;
}
