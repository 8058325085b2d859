// Node helpers shared by the policies: which nodes may take work, how fast they are, how busy an
// assignment would make them, and which automata are waiting for a placement. Orders are by id,
// so every policy breaks ties the same way on every run.

import type { AutomatonObservation, NodeObservation, Observation, ObservationIndex } from "./observation.ts";
import { vmPriceNamed } from "./price-book.ts";
import { byId } from "./policy.ts";

/** Up compute nodes (vm, serverless, darq-spare), by id; `pool` "" means any pool. */
export function computeNodesUp(observation: Observation, pool = ""): NodeObservation[] {
  return byId(observation.nodes.filter((node) => node.kind !== "darq" && node.state === "up" && (pool === "" || node.pool === pool)));
}

/** Up DARQ nodes, by id; `pool` "" means any pool. */
export function darqNodesUp(observation: Observation, pool = ""): NodeObservation[] {
  return byId(observation.nodes.filter((node) => node.kind === "darq" && node.state === "up" && (pool === "" || node.pool === pool)));
}

/** Work per µs of one core of `node`, relative to the baseline (what `ctx.work` is measured in). */
export function nodeSpeed(observation: Observation, index: ObservationIndex, node: NodeObservation): number {
  if (node.kind === "serverless") return observation.prices.serverless.speedFactor;
  const machine = node.kind === "darq-spare" && node.hostNode !== null ? index.node.get(node.hostNode) : node;
  const size = machine?.size ?? null;
  return size === null ? 1 : vmPriceNamed(observation.prices, size)?.speedFactor ?? 1;
}

/** Cores an automaton keeps busy on `node`: steps/s × core-µs per step ÷ (speed × 10^6). */
export function busyCoresOn(observation: Observation, index: ObservationIndex, automaton: AutomatonObservation, node: NodeObservation): number {
  return (automaton.stepsPerS * automaton.computeCoreUsPerStep) / (nodeSpeed(observation, index, node) * 1e6);
}

/** Expected step rate of an automaton that has none yet: its arrivals, or what it did before. */
export function expectedStepsPerS(automaton: AutomatonObservation): number {
  return Math.max(automaton.stepsPerS, automaton.messagesInPerS);
}

/** Automata waiting for a placement, by id. */
export function pendingAutomata(observation: Observation): AutomatonObservation[] {
  return byId(observation.automata.filter((automaton) =>
    automaton.pending && (automaton.placement.computeNode === null || automaton.placement.darqNode === null)));
}

/** The machine a node runs on (a darq-spare node runs on its host's). */
export function machineOf(node: NodeObservation): string {
  return node.kind === "darq-spare" && node.hostNode !== null ? node.hostNode : node.id;
}

/** A darq-spare compute node on `darqNode`'s machine, if it is up. */
export function spareOn(observation: Observation, darqNode: string): NodeObservation | undefined {
  return computeNodesUp(observation).find((node) => node.kind === "darq-spare" && node.hostNode === darqNode);
}

/** FNV-1a, 32 bits: a stable hash of an id for static spreading (no state, no randomness). */
export function idHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let position = 0; position < id.length; position++) {
    hash ^= id.charCodeAt(position);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Utilisation of each up compute node after adding automata placed in this run (mutable). */
export class LoadTracker {
  private readonly busy = new Map<string, number>();

  constructor(private readonly observation: Observation, private readonly index: ObservationIndex) {
    for (const node of observation.nodes) this.busy.set(node.id, node.utilisation * Math.max(node.cores, 1e-9));
  }

  /** Utilisation of `node` if an automaton adding `busyCores` moved onto it. */
  utilisationWith(node: NodeObservation, busyCores: number): number {
    return ((this.busy.get(node.id) ?? 0) + busyCores) / Math.max(node.cores, 1e-9);
  }

  utilisation(node: NodeObservation): number {
    return this.utilisationWith(node, 0);
  }

  add(node: NodeObservation, busyCores: number): void {
    this.busy.set(node.id, (this.busy.get(node.id) ?? 0) + busyCores);
  }

  /** Busy cores an automaton would add on `node` at its expected rate. */
  demandOn(automaton: AutomatonObservation, node: NodeObservation): number {
    return (expectedStepsPerS(automaton) * automaton.computeCoreUsPerStep) / (nodeSpeed(this.observation, this.index, node) * 1e6);
  }
}
