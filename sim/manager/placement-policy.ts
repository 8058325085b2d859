// The management layer's placement policies (policies/placement: static, random, least-loaded) as
// the engine's Placement, which the metadata workflow calls when an automaton is activated and
// records as an event (replay never asks again). The policy sees an Observation with the nodes as
// the monitor last saw them (their up flags from the workflow's pools) and the one automaton to
// place, pending; it answers with a `place` decision, or none (no node fits: the workflow waits).
//
// Between observations a burst of activations would all see the same utilisation, so each node's
// utilisation is raised by its count of active automata × loadPerAutomaton (a tie-breaker far
// below any measured load): a burst spreads instead of piling onto the node idle at the last look.
//
// When the policy accepts no node but a serverless pool is up, the activation goes there (a message
// is waiting; scaled-in pools may never come back).
//
// The actuators steer single activations through `PlacementOverrides`: a `place` decision pins the
// next activation of an automaton to its nodes, `activateOnDemand` to a compute pool (serverless
// on demand). An override is used once (by the first attempt of the step that places it: a
// metadata step redone after a crash asks the policy instead).

import type { Random } from "../../engine/io/random.ts";
import type { Placement, PlacementChoice, Pools } from "../../engine/runtime/placement.ts";
import type { AutomatonObservation, NodeObservation, Observation } from "../../policies/observation.ts";
import { policyContextDefault, type Policy, type PolicyParams } from "../../policies/policy.ts";
import type { PriceBook } from "../../policies/price-book.ts";

/** Utilisation added per active automaton on a node, to spread bursts (see header). */
export const loadPerAutomaton = 1e-6;

export type PlacementOverride =
  | { readonly kind: "nodes"; readonly computeNode: string; readonly darqNode: string }
  | { readonly kind: "pool"; readonly computePool: string };

export class PlacementOverrides {
  private readonly byId = new Map<string, PlacementOverride>();

  set(id: string, override: PlacementOverride): void {
    this.byId.set(id, override);
  }

  /** The override of `id`, removed (it steers one activation). */
  take(id: string): PlacementOverride | undefined {
    const override = this.byId.get(id);
    if (override !== undefined) this.byId.delete(id);
    return override;
  }

  get size(): number {
    return this.byId.size;
  }
}

export type NodesView = {
  readonly nodes: () => readonly NodeObservation[];
  readonly prices: PriceBook;
  readonly nowUs: () => number;
};

function nodesNow(view: NodesView, pools: Pools, counts: Readonly<Record<string, number>>): NodeObservation[] {
  const up = new Map<string, boolean>();
  for (const node of pools.compute) up.set(node.id, node.up);
  for (const node of pools.darq) up.set(node.id, node.up);
  const nodes: NodeObservation[] = [];
  for (const node of view.nodes()) {
    const isUp = up.get(node.id);
    if (isUp === undefined) continue;
    nodes.push({ ...node, state: isUp ? node.state : "down", utilisation: node.utilisation + (counts[node.id] ?? 0) * loadPerAutomaton });
  }
  return nodes;
}

/** The automaton to place, as a policy sees one it has never observed. */
function pendingAutomaton(id: string): AutomatonObservation {
  return {
    id, type: id.slice(0, id.indexOf("/")), messagesInPerS: 0, messagesOutPerS: 0, stepsPerS: 0, stepLatencyUsP50: 0, stepLatencyUsP99: 0,
    computeCoreUsPerStep: 0, bytesInPerS: 0, bytesOutPerS: 0, logBytesPerS: 0, logBytes: 0, backlogMessages: 0,
    placement: { computeNode: null, darqNode: null }, placedAtUs: 0, idleSinceUs: null, pending: true, standbys: [], mergedInto: null,
  };
}

function observationFor(view: NodesView, id: string, nodes: readonly NodeObservation[]): Observation {
  const nowUs = view.nowUs();
  return {
    windowStartUs: Math.max(0, nowUs - 1), windowEndUs: Math.max(1, nowUs), nodes, pools: [], talk: [], spend: null, prices: view.prices,
    automata: [pendingAutomaton(id)],
  };
}

/** The engine Placement that asks `policy` (with the overrides first). */
export function placementOfPolicy(policy: Policy, params: PolicyParams, random: Random, view: NodesView, overrides: PlacementOverrides): Placement {
  return (id, _type, pools, load): PlacementChoice | null => {
    const override = overrides.take(id);
    const upCompute = pools.compute.filter((node) => node.up);
    const upDarq = pools.darq.filter((node) => node.up);
    if (override?.kind === "nodes" && upCompute.some((node) => node.id === override.computeNode) && upDarq.some((node) => node.id === override.darqNode)) {
      return { computeNode: override.computeNode, darqNode: override.darqNode };
    }
    const nodes = nodesNow(view, pools, load.automataByNode);
    const decisions = policy(observationFor(view, id, nodes), params, random, policyContextDefault);
    const place = decisions.find((decision) => decision.kind === "place" && decision.automaton === id);
    const darqNode = place?.kind === "place" ? place.darqNode : upDarq[0]?.id;
    if (override?.kind === "pool") {
      // On demand: the pool's least used node (a serverless pool is one node); the DARQ is kept.
      const inPool = nodes.filter((node) => node.kind !== "darq" && node.state === "up" && node.pool === override.computePool)
        .sort((left, right) => left.utilisation - right.utilisation || (left.id < right.id ? -1 : 1));
      if (inPool[0] !== undefined && darqNode !== undefined) return { computeNode: inPool[0].id, darqNode };
    }
    // A dormant automaton's log stays where it is: the workflow keeps its DARQ node whatever we say.
    if (place?.kind === "place") return { computeNode: place.computeNode, darqNode: place.darqNode };
    // A message waits and the policy accepts no node (its pools are gone, scaled in): serverless on
    // demand rather than waiting for a node that may never come.
    const serverless = nodes.find((node) => node.kind === "serverless" && node.state === "up");
    return serverless !== undefined && darqNode !== undefined ? { computeNode: serverless.id, darqNode } : null;
  };
}
