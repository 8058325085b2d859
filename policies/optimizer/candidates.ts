// Candidate targets for an optimizer's moves. Trying every node for every automaton is what makes
// naive optimizers slow; nodes of one pool in one zone are interchangeable but for their load, so
// one representative each (the least utilised) stands for the group. To those come the nodes of
// the automaton's heaviest talk partners (where co-location pays) and the spare cores of each
// candidate DARQ (compute in the DARQ's process).

import { byId } from "../policy.ts";
import type { NodeObservation, Observation, ObservationIndex, TalkEdge } from "../observation.ts";

/** Talk partners per automaton, heaviest first (both directions summed). */
export function talkPartners(talk: readonly TalkEdge[]): Map<string, { id: string; messagesPerS: number }[]> {
  const sums = new Map<string, Map<string, number>>();
  const add = (from: string, to: string, rate: number) => {
    const row = sums.get(from) ?? new Map<string, number>();
    row.set(to, (row.get(to) ?? 0) + rate);
    sums.set(from, row);
  };
  for (const edge of talk) {
    if (edge.from === edge.to) continue;
    add(edge.from, edge.to, edge.messagesPerS);
    add(edge.to, edge.from, edge.messagesPerS);
  }
  const partners = new Map<string, { id: string; messagesPerS: number }[]>();
  for (const [id, row] of sums) {
    const list = [...row].map(([other, messagesPerS]) => ({ id: other, messagesPerS }));
    list.sort((left, right) => right.messagesPerS - left.messagesPerS || (left.id < right.id ? -1 : 1));
    partners.set(id, list);
  }
  return partners;
}

/** One node per (kind, pool, zone, size, tier): the least utilised, ties to the lower id. */
export function representatives(nodes: readonly NodeObservation[]): NodeObservation[] {
  const best = new Map<string, NodeObservation>();
  for (const node of byId(nodes)) {
    // Size and tier are in the key too: a pool is meant to be uniform, but nothing enforces it.
    const key = `${node.kind}|${node.pool}|${node.zone}|${node.size}|${node.storageTier}`;
    const held = best.get(key);
    if (held === undefined || node.utilisation < held.utilisation) best.set(key, node);
  }
  return byId([...best.values()]);
}

export type Targets = { readonly compute: readonly NodeObservation[]; readonly darq: readonly NodeObservation[] };

/** Candidate compute and DARQ nodes for one automaton (current nodes excluded by the caller). */
export function targetsFor(
  automatonId: string, index: ObservationIndex, base: Targets, partners: ReadonlyMap<string, readonly { id: string }[]>, partnersMax: number,
): Targets {
  const compute = new Map(base.compute.map((node) => [node.id, node]));
  const darq = new Map(base.darq.map((node) => [node.id, node]));
  for (const partner of (partners.get(automatonId) ?? []).slice(0, partnersMax)) {
    const placement = index.automaton.get(partner.id)?.placement;
    const partnerCompute = placement?.computeNode == null ? undefined : index.node.get(placement.computeNode);
    const partnerDarq = placement?.darqNode == null ? undefined : index.node.get(placement.darqNode);
    if (partnerCompute !== undefined && partnerCompute.state === "up") compute.set(partnerCompute.id, partnerCompute);
    if (partnerDarq !== undefined && partnerDarq.state === "up") darq.set(partnerDarq.id, partnerDarq);
  }
  return { compute: byId([...compute.values()]), darq: byId([...darq.values()]) };
}

/** Up darq-spare compute nodes by the DARQ node they share a machine with. */
export function sparesByHost(observation: Observation): Map<string, NodeObservation> {
  const spares = new Map<string, NodeObservation>();
  for (const node of byId(observation.nodes)) {
    if (node.kind === "darq-spare" && node.state === "up" && node.hostNode !== null && !spares.has(node.hostNode)) spares.set(node.hostNode, node);
  }
  return spares;
}
