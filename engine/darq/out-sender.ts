// The out-sender: delivers each pair's durable out-messages to the target logical DARQ, in order,
// until they are acknowledged. One pair = one (source logical DARQ, target logical DARQ); its
// state lives in the Pair (so it migrates with the source), this class only drives it.
//
// Protocol (go-back-N): send the released messages after `seqSent`, at most `sendWindowMessages`
// beyond the last ack, as one data message; the target acknowledges cumulatively once they are
// durable, nacks an out-of-order arrival with the sequence number it expects, or answers
// notHere. A retry timer per pair resends everything unacknowledged with exponential backoff
// (retryUsMin doubling up to retryUsMax); every `retriesBeforeResolve` unanswered rounds, and on
// every notHere, the route is invalidated so the router asks the catalog again. Retries never
// stop while something is unacknowledged (exactly-once needs delivery), but their rate is bounded.

import type { Clock } from "../io/clock.ts";
import type { Address, Transport } from "../io/transport.ts";
import { ackApply, type DarqState, type Pair } from "./logical-darq.ts";
import { type WireAck, type WireData, type WireNack, type WireNotHere, wireOverheadBytes } from "./wire.ts";

/** Where a target logical DARQ lives, as far as this DARQ knows (the runtime's catalog cache). */
export interface DarqRouter {
  resolve(target: string): Address | undefined;
  invalidate(target: string): void;
}

export type OutSenderConfig = {
  readonly sendWindowMessages: number;
  readonly retryUsMin: number;
  readonly retryUsMax: number;
  readonly retriesBeforeResolve: number;
};

export type OutSenderStats = { dataSent: number; messagesSent: number; retries: number; notHere: number };

export class OutSender {
  readonly stats: OutSenderStats = { dataSent: 0, messagesSent: 0, retries: 0, notHere: 0 };
  private readonly dirty: Pair[] = [];
  private readonly retryCallbacks = new Map<Pair, () => void>();
  private stopped = false;

  constructor(
    private readonly state: DarqState,
    private readonly address: Address,
    private readonly clock: Clock,
    private readonly transport: Transport,
    private readonly router: DarqRouter,
    private readonly config: OutSenderConfig,
  ) {}

  /** Out-message `seq` of `pair` is durable: it may leave. Sent at the next `sendReleased`. */
  release(pair: Pair, seq: number): void {
    if (seq > pair.seqReleased) pair.seqReleased = seq;
    if (pair.releasePending) return;
    pair.releasePending = true;
    this.dirty.push(pair);
  }

  /** Sends what `release` made eligible. */
  sendReleased(): void {
    const dirty = this.dirty;
    for (let index = 0; index < dirty.length; index++) {
      const pair = dirty[index]!;
      pair.releasePending = false;
      this.send(pair);
    }
    dirty.length = 0;
  }

  /** An ack, nack or notHere about one of this DARQ's pairs (others are stale: dropped). */
  onReply(message: WireAck | WireNack | WireNotHere): void {
    const pair = this.state.byName.get(message.source)?.pairs.get(message.target);
    if (pair === undefined) return;
    if (message.kind === "ack") this.onAck(pair, message.seq);
    else if (message.kind === "nack") this.onNack(pair, message.seqExpected);
    else this.onNotHere(pair);
  }

  onAck(pair: Pair, seq: number): void {
    if (seq > pair.seqReleased) return; // cannot acknowledge what never left: garbage, drop
    if (seq <= pair.seqAcked) return;
    ackApply(this.state, pair, seq);
    // Progress: the next retry waits a full minimum period again.
    pair.attempts = 0;
    this.timerStop(pair);
    this.send(pair);
  }

  /**
   * The target saw a gap and expects `seqExpected` next: resume sending there. A nack is not an
   * acknowledgement — what the target holds below seqExpected may not be durable yet — so
   * nothing is dropped here; the acks that follow durability do that.
   */
  onNack(pair: Pair, seqExpected: number): void {
    const seqHave = seqExpected - 1;
    if (seqHave > pair.seqReleased || seqHave < pair.seqAcked) return; // stale or garbage
    pair.seqSent = seqHave;
    this.send(pair);
  }

  onNotHere(pair: Pair): void {
    this.stats.notHere++;
    this.router.invalidate(pair.target);
    pair.seqSent = pair.seqAcked;
    // Wait for the retry timer rather than resending at once: the catalog may not have caught up.
    if (pair.timer === -1) this.timerStart(pair, this.config.retryUsMin);
  }

  /** The pair's source left this DARQ (released after migration): stop driving it. */
  forget(pair: Pair): void {
    this.timerStop(pair);
    this.retryCallbacks.delete(pair);
  }

  /** Cancels every retry timer: the DARQ object is being abandoned. */
  stop(): void {
    this.stopped = true;
    for (const pair of this.state.pairs) if (pair !== undefined) this.timerStop(pair);
  }

  /** Sends the pair's released, unsent messages within the window; arms the retry timer. */
  private send(pair: Pair): void {
    if (this.stopped || this.state.pairs[pair.index] !== pair) return; // stopped, or source released
    const last = Math.min(pair.seqReleased, pair.seqAcked + this.config.sendWindowMessages);
    if (last > pair.seqSent) this.transmit(pair, last);
    if (pair.timer === -1 && pair.seqReleased > pair.seqAcked) this.timerStart(pair, this.backoffUs(pair));
  }

  private transmit(pair: Pair, last: number): void {
    // A co-located target is reached through this DARQ's own address, unless it is moving away.
    const local = this.state.byName.get(pair.target);
    const to = local !== undefined && !local.fenced ? this.address : this.router.resolve(pair.target);
    if (to !== undefined) {
      const seqFirst = pair.seqSent + 1;
      const bodies: Uint8Array[] = [];
      let sizeBytes = wireOverheadBytes;
      for (let seq = seqFirst; seq <= last; seq++) {
        const body = pair.body(seq);
        bodies.push(body);
        sizeBytes += body.length + 4;
      }
      const message: WireData = { kind: "data", source: pair.source.name, target: pair.target, seqFirst, bodies };
      this.transport.send(this.address, to, message, sizeBytes);
      this.stats.dataSent++;
      this.stats.messagesSent += bodies.length;
      pair.seqSent = last;
    }
  }

  private backoffUs(pair: Pair): number {
    const { retryUsMin, retryUsMax } = this.config;
    return Math.min(retryUsMax, retryUsMin * 2 ** Math.min(pair.attempts, 30));
  }

  private retryFired(pair: Pair): void {
    pair.timer = -1;
    if (this.stopped || pair.unackedCount === 0 || this.state.pairs[pair.index] !== pair) return;
    if (pair.seqReleased <= pair.seqAcked) return; // nothing durable waits; release re-arms
    pair.attempts++;
    this.stats.retries++;
    if (pair.attempts % this.config.retriesBeforeResolve === 0) this.router.invalidate(pair.target);
    pair.seqSent = pair.seqAcked;
    this.send(pair);
  }

  private timerStart(pair: Pair, delayUs: number): void {
    let callback = this.retryCallbacks.get(pair);
    if (callback === undefined) {
      callback = () => this.retryFired(pair);
      this.retryCallbacks.set(pair, callback);
    }
    pair.timer = this.clock.timerStart(delayUs, callback);
  }

  private timerStop(pair: Pair): void {
    if (pair.timer === -1) return;
    this.clock.timerCancel(pair.timer);
    pair.timer = -1;
  }
}
