// TransportSim: the Transport seam inside the simulator. Every send asks a LinkModel for the
// delays of the copies that arrive (none: lost; two: duplicated; unequal delays across sends:
// reordered) and schedules one queue event per copy, so a handler is never called inside `send`
// and deliveries interleave with all other events in (time, seq) order. The listener is looked
// up when a copy arrives: a message to an address nobody listens on then (never listened, or
// unlistened while in flight) is dropped, as the seam's contract says. Counters of sent,
// delivered and dropped messages and bytes feed the usage ledger and the tests. Messages are
// passed by reference, not copied (copying every message would dominate a simulation's cost):
// senders and handlers must treat them as immutable, as they would have to across a real wire.
//
// A copy that lands on the same link (from → to) at the same microsecond as the copy scheduled
// just before it, with no other event scheduled in between, joins that copy's queue event and is
// handed to the listener right after it. Its own event would have been the very next one in
// (time, seq) order, so this changes nothing but the number of events: under load, FIFO links
// make such runs of arrivals common (the DARQ answers a batch of steps on one link at once).
// Only a message whose link model gave a single copy joins or starts such a run.
//
// Fault model: whatever the LinkModel says; this file adds none. LinkModelConstant, the basic
// model, is reliable and FIFO per link (a fixed latency per link, a default for unknown links).

import { assert } from "../engine/io/assert.ts";
import type { Address, Transport, TransportHandler } from "../engine/io/transport.ts";
import type { EventQueue } from "./event-queue.ts";

/** Decides how long each arriving copy of a message takes; zero copies means it is lost. */
export interface LinkModel {
  /**
   * Delays in integer µs, one per copy that arrives. The caller reads the array at once and
   * does not keep it, so an implementation may return the same (reused) array every call.
   */
  deliveries(from: Address, to: Address, sizeBytes: number): readonly number[];
}

export type TransportSimStats = {
  messagesSent: number;
  bytesSent: number;
  messagesDelivered: number;
  bytesDelivered: number;
  /** Messages for which the link model produced no copy. */
  messagesLost: number;
  /** Copies that arrived where nobody was listening. */
  messagesUnroutable: number;
};

/** One copy in flight (or several on one link at one instant); the queue hands it back to a shared delivery function. */
type Flight = {
  readonly transport: TransportSim;
  readonly from: Address;
  readonly to: Address;
  readonly message: unknown;
  readonly sizeBytes: number;
  /** Arrival time, µs; -1 once delivered (nothing may join it then) or when it may not be joined. */
  arrivalUs: number;
  /** Sequence number of its queue event. */
  seq: number;
  /** Messages that joined this event, after `message`, in send order (null: none). */
  more: unknown[] | null;
  moreSizes: number[] | null;
};

function arrive(flight: Flight): void {
  flight.transport.deliver(flight);
}

export class TransportSim implements Transport {
  readonly stats: TransportSimStats = {
    messagesSent: 0, bytesSent: 0, messagesDelivered: 0, bytesDelivered: 0,
    messagesLost: 0, messagesUnroutable: 0,
  };
  private readonly handlers = new Map<Address, TransportHandler>();
  /** Per link (from → to), the last single-copy flight scheduled: later sends may join it. */
  private readonly lastFlights = new Map<Address, Map<Address, Flight>>();

  constructor(private readonly queue: EventQueue, private readonly links: LinkModel) {}

  send(from: Address, to: Address, message: unknown, sizeBytes: number): void {
    if (!(Number.isInteger(sizeBytes) && sizeBytes >= 0)) {
      assert(false, `send ${from} → ${to}: sizeBytes must be a non-negative integer, got ${sizeBytes}`);
    }
    this.stats.messagesSent++;
    this.stats.bytesSent += sizeBytes;
    const delays = this.links.deliveries(from, to, sizeBytes);
    if (delays.length === 0) {
      this.stats.messagesLost++;
      return;
    }
    const nowUs = this.queue.nowUs;
    if (delays.length === 1) return this.sendOne(from, to, message, sizeBytes, nowUs + delays[0]!);
    const flight: Flight = { transport: this, from, to, message, sizeBytes, arrivalUs: -1, seq: -1, more: null, moreSizes: null };
    for (let index = 0; index < delays.length; index++) {
      const delayUs = delays[index]!;
      if (!(Number.isInteger(delayUs) && delayUs >= 0)) {
        assert(false, `link model gave delay ${delayUs} for ${from} → ${to}; delays are integer µs ≥ 0`);
      }
      this.queue.scheduleWith(nowUs + delayUs, arrive, flight);
    }
  }

  /** A single copy: joins the link's last flight if its event would come right after it, else starts one. */
  private sendOne(from: Address, to: Address, message: unknown, sizeBytes: number, arrivalUs: number): void {
    const queue = this.queue;
    if (!(Number.isInteger(arrivalUs) && arrivalUs >= queue.nowUs)) {
      assert(false, `link model gave arrival ${arrivalUs}us for ${from} → ${to}; delays are integer µs ≥ 0`);
    }
    let links = this.lastFlights.get(from);
    if (links === undefined) {
      links = new Map();
      this.lastFlights.set(from, links);
    }
    const last = links.get(to);
    if (last !== undefined && last.arrivalUs === arrivalUs && last.seq === queue.seqNextScheduled - 1) {
      (last.more ??= []).push(message);
      (last.moreSizes ??= []).push(sizeBytes);
      return;
    }
    const flight: Flight = { transport: this, from, to, message, sizeBytes, arrivalUs, seq: queue.seqNextScheduled, more: null, moreSizes: null };
    links.set(to, flight);
    queue.scheduleWith(arrivalUs, arrive, flight);
  }

  listen(address: Address, handler: TransportHandler): void {
    assert(!this.handlers.has(address), `address '${address}' already has a listener`);
    this.handlers.set(address, handler);
  }

  unlisten(address: Address): void {
    this.handlers.delete(address);
  }

  /** Called by the queue when a copy arrives; not for other callers. */
  deliver(flight: Flight): void {
    flight.arrivalUs = -1;
    this.deliverOne(flight.from, flight.to, flight.message, flight.sizeBytes);
    const more = flight.more;
    if (more === null) return;
    const sizes = flight.moreSizes!;
    // The listener is looked up per message: handling one may unlisten the address.
    for (let index = 0; index < more.length; index++) this.deliverOne(flight.from, flight.to, more[index], sizes[index]!);
    flight.more = null;
    flight.moreSizes = null;
  }

  private deliverOne(from: Address, to: Address, message: unknown, sizeBytes: number): void {
    const handler = this.handlers.get(to);
    if (handler === undefined) {
      this.stats.messagesUnroutable++;
      return;
    }
    this.stats.messagesDelivered++;
    this.stats.bytesDelivered += sizeBytes;
    handler(from, message);
  }
}

export type LinkModelConstantOptions = {
  /** Latency of links without an entry of their own, in µs. */
  latencyUsDefault: number;
  /** Per-link latencies (directional: from → to). */
  links?: ReadonlyArray<{ readonly from: Address; readonly to: Address; readonly latencyUs: number }>;
};

/** A reliable network: each message arrives once after its link's fixed latency. */
export class LinkModelConstant implements LinkModel {
  private readonly latencyUsDefault: number;
  private readonly byLink = new Map<Address, Map<Address, readonly number[]>>();
  private readonly defaultDelays: readonly number[];

  constructor(options: LinkModelConstantOptions) {
    this.latencyUsDefault = checkLatency(options.latencyUsDefault, "latencyUsDefault");
    this.defaultDelays = Object.freeze([this.latencyUsDefault]);
    for (const link of options.links ?? []) this.setLatency(link.from, link.to, link.latencyUs);
  }

  /** Sets (or changes) the latency of one directional link. */
  setLatency(from: Address, to: Address, latencyUs: number): void {
    const delays = Object.freeze([checkLatency(latencyUs, `latency of ${from} → ${to}`)]);
    let targets = this.byLink.get(from);
    if (targets === undefined) {
      targets = new Map();
      this.byLink.set(from, targets);
    }
    targets.set(to, delays);
  }

  latencyUs(from: Address, to: Address): number {
    return this.deliveries(from, to)[0]!;
  }

  deliveries(from: Address, to: Address): readonly number[] {
    return this.byLink.get(from)?.get(to) ?? this.defaultDelays;
  }
}

function checkLatency(latencyUs: number, what: string): number {
  assert(Number.isInteger(latencyUs) && latencyUs >= 0, `${what} must be an integer ≥ 0 µs, got ${latencyUs}`);
  return latencyUs;
}
