// The Perfetto trace: valid JSON in Chrome trace-event form; one process track per node and one
// thread track per automaton, named by metadata events; steps as complete events on their
// automaton's track; each message as a paired flow whose ends sit on the starts of the sending and
// the consuming step's slices, written after the slices; a message whose step is not in the trace
// is left out and counted; an over-long event list is cut and says so.

import test from "ava";
import { traceEventsMax, traceJson, type TraceEvent } from "./trace-writer.ts";

type ChromeEvent = { ph: string; name: string; cat?: string; pid: number; tid: number; ts?: number; dur?: number; id?: number; bp?: string; args?: Record<string, unknown> };

const events: TraceEvent[] = [
  { kind: "step", node: "vm-1", automaton: "pi/0", startUs: 0, durationUs: 30 },
  { kind: "message", id: 7, fromNode: "vm-1", fromAutomaton: "pi/0", sentUs: 0, toNode: "vm-2", toAutomaton: "pi/1", receivedUs: 530, name: "next" },
  { kind: "step", node: "vm-2", automaton: "pi/1", startUs: 530, durationUs: 30, name: "compute", args: { decimals: 100 } },
  { kind: "step", node: "vm-1", automaton: "pi/2", startUs: 40, durationUs: 10 },
];

test("steps are complete events on per-node, per-automaton tracks, messages are paired flows", (t) => {
  const parsed = JSON.parse(traceJson(events, { seed: "s" })) as { displayTimeUnit: string; otherData: Record<string, unknown>; traceEvents: ChromeEvent[] };
  t.is(parsed.otherData["seed"], "s");
  const byPhase = (phase: string) => parsed.traceEvents.filter((event) => event.ph === phase);
  const processNames = byPhase("M").filter((event) => event.name === "process_name").map((event) => [event.pid, event.args?.["name"]]);
  t.deepEqual(processNames, [[1, "vm-1"], [2, "vm-2"]]);
  const threadNames = byPhase("M").filter((event) => event.name === "thread_name").map((event) => [event.pid, event.tid, event.args?.["name"]]);
  t.deepEqual(threadNames, [[1, 1, "pi/0"], [2, 2, "pi/1"], [1, 3, "pi/2"]]);
  t.deepEqual(byPhase("X").map((event) => [event.pid, event.tid, event.ts, event.dur, event.name]), [[1, 1, 0, 30, "step"], [2, 2, 530, 30, "compute"], [1, 3, 40, 10, "step"]]);
  t.deepEqual(byPhase("X")[1]!.args, { decimals: 100 });
  const [start] = byPhase("s");
  const [finish] = byPhase("f");
  t.like(start, { id: 7, pid: 1, tid: 1, ts: 0, name: "next", cat: "step" });
  t.like(finish, { id: 7, pid: 2, tid: 2, ts: 530, bp: "e", name: "next", cat: "step" });
  const lastSlice = parsed.traceEvents.findLastIndex((event) => event.ph === "X");
  t.true(parsed.traceEvents.indexOf(start!) > lastSlice, "flows follow every slice, so a slice starting at a flow's time is open when the flow is read");
});

test("a message whose end is on no slice start is left out and counted, with no track of its own", (t) => {
  const dangling: TraceEvent[] = [
    ...events,
    { kind: "message", id: 8, fromNode: "vm-1", fromAutomaton: "pi/0", sentUs: 5, toNode: "vm-2", toAutomaton: "pi/1", receivedUs: 530 },
    { kind: "message", id: 9, fromNode: "vm-1", fromAutomaton: "pi/2", sentUs: 40, toNode: "vm-3", toAutomaton: "pi/9", receivedUs: 600 },
  ];
  const parsed = JSON.parse(traceJson(dangling)) as { otherData: Record<string, unknown>; traceEvents: ChromeEvent[] };
  t.deepEqual(parsed.traceEvents.filter((event) => event.ph === "s").map((event) => event.id), [7]);
  t.deepEqual(parsed.traceEvents.filter((event) => event.ph === "f").map((event) => event.id), [7]);
  t.is(parsed.otherData["messagesUnbound"], 2);
  t.false(parsed.traceEvents.some((event) => event.ph === "M" && event.args?.["name"] === "vm-3"));
});

test("the same events give the same file; a list past the limit is cut and marked", (t) => {
  t.is(traceJson(events), traceJson(events));
  t.true(traceEventsMax >= 1_000_000, "the default limit keeps realistic traces whole");
  const many: TraceEvent[] = Array.from({ length: 105 }, (_, index) => ({ kind: "step", node: "n", automaton: "a", startUs: index, durationUs: 1 }));
  const parsed = JSON.parse(traceJson(many, {}, 100)) as { otherData: Record<string, unknown>; traceEvents: unknown[] };
  t.is(parsed.otherData["truncated"], "first 100 of 105 events");
  t.is(parsed.traceEvents.length, 102, "the kept steps plus two track names");
});

test("a message received before it was sent is a programming error", (t) => {
  t.throws(() => traceJson([{ kind: "message", id: 1, fromNode: "a", fromAutomaton: "x", sentUs: 10, toNode: "b", toAutomaton: "y", receivedUs: 5 }]), { message: /received before it is sent/ });
});
