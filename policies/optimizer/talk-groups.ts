// Groups of automata that talk heavily, for co-location and merging (paper §4.1 "co-locating
// automata that frequently communicate", §2 "super automata"). Pairs are ranked by messages/s
// (both directions summed); groups grow Kruskal-style from the heaviest pair down, never beyond
// groupAutomataMax members, so one chatty hub cannot pull the whole application onto one DARQ.
//
// A group's anchor is the DARQ node that already holds most of its step rate (fewest bytes to
// move), ties to the lower id. Whether moving pays: each message between members that today
// crosses DARQs saves a network hop plus an IN commit (the receiver's flush p50) at every
// message, over the horizon H; each moved automaton pauses for p seconds, delaying the λ·p
// messages that arrive meanwhile by p/2 on average: λ·p²/2 message-seconds. The group moves
// when saved > lost·(1 + hysteresis).

import type { AutomatonObservation, NodeObservation, Observation, ObservationIndex } from "../observation.ts";
import type { LinkClass } from "../price-book.ts";

export type TalkGroup = { readonly members: readonly AutomatonObservation[]; readonly messagesPerS: number };

class UnionFind {
  private readonly parent = new Map<string, string>();
  private readonly size = new Map<string, number>();

  root(id: string): string {
    let node = id;
    while (this.parent.has(node) && this.parent.get(node) !== node) node = this.parent.get(node)!;
    this.parent.set(id, node);
    return node;
  }

  sizeOf(id: string): number {
    return this.size.get(this.root(id)) ?? 1;
  }

  join(left: string, right: string): void {
    const leftRoot = this.root(left);
    const rightRoot = this.root(right);
    if (leftRoot === rightRoot) return;
    const [big, small] = leftRoot < rightRoot ? [leftRoot, rightRoot] : [rightRoot, leftRoot];
    this.parent.set(small, big);
    this.parent.set(big, big);
    this.size.set(big, this.sizeOf(big) + this.sizeOf(small));
  }
}

/** Pairs with at least `messagesPerSMin` (both directions), heaviest first, among `eligible`. */
function heavyPairs(observation: Observation, eligible: (automaton: AutomatonObservation) => boolean, index: ObservationIndex, messagesPerSMin: number) {
  const pairs = new Map<string, { left: string; right: string; messagesPerS: number }>();
  for (const edge of observation.talk) {
    if (edge.from === edge.to) continue;
    const left = edge.from < edge.to ? edge.from : edge.to;
    const right = edge.from < edge.to ? edge.to : edge.from;
    const key = `${left}\u0000${right}`;
    const pair = pairs.get(key) ?? { left, right, messagesPerS: 0 };
    pair.messagesPerS += edge.messagesPerS;
    pairs.set(key, pair);
  }
  return [...pairs.values()]
    .filter((pair) => pair.messagesPerS >= messagesPerSMin)
    .filter((pair) => [pair.left, pair.right].every((id) => { const automaton = index.automaton.get(id); return automaton !== undefined && eligible(automaton); }))
    .sort((a, b) => b.messagesPerS - a.messagesPerS || (a.left < b.left ? -1 : a.left > b.left ? 1 : a.right < b.right ? -1 : 1));
}

/** Heavy-talker groups of two or more, heaviest first. */
export function talkGroups(
  observation: Observation, index: ObservationIndex, messagesPerSMin: number, groupAutomataMax: number,
  eligible: (automaton: AutomatonObservation) => boolean,
): TalkGroup[] {
  const sets = new UnionFind();
  const pairs = heavyPairs(observation, eligible, index, messagesPerSMin);
  for (const pair of pairs) {
    if (sets.root(pair.left) === sets.root(pair.right)) continue;
    if (sets.sizeOf(pair.left) + sets.sizeOf(pair.right) > groupAutomataMax) continue;
    sets.join(pair.left, pair.right);
  }
  const groups = new Map<string, { members: AutomatonObservation[]; messagesPerS: number }>();
  for (const pair of pairs) {
    const root = sets.root(pair.left);
    if (root !== sets.root(pair.right)) continue;
    const group = groups.get(root) ?? { members: [], messagesPerS: 0 };
    group.messagesPerS += pair.messagesPerS;
    for (const id of [pair.left, pair.right]) if (!group.members.some((member) => member.id === id)) group.members.push(index.automaton.get(id)!);
    groups.set(root, group);
  }
  return [...groups.values()]
    .map((group) => ({ members: [...group.members].sort((a, b) => (a.id < b.id ? -1 : 1)), messagesPerS: group.messagesPerS }))
    .sort((a, b) => b.messagesPerS - a.messagesPerS || (a.members[0]!.id < b.members[0]!.id ? -1 : 1));
}

/** The up DARQ node holding most of the group's step rate (ties: lower id), or undefined. */
export function anchorDarq(group: TalkGroup, index: ObservationIndex): NodeObservation | undefined {
  const rates = new Map<string, number>();
  for (const member of group.members) {
    const darq = member.placement.darqNode;
    if (darq === null || index.node.get(darq)?.state !== "up") continue;
    rates.set(darq, (rates.get(darq) ?? 0) + member.stepsPerS + 1e-9);
  }
  let best: string | undefined;
  for (const [darq, rate] of rates) {
    if (best === undefined || rate > rates.get(best)! || (rate === rates.get(best)! && darq < best)) best = darq;
  }
  return best === undefined ? undefined : index.node.get(best);
}

function linkOf(source: NodeObservation, target: NodeObservation): LinkClass {
  return source.zone === target.zone ? "sameZone" : "crossZone";
}

/** Message-µs per second saved by putting the whole group on `anchor` (see header). */
export function colocationSavedUsPerS(observation: Observation, index: ObservationIndex, group: TalkGroup, anchor: NodeObservation): number {
  const members = new Set(group.members.map((member) => member.id));
  let saved = 0;
  for (const edge of observation.talk) {
    if (!members.has(edge.from) || !members.has(edge.to)) continue;
    const sourceId = index.automaton.get(edge.from)!.placement.darqNode;
    const targetId = index.automaton.get(edge.to)!.placement.darqNode;
    const source = sourceId === null ? undefined : index.node.get(sourceId);
    const target = targetId === null ? undefined : index.node.get(targetId);
    if (source === undefined || target === undefined || source.id === target.id) continue;
    const flushUs = observation.prices.storageTiers[anchor.storageTier ?? ""]?.flushLatency.p50Us ?? 0;
    saved += edge.messagesPerS * (observation.prices.links[linkOf(source, target)].oneWayLatency.p50Us + flushUs);
  }
  return saved;
}

/** Message-µs lost to a pause of `pauseUs` for an automaton stepping `stepsPerS`: λ·p²/2. */
export function pauseLossUs(stepsPerS: number, pauseUs: number): number {
  return (stepsPerS * pauseUs * pauseUs) / 2e6;
}
