// The metadata automaton's decisions as a pure function (STYLE 3: feed messages, compare the
// events the step stages): placement recorded when an operation starts; repeated requests
// absorbed; stale progress reports ignored (earlier operation, earlier action, or a placement it
// has since left); the last report finishes the operation and starts what waited; a compute node
// going down re-places an operation that has not started its processor (new epoch, old node
// remembered as abandoned) and queues a recovery for one that has; reserved and unknown types are
// never activated.

import test from "ava";
import type { AutomatonId } from "./ids.ts";
import { metadataApply, metadataDefinition } from "./metadata-automaton.ts";
import { metadataId, metadataInitial, type MetadataEvent, type MetadataMessage, type MetadataState } from "./metadata-types.ts";
import { placementRoundRobin, type ComputeNodeInfo, type DarqNodeInfo } from "./placement.ts";
import { buildStep } from "./step-builder.ts";

const definition = metadataDefinition(placementRoundRobin);
const compute: ComputeNodeInfo[] = ["c1", "c2"].map((id) => ({ id, kind: "vm", pool: "vm", zone: "z", cores: 2, darqNode: null, up: true }));
const darq: DarqNodeInfo[] = ["d1", "d2"].map((id) => ({ id, tier: "ssd", pool: "ssd", zone: "z", up: true }));

/** Handles `message` from `state`, applies the events, and answers both. */
function step(state: MetadataState, message: MetadataMessage): { state: MetadataState; events: MetadataEvent[] } {
  const built = buildStep(definition, metadataId as AutomatonId, state, message, { lsn: 1, nowUs: 0, replyTo: undefined });
  if (!built.ok) throw new Error(built.reason);
  const events = [...built.value.events];
  let next = structuredClone(state);
  for (const event of events) next = metadataApply(next, event);
  return { state: next, events };
}

function booted(): MetadataState {
  return step(metadataInitial(), { type: "pools", compute, darq, types: { counter: 1 } }).state;
}

function types(events: readonly MetadataEvent[]): string[] {
  return events.map((event) => event.type);
}

test("an activation records its placement and epoch; a second request while it runs changes nothing", (t) => {
  const { state, events } = step(booted(), { type: "activate", id: "counter/a" });
  t.deepEqual(types(events), ["opStarted"]);
  t.like(state.ops["counter/a"], { kind: "activate", computeNode: "c1", darqNode: "d1", action: 0, epoch: 1 });
  t.deepEqual(step(state, { type: "activate", id: "counter/a" }).events, []);
  t.deepEqual(step(state, { type: "recover", id: "counter/a" }).events, []);
});

test("reserved and unregistered types are never activated", (t) => {
  t.deepEqual(step(booted(), { type: "activate", id: "ssms.client/x/1" }).events, []);
  t.deepEqual(step(booted(), { type: "activate", id: "sink/out" }).events, []);
});

test("progress advances only the current action of the current operation at its current placement", (t) => {
  let state = step(booted(), { type: "activate", id: "counter/a" }).state;
  const done = { outcome: "done", version: 7 } as const;
  t.deepEqual(step(state, { type: "progress", id: "counter/a", opId: 9, action: 0, computeNode: "c1", result: done }).events, []);
  t.deepEqual(step(state, { type: "progress", id: "counter/a", opId: 1, action: 1, computeNode: "c1", result: done }).events, []);
  t.deepEqual(step(state, { type: "progress", id: "counter/a", opId: 1, action: 0, computeNode: "c2", result: done }).events, []);
  state = step(state, { type: "progress", id: "counter/a", opId: 1, action: 0, computeNode: "c1", result: done }).state;
  t.like(state.ops["counter/a"], { action: 1, version: 7 });
});

test("the last report finishes the operation, records the automaton, and starts what waited", (t) => {
  let state = step(booted(), { type: "activate", id: "counter/a" }).state;
  const results = [{ outcome: "done", version: 3 }, { outcome: "done" }, { outcome: "done", incarnation: 2 }, { outcome: "done", version: 4 }] as const;
  for (const [action, result] of results.entries()) {
    state = step(state, { type: "progress", id: "counter/a", opId: 1, action, computeNode: "c1", result }).state;
  }
  state = step(state, { type: "deactivate", id: "counter/a" }).state;
  t.is(state.ops["counter/a"]!.then, "deactivate");
  const last = step(state, { type: "progress", id: "counter/a", opId: 1, action: 4, computeNode: "c1", result: { outcome: "done" } });
  t.deepEqual(types(last.events), ["opFinished", "opStarted"]);
  t.deepEqual(last.state.automata["counter/a"], { darqNode: "d1", computeNode: "c1", version: 4, incarnation: 2, typeVersion: 1 });
  t.like(last.state.ops["counter/a"], { kind: "deactivate", version: 4, computeNode: "c1" });
  t.is(last.state.opsFinished.activate, 1);
});

test("a compute node going down re-places a pending start and queues recovery of a started one", (t) => {
  let state = step(booted(), { type: "activate", id: "counter/a" }).state; // on c1
  state = step(state, { type: "activate", id: "counter/b" }).state; // on c2
  const toProcessorStart = (id: string, opId: number, node: string, actions: number): void => {
    for (let action = 0; action < actions; action++) {
      const result = action === 2 ? { outcome: "done", incarnation: 2 } as const : { outcome: "done", version: 5 } as const;
      state = step(state, { type: "progress", id, opId, action, computeNode: node, result }).state;
    }
  };
  toProcessorStart("counter/a", 1, "c1", 2); // a: at processorStart, not yet started
  const down = step(state, { type: "nodeDown", node: "c1" });
  t.deepEqual(types(down.events), ["nodeState", "opAdvanced"]);
  t.like(down.state.ops["counter/a"], { computeNode: "c2", action: 2, abandoned: ["c1"] });
  t.true(down.state.ops["counter/a"]!.epoch > 1, "a re-placed start gets a newer epoch");
  state = down.state;
  toProcessorStart("counter/b", 2, "c2", 3); // b: processor started on c2
  const downB = step(state, { type: "nodeDown", node: "c2" });
  t.is(downB.state.ops["counter/b"]!.then, "recover");
});
