// ReplyInbox: the receiving end of the DARQ pair protocol (engine/darq/inbox.ts) for a client,
// which is not a DARQ. Automata reply to ids `ssms.client/<address>/<n>` (route-cache.ts), so their
// out-senders deliver replies here as `data` messages; the inbox accepts each pair's messages in
// order, acknowledges cumulatively, nacks a gap (never drops one silently), and acknowledges
// duplicates again. It keeps no durable state: a client that restarts starts new reply ids.
//
// Pair state is bounded: the oldest pairs are forgotten beyond `pairsMax` (a reply id is used by
// one request, so an old pair only ever sees duplicates, which are acknowledged whatever happens).

import type { Address, Transport } from "../io/transport.ts";
import { wireOverheadBytes, type WireAck, type WireData, type WireNack } from "../darq/index.ts";
import { envelopeDecode } from "./codec.ts";

export type ReplyHandler = (target: string, source: string, message: unknown) => void;

export class ReplyInbox {
  /** seq expected next per pair, keyed `source \0 target`. */
  private readonly expected = new Map<string, number>();
  replies = 0;

  constructor(
    private readonly transport: Transport,
    private readonly address: Address,
    private readonly onReply: ReplyHandler,
    private readonly pairsMax = 10_000,
  ) {}

  onData(from: Address, message: WireData): void {
    const key = `${message.source}\u0000${message.target}`;
    let expected = this.expected.get(key) ?? 1;
    const first = message.seqFirst;
    if (first > expected) {
      // A gap: ask for what is missing, from where the sender must resume.
      const nack: WireNack = { kind: "nack", source: message.source, target: message.target, seqExpected: expected };
      this.transport.send(this.address, from, nack, wireOverheadBytes);
      return;
    }
    for (let index = expected - first; index < message.bodies.length; index++) {
      const envelope = envelopeDecode(message.bodies[index]!);
      expected++;
      this.replies++;
      if (envelope.ok) this.onReply(message.target, message.source, envelope.value.message);
    }
    this.remember(key, expected);
    const ack: WireAck = { kind: "ack", source: message.source, target: message.target, seq: expected - 1 };
    if (ack.seq > 0) this.transport.send(this.address, from, ack, wireOverheadBytes);
  }

  private remember(key: string, expected: number): void {
    this.expected.delete(key);
    this.expected.set(key, expected);
    if (this.expected.size <= this.pairsMax) return;
    const oldest = this.expected.keys().next().value;
    if (oldest !== undefined) this.expected.delete(oldest);
  }
}
