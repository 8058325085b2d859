// The point executor's trace (config outputs.trace): every committed step of a user automaton as
// a slice on its compute node's track, and every message from the step that sent it to the step
// that consumed it as a flow, which the Perfetto UI draws as an arrow (experiments/results/
// trace-writer.ts writes the file).
//
// A step's slice runs from its handler to its submission to the DARQ, the time the automaton
// was busy with it (handler and modelled compute); its commit comes later and is an argument.
// Slices, not [start, commit], because pipelined steps of one automaton overlap until their
// group commit, and a track's slices must nest. A step without modelled compute is drawn 1 µs
// long so an arrow has a body to bind to.
//
// Pairing: the engine reports, with each committed step, the envelope bytes it consumed; each
// send is encoded as the sender's step encoded it (envelopeEncode), so equal bytes to the same
// target are the same message. Equal messages to one target are paired first in, first out (they
// are indistinguishable, and a logical DARQ delivers in order). Sends to what no traced step
// consumes (the sink, clients, external services) are not kept.

import { envelopeEncode } from "../../engine/runtime/codec.ts";
import type { StagedSend } from "../../engine/runtime/context.ts";
import type { CommittedInput } from "../../engine/runtime/host-config.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import type { TraceArg, TraceEvent } from "../../experiments/results/trace-writer.ts";
import type { CompletionMeter } from "./executor-meter.ts";
import type { SimCluster } from "./sim-cluster.ts";

type Sender = { readonly node: string; readonly automaton: AutomatonId; readonly startUs: number };

/** A string with one character per byte: an exact map key for envelope bytes. */
function bytesKey(target: string, body: Uint8Array): string {
  let key = `${target}\u0000`;
  for (let at = 0; at < body.length; at += 4096) key += String.fromCharCode(...body.subarray(at, at + 4096));
  return key;
}

function typeOf(id: string): string {
  return id.slice(0, id.indexOf("/"));
}

class StepTracer {
  private readonly pending = new Map<string, Sender[]>();
  private pendingCount = 0;
  private messageId = 0;

  constructor(
    private readonly cluster: SimCluster,
    private readonly meter: CompletionMeter,
    private readonly trace: TraceEvent[],
    private readonly eventsMax: number,
  ) {}

  readonly onCommitted = (id: AutomatonId, sends: readonly StagedSend[], input: CommittedInput): void => {
    this.meter.onCommitted(id, sends);
    if (this.trace.length + 2 > this.eventsMax) return;
    const node = this.cluster.metadata?.automata[id]?.computeNode ?? "unplaced";
    this.trace.push(this.stepOf(node, id, sends, input));
    const sender = this.senderOf(id, input.body);
    if (sender !== undefined) {
      this.trace.push({
        kind: "message", id: ++this.messageId, fromNode: sender.node, fromAutomaton: sender.automaton, sentUs: sender.startUs,
        toNode: node, toAutomaton: id, receivedUs: input.startUs,
      });
    }
    for (const send of sends) this.sent(send, { node, automaton: id, startUs: input.startUs });
  };

  private stepOf(node: string, id: AutomatonId, sends: readonly StagedSend[], input: CommittedInput): TraceEvent {
    const nowUs = this.cluster.nowUs();
    const args: Record<string, TraceArg> = { lsn: input.lsn, committedUs: nowUs, sends: sends.length };
    let name = "step";
    for (const send of sends) {
      const completion = this.meter.driver.completionOf(send.to, send.message);
      if (completion === undefined) continue;
      name = completion.outcome;
      args["latencyUs"] = nowUs - completion.startUs;
    }
    const durationUs = Math.max(1, input.submittedUs - input.startUs);
    return { kind: "step", node, automaton: id, startUs: input.startUs, durationUs, name, args };
  }

  private sent(send: StagedSend, sender: Sender): void {
    if (!this.cluster.definitions.has(typeOf(send.to)) || this.pendingCount >= this.eventsMax) return;
    const key = bytesKey(send.to, envelopeEncode(send.to, send.message, send.replyTo));
    const queue = this.pending.get(key);
    if (queue === undefined) this.pending.set(key, [sender]);
    else queue.push(sender);
    this.pendingCount++;
  }

  private senderOf(id: AutomatonId, body: Uint8Array): Sender | undefined {
    const key = bytesKey(id, body);
    const queue = this.pending.get(key);
    if (queue === undefined) return undefined;
    const sender = queue.shift();
    if (queue.length === 0) this.pending.delete(key);
    this.pendingCount--;
    return sender;
  }
}

/** Records steps and messages into `trace` (at most `eventsMax` events) while the meter meters. */
export function traceRecorder(cluster: SimCluster, meter: CompletionMeter, trace: TraceEvent[], eventsMax: number): void {
  cluster.stepHooks.onCommitted = new StepTracer(cluster, meter, trace, eventsMax).onCommitted;
}
