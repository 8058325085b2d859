// The optional run trace, in Chrome trace-event JSON (opens in Perfetto and chrome://tracing).
// It takes a plain event list that an executor collected: automaton steps and messages. Each
// node is a process track (pid), each automaton a thread track (tid) inside its node; a step is a
// complete event ("X") on its automaton's track; a message is a flow ("s" at the sender, "f" at
// the receiver, bound to the enclosing step slices), drawn as an arrow from step to step.
// Track numbers are given in first-seen order, so the same event list gives the same file.

import { assert } from "../../engine/io/assert.ts";

export type TraceArg = number | string | boolean;

export type TraceStep = {
  readonly kind: "step";
  readonly node: string;
  readonly automaton: string;
  readonly startUs: number;
  readonly durationUs: number;
  /** Slice name; default "step". */
  readonly name?: string;
  readonly args?: Readonly<Record<string, TraceArg>>;
};

export type TraceMessage = {
  readonly kind: "message";
  /** Unique per message within the trace (it pairs the two ends of the flow). */
  readonly id: number;
  readonly fromNode: string;
  readonly fromAutomaton: string;
  readonly sentUs: number;
  readonly toNode: string;
  readonly toAutomaton: string;
  readonly receivedUs: number;
  readonly name?: string;
};

export type TraceEvent = TraceStep | TraceMessage;

/** Most events one trace file holds (STYLE 6); beyond it the trace is cut and says so. */
export const traceEventsMax = 2_000_000;

type Tracks = { pids: Map<string, number>; tids: Map<string, number>; meta: string[] };

function track(tracks: Tracks, node: string, automaton: string): { pid: number; tid: number } {
  let pid = tracks.pids.get(node);
  if (pid === undefined) {
    pid = tracks.pids.size + 1;
    tracks.pids.set(node, pid);
    tracks.meta.push(JSON.stringify({ ph: "M", name: "process_name", pid, tid: 0, args: { name: node } }));
  }
  const key = `${node}\u0000${automaton}`;
  let tid = tracks.tids.get(key);
  if (tid === undefined) {
    tid = tracks.tids.size + 1;
    tracks.tids.set(key, tid);
    tracks.meta.push(JSON.stringify({ ph: "M", name: "thread_name", pid, tid, args: { name: automaton } }));
  }
  return { pid, tid };
}

function stepLine(tracks: Tracks, step: TraceStep): string {
  assert(step.durationUs >= 0 && step.startUs >= 0, `trace step of ${step.automaton} has a negative time or duration`);
  const { pid, tid } = track(tracks, step.node, step.automaton);
  const event = { ph: "X", cat: "step", name: step.name ?? "step", pid, tid, ts: step.startUs, dur: step.durationUs, ...(step.args === undefined ? {} : { args: step.args }) };
  return JSON.stringify(event);
}

function messageLines(tracks: Tracks, message: TraceMessage): string[] {
  assert(message.receivedUs >= message.sentUs, `trace message ${message.id} is received before it is sent`);
  const from = track(tracks, message.fromNode, message.fromAutomaton);
  const to = track(tracks, message.toNode, message.toAutomaton);
  const name = message.name ?? "message";
  return [
    JSON.stringify({ ph: "s", cat: "message", name, id: message.id, pid: from.pid, tid: from.tid, ts: message.sentUs }),
    JSON.stringify({ ph: "f", bp: "e", cat: "message", name, id: message.id, pid: to.pid, tid: to.tid, ts: message.receivedUs }),
  ];
}

/** The trace as JSON text. `otherData` (e.g. seed, fingerprint) is stored in the file's header. */
export function traceJson(events: readonly TraceEvent[], otherData: Readonly<Record<string, TraceArg>> = {}, eventsMax = traceEventsMax): string {
  const tracks: Tracks = { pids: new Map(), tids: new Map(), meta: [] };
  const lines: string[] = [];
  const kept = Math.min(events.length, eventsMax);
  for (let index = 0; index < kept; index++) {
    const event = events[index]!;
    if (event.kind === "step") lines.push(stepLine(tracks, event));
    else lines.push(...messageLines(tracks, event));
  }
  const header = { ...otherData, ...(kept < events.length ? { truncated: `first ${kept} of ${events.length} events` } : {}) };
  return `{"displayTimeUnit":"ms","otherData":${JSON.stringify(header)},"traceEvents":[\n${[...tracks.meta, ...lines].join(",\n")}\n]}\n`;
}
