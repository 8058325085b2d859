// The metadata automaton keeps a standby's record true to the cluster, as a pure function
// (STYLE 3): an operation that was once placed on the standby's node ended the standby there, so
// the record must not name it afterwards; and a standby's node coming back while a queued
// operation holds the single follow-up slot still gets its standby restarted.

import test from "ava";
import type { AutomatonId } from "./ids.ts";
import { metadataApply, metadataDefinition } from "./metadata-automaton.ts";
import { metadataId, metadataInitial, opActions, type MetadataMessage, type MetadataState } from "./metadata-types.ts";
import { placementRoundRobin, type ComputeNodeInfo, type DarqNodeInfo } from "./placement.ts";
import { buildStep } from "./step-builder.ts";

const definition = metadataDefinition(placementRoundRobin);
const compute: ComputeNodeInfo[] = ["c1", "c2", "c3"].map((id) => ({ id, kind: "vm", pool: "vm", zone: "z", cores: 2, darqNode: null, up: true }));
const darq: DarqNodeInfo[] = ["d1", "d2"].map((id) => ({ id, tier: "ssd", pool: "ssd", zone: "z", up: true }));
const a = "counter/a";

function step(state: MetadataState, message: MetadataMessage): MetadataState {
  const built = buildStep(definition, metadataId as AutomatonId, state, message, { lsn: 1, nowUs: 0, replyTo: undefined });
  if (!built.ok) throw new Error(built.reason);
  let next = structuredClone(state);
  for (const event of built.value.events) next = metadataApply(next, event);
  return next;
}

/** Reports the running operation's current action of `a` done. */
function actionDone(state: MetadataState): MetadataState {
  const op = state.ops[a]!;
  const result = { outcome: "done", version: op.version + 1, incarnation: op.incarnation + 1 } as const;
  return step(state, { type: "progress", id: a, opId: op.opId, action: op.action, computeNode: op.computeNode, result });
}

/** Reports every action done until `a` has no operation running; returns the kinds finished, in order. */
function complete(state: MetadataState): { state: MetadataState; kinds: string[] } {
  const kinds: string[] = [];
  for (let guard = 0; guard < 30 && state.ops[a] !== undefined; guard++) {
    const op = state.ops[a]!;
    if (op.action === opActions[op.kind].length - 1) kinds.push(`${op.kind}@${op.computeNode}`);
    state = actionDone(state);
  }
  return { state, kinds };
}

/** `a` active on c1 / d1. */
function active(): MetadataState {
  const booted = step(metadataInitial(), { type: "pools", compute, darq, types: { counter: 1 } });
  return complete(step(booted, { type: "activate", id: a })).state;
}

test("a recovery once placed on the standby's node (then moved away) leaves a record without that standby", (t) => {
  // c3 down: the recovery can only be placed on c2, where the standby is being started.
  let state = step(active(), { type: "nodeDown", node: "c3" });
  state = step(state, { type: "addStandby", id: a, computeNode: "c2" });
  state = step(state, { type: "nodeDown", node: "c1" });
  t.like(state.ops[a], { kind: "addStandby", then: "recover" });
  state = actionDone(state);
  // A queued recovery re-asserts the standby after it (second test).
  t.like(state.ops[a], { kind: "recover", computeNode: "c2", then: "addStandby" });
  t.is(state.automata[a]!.standby, "c2");
  // c2 fails before the processor starts there and c3 is back: the recovery moves to c3, and its
  // processorStopAbandoned fences c2, which ends the standby kept there.
  state = step(state, { type: "nodeUp", node: "c3" });
  state = step(state, { type: "nodeDown", node: "c2" });
  t.like(state.ops[a], { kind: "recover", computeNode: "c3" });
  t.true(state.ops[a]!.abandoned.includes("c2"));
  const after = complete(state).state;
  t.like(after.automata[a], { computeNode: "c3" });
  t.is(after.automata[a]!.standby ?? null, null, "the standby the recovery ended is not named");
});

test("a standby's node back while a queued recovery holds the follow-up slot: the standby is restarted after it", (t) => {
  let state = complete(step(active(), { type: "addStandby", id: a, computeNode: "c2" })).state;
  t.is(state.automata[a]!.standby, "c2");
  state = step(state, { type: "nodeDown", node: "c2" });
  state = step(state, { type: "recover", id: a });
  // The log's DARQ node restarts meanwhile: a second recovery is queued behind the first.
  state = step(state, { type: "nodeDown", node: "d1" });
  state = step(state, { type: "nodeUp", node: "d1" });
  t.like(state.ops[a], { kind: "recover", then: "recover" });
  // The standby's node restarts (its standby is gone); its restart cannot take the slot.
  state = step(state, { type: "nodeUp", node: "c2" });
  const { state: after, kinds } = complete(state);
  t.deepEqual(kinds, ["recover@c1", "recover@c1", "addStandby@c2"]);
  t.is(after.automata[a]!.standby, "c2");
});
