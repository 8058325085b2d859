// EnqueueClient: the producer end of external enqueue (DESIGN §3 property 4) over the Transport.
// A message is named by (producer, seq); the target logical DARQ keeps it once and answers
// `enqueued` once it is durable (also for a duplicate), so the client resends until it hears
// that answer: at-least-once sending plus the DARQ's dedup gives exactly-once.
//
// Routing is the RouteCache's: the client waits for a route (catalog lookup, activation on first
// message), and a notHere answer invalidates it so the next attempt asks the catalog again. Each
// message in flight has one retry timer with exponential backoff; nothing runs once every message
// is acknowledged, so an idle client costs nothing. Limits: messages in flight (`inflightMax`)
// and attempts per message (`attemptsMax`); hitting either is an error value, never a hang.

import type { Clock, TimerId } from "../io/clock.ts";
import { ErrorCode } from "../io/errors.ts";
import { err, ok, type Result } from "../io/result.ts";
import type { Address, Transport } from "../io/transport.ts";
import { wireOverheadBytes, wireParse, type WireEnqueue } from "../darq/index.ts";
import type { RouteCache } from "./route-cache.ts";

export type EnqueueDoneResult = (result: Result<void>) => void;

export type EnqueueClientOptions = {
  readonly transport: Transport;
  readonly clock: Clock;
  /** Where `enqueued` and notHere answers come back; the client listens here. */
  readonly address: Address;
  readonly routes: RouteCache;
  readonly retryUsMin?: number;
  readonly retryUsMax?: number;
  readonly attemptsMax?: number;
  readonly inflightMax?: number;
  /** Extra handling for other messages arriving at `address` (the client's reply inbox). */
  readonly onOther?: (from: Address, message: unknown) => void;
};

type Pending = {
  readonly message: WireEnqueue;
  readonly done: EnqueueDoneResult;
  attempts: number;
  timer: TimerId;
  /** Waiting for a route already: a retry need not queue a second waiter. */
  routeWaiting: boolean;
};

export type EnqueueClientStats = { sent: number; resent: number; acknowledged: number; notHere: number; failed: number };

function keyOf(producer: string, seq: number, target: string): string {
  return `${producer}\u0000${seq}\u0000${target}`;
}

export class EnqueueClient {
  readonly stats: EnqueueClientStats = { sent: 0, resent: 0, acknowledged: 0, notHere: 0, failed: 0 };
  private readonly pending = new Map<string, Pending>();
  private readonly retryUsMin: number;
  private readonly retryUsMax: number;
  private readonly attemptsMax: number;
  private readonly inflightMax: number;
  private stopped = false;

  constructor(private readonly options: EnqueueClientOptions) {
    this.retryUsMin = options.retryUsMin ?? 20_000;
    this.retryUsMax = options.retryUsMax ?? 1_000_000;
    this.attemptsMax = options.attemptsMax ?? 10_000;
    this.inflightMax = options.inflightMax ?? 100_000;
    options.transport.listen(options.address, (from, message) => this.receive(from, message));
  }

  /**
   * Sends (producer, seq) → target until it is durable there; `done(ok)` then. Sending the same
   * (producer, seq, target) while it is in flight is refused: the first send already covers it.
   */
  enqueue(target: string, producer: string, seq: number, body: Uint8Array, done: EnqueueDoneResult): Result<void> {
    if (this.stopped) return err(ErrorCode.deviceClosed, `enqueue client ${this.options.address} is stopped`);
    const key = keyOf(producer, seq, target);
    if (this.pending.has(key)) {
      return err(ErrorCode.argumentInvalid, `(${producer}, ${seq}) → '${target}' is already in flight`);
    }
    if (this.pending.size >= this.inflightMax) {
      return err(ErrorCode.limitExceeded,
        `enqueue client ${this.options.address}: ${this.pending.size} messages in flight (inflightMax); wait for acks`);
    }
    const message: WireEnqueue = { kind: "enqueue", producer, seq, target, body };
    const entry: Pending = { message, done, attempts: 0, timer: -1, routeWaiting: false };
    this.pending.set(key, entry);
    this.attempt(key, entry);
    return ok(undefined);
  }

  /** Messages sent and not yet acknowledged. */
  get inflight(): number {
    return this.pending.size;
  }

  /** Stops listening and retrying; pending sends are abandoned without callbacks (a crash). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const entry of this.pending.values()) if (entry.timer !== -1) this.options.clock.timerCancel(entry.timer);
    this.pending.clear();
    this.options.transport.unlisten(this.options.address);
  }

  private attempt(key: string, entry: Pending): void {
    if (entry.attempts >= this.attemptsMax) {
      this.pending.delete(key);
      this.stats.failed++;
      const { producer, seq, target } = entry.message;
      entry.done(err(ErrorCode.limitExceeded,
        `(${producer}, ${seq}) → '${target}' not acknowledged after ${entry.attempts} attempts (attemptsMax)`));
      return;
    }
    if (entry.attempts > 0) this.stats.resent++;
    entry.attempts++;
    const delayUs = Math.min(this.retryUsMax, this.retryUsMin * 2 ** Math.min(entry.attempts - 1, 30));
    entry.timer = this.options.clock.timerStart(delayUs, () => {
      entry.timer = -1;
      if (this.pending.get(key) === entry) this.attempt(key, entry);
    });
    if (entry.routeWaiting) return;
    entry.routeWaiting = true;
    // No room to wait for a route (an error result) is fine: the retry timer tries again.
    const routed = this.options.routes.resolveThen(entry.message.target, (address) => this.transmit(key, entry, address));
    if (!routed.ok) entry.routeWaiting = false;
  }

  private transmit(key: string, entry: Pending, address: Address): void {
    entry.routeWaiting = false;
    if (this.stopped || this.pending.get(key) !== entry) return;
    this.stats.sent++;
    const size = wireOverheadBytes + entry.message.body.length;
    this.options.transport.send(this.options.address, address, entry.message, size);
  }

  private receive(from: Address, raw: unknown): void {
    if (this.stopped) return;
    const message = wireParse(raw);
    if (message === null || (message.kind !== "enqueued" && message.kind !== "notHere")) {
      this.options.onOther?.(from, raw);
      return;
    }
    if (message.kind === "notHere") {
      this.stats.notHere++;
      this.options.routes.invalidate(message.target);
      return; // the retry timer resends after a fresh lookup
    }
    const key = keyOf(message.producer, message.seq, message.target);
    const entry = this.pending.get(key);
    if (entry === undefined) return; // a duplicate answer
    this.pending.delete(key);
    if (entry.timer !== -1) this.options.clock.timerCancel(entry.timer);
    this.stats.acknowledged++;
    entry.done(ok(undefined));
  }
}
