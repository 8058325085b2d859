// OutboxRelay: moves outbound messages from an Outbox to a sender, in id order, deleting each only
// after the sender acknowledges it (at-least-once; the receiver's (producer, seq) dedup makes it
// exactly-once). It keeps at most `inFlightCountMax` messages sent but unacknowledged.
//
// When it reads: on start, whenever the outbox commits new messages (`watch`), when an ack frees
// room, and, with a clock, every `resendAfterUs` (which also picks up rows committed by other
// processes). What it resends: with a clock, in-flight messages unacknowledged for
// `resendAfterUs`, oldest first; on `resendUnacked()`; and after a restart everything still in the
// outbox, because a new relay starts reading from the beginning.
//
// The loops below are iterative, not recursive, because on SQLite every callback runs inside the
// call: a sender that acknowledges at once would otherwise recurse once per message.

import { assert } from "../../io/assert.ts";
import type { Clock, TimerId } from "../../io/clock.ts";
import type { Result } from "../../io/result.ts";
import { outboxBatchCountMax, type Outbox, type OutboxMessage } from "./outbox.ts";

/** Hands one message to the transport; call `ack` once the target has it durably (idempotent). */
export type OutboxSender = (message: OutboxMessage, ack: () => void) => void;

export type OutboxRelayOptions = {
  readonly outbox: Outbox;
  readonly sender: OutboxSender;
  /** Most messages sent and not yet acknowledged; default 64. */
  readonly inFlightCountMax?: number;
  /** With a clock, unacknowledged messages are resent (and the outbox polled) this often. */
  readonly clock?: Clock;
  readonly resendAfterUs?: number;
  /** Told about failed reads and deletes; the relay retries on its next cue either way. */
  readonly onError?: (reason: string) => void;
};

type InFlight = { readonly message: OutboxMessage; sentUs: number };

export class OutboxRelay {
  private readonly inFlight = new Map<number, InFlight>();
  private readonly acked: number[] = [];
  private readonly inFlightCountMax: number;
  private cursorId = 0;
  private reading = false;
  private readAgain = false;
  private deleting = false;
  private stopped = true;
  private unwatch: (() => void) | null = null;
  private timer: TimerId | null = null;
  /** Messages handed to the sender, resends included. */
  sentCount = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.inFlightCountMax = options.inFlightCountMax ?? 64;
    assert(Number.isSafeInteger(this.inFlightCountMax) && this.inFlightCountMax >= 1 &&
      this.inFlightCountMax <= outboxBatchCountMax, `inFlightCountMax must be 1–${outboxBatchCountMax}`);
    assert((options.clock === undefined) === (options.resendAfterUs === undefined),
      "give the relay both a clock and resendAfterUs, or neither");
  }

  start(): void {
    assert(this.stopped, "relay started twice");
    this.stopped = false;
    this.unwatch = this.options.outbox.watch(() => this.pump());
    this.tickSchedule();
    this.pump();
  }

  /** Stops sending; in-flight messages stay in the outbox for the next relay. */
  stop(): void {
    this.stopped = true;
    this.unwatch?.();
    this.unwatch = null;
    if (this.timer !== null) this.options.clock?.timerCancel(this.timer);
    this.timer = null;
  }

  inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Sends every in-flight message again, oldest first. */
  resendUnacked(): void {
    if (this.stopped) return;
    for (const entry of [...this.inFlight.values()]) this.send(entry);
  }

  /** Reads new messages while there is room, sending each as it arrives. */
  private pump(): void {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    for (;;) {
      const room = this.inFlightCountMax - this.inFlight.size;
      if (this.stopped || room <= 0) return;
      this.reading = true;
      this.readAgain = false;
      let returned = false;
      let continueHere = false;
      this.options.outbox.outboxRead(this.cursorId, room, (read) => {
        const more = this.deliver(read, room) || this.readAgain;
        this.reading = false;
        if (returned) {
          if (more) this.pump();
        } else {
          continueHere = more;
        }
      });
      returned = true;
      if (!continueHere) return;
    }
  }

  /** Sends a batch in order; answers whether the outbox may hold more right now. */
  private deliver(read: Result<readonly OutboxMessage[]>, room: number): boolean {
    if (!read.ok) {
      this.options.onError?.(read.reason);
      return false;
    }
    const batch = read.value;
    // Claim the whole batch before sending any of it: a sender that acks at once triggers a
    // nested read, which must start after this batch.
    for (const message of batch) {
      this.cursorId = message.id;
      this.inFlight.set(message.id, { message, sentUs: 0 });
    }
    for (const message of batch) {
      const entry = this.inFlight.get(message.id);
      if (entry !== undefined && !this.stopped) this.send(entry);
    }
    return batch.length === room;
  }

  private send(entry: InFlight): void {
    entry.sentUs = this.options.clock?.nowUs() ?? 0;
    this.sentCount += 1;
    const id = entry.message.id;
    this.options.sender(entry.message, () => this.ack(id));
  }

  private ack(id: number): void {
    if (this.stopped || !this.inFlight.delete(id)) return;
    this.acked.push(id);
    this.deleteAcked();
  }

  /** Deletes acknowledged messages in batches, one delete in flight at a time. */
  private deleteAcked(): void {
    while (!this.deleting && this.acked.length > 0 && !this.stopped) {
      const batch = this.acked.splice(0, outboxBatchCountMax);
      this.deleting = true;
      let returned = false;
      this.options.outbox.outboxAck(batch, (deleted) => {
        // A failed delete leaves the rows in the outbox: a later relay resends them and the
        // receiver drops them as duplicates, so nothing is lost.
        if (!deleted.ok) this.options.onError?.(deleted.reason);
        this.deleting = false;
        if (returned) this.deleteAcked();
        this.pump();
      });
      returned = true;
    }
  }

  private tickSchedule(): void {
    const { clock, resendAfterUs } = this.options;
    if (clock === undefined || resendAfterUs === undefined || this.stopped) return;
    this.timer = clock.timerStart(resendAfterUs, () => {
      this.timer = null;
      const dueUs = clock.nowUs() - resendAfterUs;
      for (const entry of [...this.inFlight.values()]) if (entry.sentUs <= dueUs) this.send(entry);
      this.pump();
      this.tickSchedule();
    });
  }
}
