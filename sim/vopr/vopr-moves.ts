// The optimizer's moves as VOPR operator actions: migrations of a logical DARQ (with or without its
// processor), processor moves, standbys and failovers, issued through the metadata workflow
// (cluster.request) during the safety phase, under the faults. The seed draws whether a case has
// any and how many (an optimizer's rate), each at a random time, on a random automaton and node.
// A move the workflow finds inapplicable when it arrives (the automaton dormant or busy, the node
// down, no standby to fail over to) is dropped by it, as an optimizer's stale decision would be.
//
// Like every action, moves are skipped by the oracle run: the invariants say that moving things
// around changes no output and no final state.

import type { Random } from "../../engine/io/random.ts";
import type { MetadataMessage } from "../../engine/runtime/metadata-types.ts";
import { pick } from "../distributions.ts";

export type VoprMove =
  | { readonly timeUs: number; readonly action: "migrate"; readonly target: string; readonly darqNode: string; readonly computeNode?: string }
  | { readonly timeUs: number; readonly action: "moveCompute"; readonly target: string; readonly computeNode: string }
  | { readonly timeUs: number; readonly action: "addStandby"; readonly target: string; readonly computeNode?: string }
  | { readonly timeUs: number; readonly action: "failover"; readonly target: string };

export const moveActions: readonly string[] = ["migrate", "moveCompute", "addStandby", "failover"];

export function isMove(entry: { readonly action?: unknown }): entry is VoprMove {
  return typeof entry.action === "string" && moveActions.includes(entry.action);
}

/** The seed's moves over [0, safetyUs) on hop/0 … hop/<counters-1>. */
export function movesDraw(random: Random, safetyUs: number, counters: number, darqs: readonly string[],
  computes: readonly string[]): VoprMove[] {
  if (!random.chance(0.4)) return [];
  const count = random.intRange(2, 12);
  const moves: VoprMove[] = [];
  for (let index = 0; index < count; index++) {
    const timeUs = random.int(safetyUs);
    const target = `hop/${random.int(counters)}`;
    const kind = pick(random, ["migrate", "migrate", "migrate", "moveCompute", "addStandby", "addStandby", "failover"] as const);
    if (kind === "migrate") {
      const computeNode = random.chance(0.5) ? pick(random, computes) : undefined;
      moves.push({ timeUs, action: kind, target, darqNode: pick(random, darqs), ...(computeNode === undefined ? {} : { computeNode }) });
    } else if (kind === "moveCompute") {
      moves.push({ timeUs, action: kind, target, computeNode: pick(random, computes) });
    } else if (kind === "addStandby") {
      moves.push({ timeUs, action: kind, target });
    } else {
      moves.push({ timeUs, action: kind, target });
    }
  }
  return moves.sort((a, b) => a.timeUs - b.timeUs);
}

/** The request the optimizer would send for `move`. */
export function moveMessage(move: VoprMove): MetadataMessage {
  switch (move.action) {
    case "migrate":
      return { type: "migrate", id: move.target, darqNode: move.darqNode, ...(move.computeNode === undefined ? {} : { computeNode: move.computeNode }) };
    case "moveCompute":
      return { type: "moveCompute", id: move.target, computeNode: move.computeNode };
    case "addStandby":
      return { type: "addStandby", id: move.target, ...(move.computeNode === undefined ? {} : { computeNode: move.computeNode }) };
    case "failover":
      return { type: "failover", id: move.target };
  }
}

/** How the trace and the fingerprint name `move`. */
export function moveText(move: VoprMove): string {
  const where = [("darqNode" in move ? move.darqNode : undefined), ("computeNode" in move ? move.computeNode : undefined)]
    .filter((node) => node !== undefined);
  return `${move.action} ${move.target}${where.length > 0 ? ` → ${where.join(",")}` : ""}`;
}

/** A move's line in a replay file (keys in a fixed order). */
export function moveLine(move: VoprMove): string {
  return JSON.stringify(move);
}

/** Checks a move read from a replay file; problems go to `say`. */
export function moveCheck(value: Readonly<Record<string, unknown>>, darqs: ReadonlySet<string>, computes: ReadonlySet<string>,
  say: (text: string) => void): void {
  const { action, target, darqNode, computeNode } = value;
  const keys: Record<string, readonly string[]> = {
    migrate: ["timeUs", "action", "target", "darqNode", "computeNode"], moveCompute: ["timeUs", "action", "target", "computeNode"],
    addStandby: ["timeUs", "action", "target", "computeNode"], failover: ["timeUs", "action", "target"],
  };
  const allowed = keys[String(action)] ?? [];
  for (const key of Object.keys(value)) if (!allowed.includes(key)) say(`${String(action)} has no key '${key}' (keys: ${allowed.join(", ")})`);
  if (!(typeof target === "string" && target.includes("/"))) say(`${String(action)} needs an automaton id as target, got ${JSON.stringify(target)}`);
  if (action === "migrate" && !(typeof darqNode === "string" && darqs.has(darqNode))) {
    say(`migrate needs darqNode, a DARQ node of the cluster (${[...darqs].join(", ")}), got ${JSON.stringify(darqNode)}`);
  }
  const computeRequired = action === "moveCompute";
  if ((computeRequired || computeNode !== undefined) && !(typeof computeNode === "string" && computes.has(computeNode))) {
    say(`${String(action)}: computeNode must be a compute node of the cluster (${[...computes].join(", ")}), got ${JSON.stringify(computeNode)}`);
  }
}
