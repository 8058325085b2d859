// OutboxEndpoint: an external service behind a transactional outbox (engine/runtime/outbox/)
// joined to SSMS so that automata message it as if it were an automaton (paper §3.2, runtime
// issue item 8). The service gets an automaton id (`inventory/main`) and a logical DARQ of that
// name on a DARQ node, registered in the catalog like an active automaton, so routing, notHere and
// exactly-once delivery are the same as for any automaton. The endpoint is that logical DARQ's
// processor:
//
//   each IN entry, in order → outbox.receive({source, seq}) → on commit, a step that consumes it
//
// The outbox records (source, seq) in the same transaction as the service's effects, so an entry
// redelivered after a crash (its consuming step lost) is recognised as a duplicate and only
// consumed: the service's effects happen exactly once. Sources are the entry's sender, prefixed
// so that an external producer and a logical DARQ of the same name cannot collide. Outbound
// messages leave through the OutboxRelay as external enqueues to their target automata with
// (producer = the service's id, seq = the outbox's per-target seq), resent until durable there and
// deleted from the outbox only then: exactly once at the target.

import type { Clock, TimerId } from "../io/clock.ts";
import type { Err } from "../io/result.ts";
import type { Entry } from "../darq/index.ts";
import { envelopeDecode, envelopeEncode } from "./codec.ts";
import type { DarqPort } from "./darq-port.ts";
import type { EnqueueClient } from "./enqueue-client.ts";
import type { AutomatonId } from "./ids.ts";
import type { Outbox } from "./outbox/outbox.ts";
import { OutboxRelay } from "./outbox/outbox-relay.ts";

export type OutboxEndpointOptions = {
  /** The service's automaton id; its logical DARQ has this name. */
  readonly id: AutomatonId;
  readonly darq: DarqPort;
  readonly outbox: Outbox;
  readonly clock: Clock;
  /** Sends the relay's messages to automata (exactly once per (service id, seq)). */
  readonly enqueues: EnqueueClient;
  readonly retryUsMin?: number;
  readonly retryUsMax?: number;
  /** Told when the endpoint ends (fenced by another registration, or its DARQ failed). */
  readonly onEnded?: (reason: Err) => void;
};

export type OutboxEndpointStats = { received: number; duplicates: number; retries: number; relayed: number };

export class OutboxEndpoint {
  readonly stats: OutboxEndpointStats = { received: 0, duplicates: 0, retries: 0, relayed: 0 };
  private readonly queue: Entry[] = [];
  private lsnQueuedMax = 0;
  private busy = false;
  private incarnation = 0;
  private attempts = 0;
  private timer: TimerId = -1;
  private stopped = false;
  private readonly relay: OutboxRelay;

  constructor(private readonly options: OutboxEndpointOptions) {
    this.relay = new OutboxRelay({
      outbox: options.outbox, clock: options.clock, resendAfterUs: 1_000_000,
      sender: (message, ack) => {
        this.stats.relayed++;
        const body = envelopeEncode(message.to as AutomatonId, message.body);
        // In flight already (a resend while the first try waits for its route): that try acks.
        options.enqueues.enqueue(message.to, options.id, message.seq, body, (result) => {
          if (result.ok) ack();
        });
      },
    });
  }

  /** Hosts and registers the service's logical DARQ, then works through its inputs. */
  start(): void {
    const { darq, id } = this.options;
    const hosted = darq.host(id);
    if (!hosted.ok) return this.end(hosted);
    const registered = darq.register(id, (entry) => this.arrived(entry), (failure) => {
      if (failure !== null) return this.end(failure);
      const entries = darq.readUnconsumed(id);
      if (!entries.ok) return this.end(entries);
      for (const entry of entries.value) this.arrived(entry);
      this.relay.start();
    });
    if (!registered.ok) return this.end(registered);
    this.incarnation = registered.value;
  }

  stop(): void {
    this.stopped = true;
    this.relay.stop();
    if (this.timer !== -1) this.options.clock.timerCancel(this.timer);
    this.timer = -1;
  }

  private arrived(entry: Entry): void {
    if (this.stopped || entry.lsn <= this.lsnQueuedMax) return;
    this.lsnQueuedMax = entry.lsn;
    this.queue.push(entry);
    this.next();
  }

  /** Hands the oldest input to the outbox; one at a time, in log order. */
  private next(): void {
    if (this.busy || this.stopped || this.timer !== -1) return;
    const entry = this.queue[0];
    if (entry === undefined) return;
    this.busy = true;
    const envelope = envelopeDecode(entry.body);
    const body = envelope.ok ? envelope.value.message : null;
    const source = `${entry.fromDarq ? "darq" : "producer"}:${entry.from}`;
    this.options.outbox.receive({ source, seq: entry.seq, body }, (received) => {
      this.busy = false;
      if (this.stopped) return;
      if (!received.ok) return this.retryLater();
      this.attempts = 0;
      if (received.value.duplicate) this.stats.duplicates++;
      else this.stats.received++;
      this.consume(entry);
    });
  }

  private consume(entry: Entry): void {
    const { darq, id } = this.options;
    const submitted = darq.submitStep({ logicalDarq: id, incarnation: this.incarnation, consumed: [entry.lsn], self: [], out: [] },
      (failure) => {
        if (failure !== null) this.end(failure);
      });
    if (!submitted.ok) return this.end(submitted);
    this.queue.shift();
    this.next();
  }

  /** The outbox's database is unreachable: try the same input again after a backoff. */
  private retryLater(): void {
    this.stats.retries++;
    this.attempts++;
    const delayUs = Math.min(this.options.retryUsMax ?? 1_000_000, (this.options.retryUsMin ?? 10_000) * 2 ** Math.min(this.attempts - 1, 20));
    this.timer = this.options.clock.timerStart(delayUs, () => {
      this.timer = -1;
      this.next();
    });
  }

  private end(reason: Err): void {
    if (this.stopped) return;
    this.stop();
    this.options.onEnded?.(reason);
  }
}
