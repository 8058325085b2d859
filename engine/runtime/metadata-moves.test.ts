// The metadata automaton's decisions for the optimizer's moves, as a pure function (STYLE 3):
// migrate (which requests apply, what the operation remembers, what the record says after it),
// moveCompute, standbys (never on the primary's node; asked again, resumed where they are; removed), the
// failover that replaces recovery when a primary with an up standby fails, parking on
// deactivation (and waking a parked automaton anywhere), and a migration the cluster refuses.

import test from "ava";
import type { LogicalState } from "../darq/index.ts";
import type { AutomatonId } from "./ids.ts";
import { metadataApply, metadataDefinition } from "./metadata-automaton.ts";
import {
  metadataId, metadataInitial, opActions, type ActionResult, type MetadataEvent, type MetadataMessage, type MetadataState,
} from "./metadata-types.ts";
import { placementRoundRobin, type ComputeNodeInfo, type DarqNodeInfo } from "./placement.ts";
import { buildStep } from "./step-builder.ts";

const definition = metadataDefinition(placementRoundRobin);
const compute: ComputeNodeInfo[] = ["c1", "c2", "c3"].map((id) => ({ id, kind: "vm", pool: "vm", zone: "z", cores: 2, darqNode: null, up: true }));
const darq: DarqNodeInfo[] = ["d1", "d2"].map((id) => ({ id, tier: "ssd", pool: "ssd", zone: "z", up: true }));
const a = "counter/a";

function step(state: MetadataState, message: MetadataMessage): { state: MetadataState; events: MetadataEvent[] } {
  const built = buildStep(definition, metadataId as AutomatonId, state, message, { lsn: 1, nowUs: 0, replyTo: undefined });
  if (!built.ok) throw new Error(built.reason);
  let next = structuredClone(state);
  for (const event of built.value.events) next = metadataApply(next, event);
  return { state: next, events: [...built.value.events] };
}

/** Reports every action of the running operation of `a` done (`results` overrides some). */
function complete(state: MetadataState, results: Record<string, ActionResult> = {}): MetadataState {
  for (let guard = 0; guard < 20 && state.ops[a] !== undefined; guard++) {
    const op = state.ops[a]!;
    const name = opActions[op.kind][op.action]!;
    const result = results[name] ?? { outcome: "done", version: op.version + 1, incarnation: op.incarnation + 1 };
    state = step(state, { type: "progress", id: a, opId: op.opId, action: op.action, computeNode: op.computeNode, result }).state;
  }
  return state;
}

/** `a` active on c1 / d1. */
function active(): MetadataState {
  const booted = step(metadataInitial(), { type: "pools", compute, darq, types: { counter: 1 } }).state;
  return complete(step(booted, { type: "activate", id: a }).state);
}

test("a migration applies only to an active automaton and a different, up DARQ node", (t) => {
  const state = active();
  t.like(state.automata[a], { darqNode: "d1", computeNode: "c1" });
  t.deepEqual(step(state, { type: "migrate", id: a, darqNode: "d1" }).events, [], "already there");
  t.deepEqual(step(state, { type: "migrate", id: a, darqNode: "d9" }).events, [], "no such node");
  t.deepEqual(step(state, { type: "migrate", id: "counter/b", darqNode: "d2" }).events, [], "not active");
  const down = step(state, { type: "nodeDown", node: "d2" }).state;
  t.deepEqual(step(down, { type: "migrate", id: a, darqNode: "d2" }).events, [], "target down");
  const started = step(state, { type: "migrate", id: a, darqNode: "d2", computeNode: "c2" }).state;
  t.like(started.ops[a], { kind: "migrate", darqSource: "d1", darqNode: "d2", computeNode: "c2", abandoned: ["c1"] });
  t.deepEqual(step(started, { type: "moveCompute", id: a, computeNode: "c3" }).events, [], "one operation at a time");
  const moved = complete(started);
  t.like(moved.automata[a], { darqNode: "d2", computeNode: "c2" });
  t.is(moved.opsFinished.migrate, 1);
});

test("moveCompute moves the processor only, and only to another up node", (t) => {
  const state = active();
  t.deepEqual(step(state, { type: "moveCompute", id: a, computeNode: "c1" }).events, []);
  const started = step(state, { type: "moveCompute", id: a, computeNode: "c3" }).state;
  t.like(started.ops[a], { kind: "moveCompute", darqNode: "d1", computeNode: "c3", abandoned: ["c1"] });
  t.like(complete(started).automata[a], { darqNode: "d1", computeNode: "c3" });
});

test("a standby never shares the primary's node; asking again resumes it where it is", (t) => {
  const state = active();
  t.deepEqual(step(state, { type: "addStandby", id: a, computeNode: "c1" }).events, []);
  const withStandby = complete(step(state, { type: "addStandby", id: a }).state);
  t.is(withStandby.automata[a]!.standby, "c2");
  t.like(step(withStandby, { type: "addStandby", id: a, computeNode: "c3" }).state.ops[a], { kind: "addStandby", computeNode: "c2" });
  const refused = complete(step(state, { type: "addStandby", id: a }).state, { standbyStart: { outcome: "replace", reason: "no link" } });
  t.is(refused.automata[a]!.standby ?? null, null, "a node that cannot take it: no standby");
});

test("a primary's node failing fails over to an up standby, else recovers cold", (t) => {
  const withStandby = complete(step(active(), { type: "addStandby", id: a }).state);
  const failing = step(withStandby, { type: "nodeDown", node: "c1" }).state;
  t.like(failing.ops[a], { kind: "failover", computeNode: "c2", abandoned: ["c1"] });
  const after = complete(failing);
  t.like(after.automata[a], { computeNode: "c2" });
  t.is(after.automata[a]!.standby ?? null, null, "the standby became the primary");
  const standbyDown = step(withStandby, { type: "nodeDown", node: "c2" }).state;
  t.like(step(standbyDown, { type: "nodeDown", node: "c1" }).state.ops[a], { kind: "recover", computeNode: "c3" });
  t.like(step(standbyDown, { type: "nodeUp", node: "c2" }).state.ops[a], { kind: "addStandby", computeNode: "c2" });
});

const parked: LogicalState = { name: a, incarnation: 3, producers: [], sources: [], pairs: [], selves: [new Uint8Array([1])], ins: [] };

test("a deactivation that parks keeps the logical DARQ in the record; an activation adopts it anywhere", (t) => {
  const dormant = complete(step(active(), { type: "deactivate", id: a }).state, { darqPark: { outcome: "done", parked } });
  t.like(dormant.automata[a], { computeNode: null, parked });
  t.deepEqual(step(dormant, { type: "nodeUp", node: "d1" }).events.filter((event) => event.type === "opStarted"), [], "nothing to watch");
  const down = step(dormant, { type: "nodeDown", node: "d1" }).state;
  t.like(step(down, { type: "activate", id: a }).state.ops[a], { kind: "activate", darqNode: "d2", parked });
  const woken = complete(step(dormant, { type: "activate", id: a }).state);
  t.is(woken.automata[a]!.parked, undefined);
});

test("a parked state with input that raced the fence is activated again at once", (t) => {
  const raced = { ...parked, ins: [{ body: new Uint8Array([2]), from: "client", fromDarq: false, seq: 1 }] };
  const state = step(active(), { type: "deactivate", id: a }).state;
  const finished = complete(state, { darqPark: { outcome: "done", parked: raced }, catalogDelete: { outcome: "done" } });
  t.is(finished.opsFinished.deactivate, 1);
  t.is(finished.opsFinished.activate, 2, "the wake-up activation ran after the deactivation");
  t.like(finished.automata[a], { computeNode: "c2" });
  t.is(finished.automata[a]!.parked, undefined);
});

test("a migration the cluster refuses at its fence is dropped with nothing changed", (t) => {
  const state = active();
  const started = step(state, { type: "migrate", id: a, darqNode: "d2" }).state;
  const refused = { outcome: "replace", reason: "cannot migrate" } as const;
  const dropped = step(started, { type: "progress", id: a, opId: started.ops[a]!.opId, action: 0, computeNode: started.ops[a]!.computeNode, result: refused }).state;
  t.is(dropped.ops[a], undefined);
  t.deepEqual(dropped.automata[a], state.automata[a]);
});

test("a recovery asked for while a standby is being added follows it, never is dropped", (t) => {
  const adding = step(active(), { type: "addStandby", id: a }).state;
  t.is(adding.ops[a]!.kind, "addStandby");
  const down = step(adding, { type: "nodeDown", node: "c1" }).state;
  t.is(down.ops[a]!.then, "recover", "the primary's node failing");
  const lost = step(adding, { type: "recover", id: a, computeNode: "c1" }).state;
  t.is(lost.ops[a]!.then, "recover", "the primary reported lost");
  const after = complete(down);
  t.is(after.opsFinished.recover, 1);
  t.not(after.automata[a]!.computeNode, "c1");
});

test("removing a standby stops it where the record names it; a failure meanwhile recovers after it, never is dropped", (t) => {
  const withStandby = complete(step(active(), { type: "addStandby", id: a, computeNode: "c2" }).state);
  t.deepEqual(step(active(), { type: "removeStandby", id: a }).events, [], "no standby: nothing to remove");
  t.deepEqual(step(withStandby, { type: "removeStandby", id: a, computeNode: "c3" }).events, [], "no standby on c3");
  const removing = step(withStandby, { type: "removeStandby", id: a }).state;
  t.like(removing.ops[a], { kind: "removeStandby", computeNode: "c1", abandoned: ["c2"] });
  const removed = complete(removing);
  t.like(removed.automata[a], { computeNode: "c1", darqNode: "d1" });
  t.false(Object.hasOwn(removed.automata[a]!, "standby"), "the record names no standby");
  t.is(removed.opsFinished.removeStandby, 1);
  const down = step(removing, { type: "nodeDown", node: "c1" }).state;
  t.is(down.ops[a]!.then, "recover", "the primary's node failing: a recovery, since the standby is going");
  const lost = step(removing, { type: "recover", id: a, computeNode: "c1" }).state;
  t.is(lost.ops[a]!.then, "recover", "the primary reported lost");
  const back = step(step(removing, { type: "nodeDown", node: "c2" }).state, { type: "nodeUp", node: "c2" }).state;
  t.is(back.ops[a]!.then, null, "the standby's node back does not bring the standby back");
  const after = complete(down);
  t.is(after.opsFinished.recover, 1);
  t.is(after.automata[a]!.standby ?? null, null);
});

/** `a` on c1 with its standby on c2, then every compute node down (the standby's first). */
function allComputeDown(): MetadataState {
  let state = complete(step(active(), { type: "addStandby", id: a, computeNode: "c2" }).state);
  for (const node of ["c2", "c3", "c1"]) state = step(state, { type: "nodeDown", node }).state;
  return state;
}

test("a recovery waiting for a compute node goes first when the standby's node is back; the standby follows", (t) => {
  const down = allComputeDown();
  t.is(down.ops[a], undefined);
  t.true(down.waiting[a], "no compute node up: the recovery waits");
  const back = step(down, { type: "nodeUp", node: "c2" }).state;
  t.like(back.ops[a], { kind: "recover", computeNode: "c2", then: "addStandby" });
  t.false(Object.hasOwn(back.waiting, a), "no longer waiting");
  const after = complete(back);
  t.is(after.opsFinished.recover, 1);
  t.like(after.automata[a], { computeNode: "c2" });
  t.is(after.automata[a]!.standby ?? null, null, "no other node up to hold a standby");
});

test("an operation that starts no processor, run while a recovery waits, is followed by that recovery", (t) => {
  const removing = step(allComputeDown(), { type: "removeStandby", id: a }).state;
  t.like(removing.ops[a], { kind: "removeStandby", then: "recover" });
  const back = step(removing, { type: "nodeUp", node: "c3" }).state;
  t.is(back.ops[a]!.kind, "removeStandby", "the node coming back meanwhile starts nothing");
  const after = complete(back);
  t.is(after.opsFinished.recover, 1);
  t.like(after.automata[a], { computeNode: "c3" });
  t.false(Object.hasOwn(after.waiting, a));
});
