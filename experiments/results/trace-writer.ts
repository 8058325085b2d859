// The optional run trace, in Chrome trace-event JSON (opens in Perfetto and chrome://tracing).
// It takes a plain event list that an executor collected: automaton steps and messages. Each
// node is a process track (pid), each automaton a thread track (tid) inside its node; a step is a
// complete event ("X") on its automaton's track; a message is a flow from the step that sent it
// to the step that consumed it, drawn as an arrow: a flow start ("s") and a flow end ("f", bound
// to the enclosing slice) with the same id, each at the start time of its step's slice, with the
// slices' category, written after every slice. Perfetto binds a flow event to the slice open on
// its track at its time (ties in time keep file order, so the slice is open); the Chrome viewer
// binds it to the slice of equal category, track and time. A message whose end lies on no slice
// start of its track (its step was cut from the trace) is left out, and the header counts it.
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
  /** The start of the sending step's slice (TraceStep.startUs). */
  readonly sentUs: number;
  readonly toNode: string;
  readonly toAutomaton: string;
  /** The start of the consuming step's slice. */
  readonly receivedUs: number;
  readonly name?: string;
};

export type TraceEvent = TraceStep | TraceMessage;

/** Most events one trace file holds (STYLE 6); beyond it the trace is cut and says so. */
export const traceEventsMax = 2_000_000;

type Tracks = { pids: Map<string, number>; tids: Map<string, number>; meta: string[]; sliceStarts: Set<string> };
type Track = { pid: number; tid: number };

function track(tracks: Tracks, node: string, automaton: string): Track {
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

function sliceStart(at: Track, ts: number): string {
  return `${at.pid}:${at.tid}:${ts}`;
}

/** The track of a slice starting at `ts`, if there is one. */
function sliceAt(tracks: Tracks, node: string, automaton: string, ts: number): Track | undefined {
  const pid = tracks.pids.get(node);
  const tid = tracks.tids.get(`${node}\u0000${automaton}`);
  if (pid === undefined || tid === undefined) return undefined;
  return tracks.sliceStarts.has(sliceStart({ pid, tid }, ts)) ? { pid, tid } : undefined;
}

function stepLine(tracks: Tracks, step: TraceStep): string {
  assert(step.durationUs >= 0 && step.startUs >= 0, `trace step of ${step.automaton} has a negative time or duration`);
  const at = track(tracks, step.node, step.automaton);
  tracks.sliceStarts.add(sliceStart(at, step.startUs));
  const event = { ph: "X", cat: "step", name: step.name ?? "step", pid: at.pid, tid: at.tid, ts: step.startUs, dur: step.durationUs, ...(step.args === undefined ? {} : { args: step.args }) };
  return JSON.stringify(event);
}

/** The flow's two events, or none when an end has no slice to bind to. */
function messageLines(tracks: Tracks, message: TraceMessage): string[] {
  assert(message.receivedUs >= message.sentUs, `trace message ${message.id} is received before it is sent`);
  const from = sliceAt(tracks, message.fromNode, message.fromAutomaton, message.sentUs);
  const to = sliceAt(tracks, message.toNode, message.toAutomaton, message.receivedUs);
  if (from === undefined || to === undefined) return [];
  const name = message.name ?? "message";
  return [
    JSON.stringify({ ph: "s", cat: "step", name, id: message.id, pid: from.pid, tid: from.tid, ts: message.sentUs }),
    JSON.stringify({ ph: "f", bp: "e", cat: "step", name, id: message.id, pid: to.pid, tid: to.tid, ts: message.receivedUs }),
  ];
}

/** The trace as JSON text. `otherData` (e.g. seed, fingerprint) is stored in the file's header. */
export function traceJson(events: readonly TraceEvent[], otherData: Readonly<Record<string, TraceArg>> = {}, eventsMax = traceEventsMax): string {
  const tracks: Tracks = { pids: new Map(), tids: new Map(), meta: [], sliceStarts: new Set() };
  const slices: string[] = [];
  const kept = Math.min(events.length, eventsMax);
  for (let index = 0; index < kept; index++) {
    const event = events[index]!;
    if (event.kind === "step") slices.push(stepLine(tracks, event));
  }
  const flows: string[] = [];
  let unbound = 0;
  for (let index = 0; index < kept; index++) {
    const event = events[index]!;
    if (event.kind !== "message") continue;
    const lines = messageLines(tracks, event);
    if (lines.length === 0) unbound++;
    flows.push(...lines);
  }
  const header = {
    ...otherData, ...(kept < events.length ? { truncated: `first ${kept} of ${events.length} events` } : {}),
    ...(unbound > 0 ? { messagesUnbound: unbound } : {}),
  };
  return `{"displayTimeUnit":"ms","otherData":${JSON.stringify(header)},"traceEvents":[\n${[...tracks.meta, ...slices, ...flows].join(",\n")}\n]}\n`;
}
