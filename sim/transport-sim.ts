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
// Busy receivers: an address may be given a gate, the time until which its process cannot look
// at a message (a single event loop running a step). A copy that arrives earlier waits for it and
// is handed over then, in arrival order, without asking the gate again: a loop takes its queued
// events in order, before work queued after them.
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
   * `keys` is the transport's record of this link (the same object for every message on it),
   * where a model may cache what it derives from the two addresses.
   */
  deliveries(from: Address, to: Address, sizeBytes: number, keys?: LinkKeys): readonly number[];
}

/** Two numbers per link (from → to) that a LinkModel may fill in; -1 until it does. */
export type LinkKeys = { fromKey: number; toKey: number };

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

/** An address as a receiver: its listener, replaced in place by listen and unlisten, and its gate. */
type Endpoint = { handler: TransportHandler | undefined; busyUntilUs: (() => number) | undefined };

/** A copy that arrived while its receiver was busy, handed over when the receiver is free. */
type Waiting = { readonly transport: TransportSim; readonly link: Link; readonly message: unknown; readonly sizeBytes: number };

/**
 * One directional link, kept for the run: found once per send by its two addresses (or not at
 * all when the send is on the same link as the one before, the common case under load), it
 * holds what would otherwise be looked up by address per message.
 */
type Link = LinkKeys & {
  readonly from: Address;
  readonly to: Address;
  readonly target: Endpoint;
  /** The last single-copy flight scheduled on it, which a later send may join (null: none). */
  flight: Flight | null;
};

/** One copy in flight (or several on one link at one instant); the queue hands it back to a shared delivery function. */
type Flight = {
  readonly transport: TransportSim;
  readonly link: Link;
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

function handOver(waiting: Waiting): void {
  waiting.transport.handOver(waiting.link, waiting.message, waiting.sizeBytes);
}

export class TransportSim implements Transport {
  readonly stats: TransportSimStats = {
    messagesSent: 0, bytesSent: 0, messagesDelivered: 0, bytesDelivered: 0,
    messagesLost: 0, messagesUnroutable: 0,
  };
  private readonly endpoints = new Map<Address, Endpoint>();
  private readonly links = new Map<Address, Map<Address, Link>>();
  /** The link of the previous send (most sends go over the same link as the one before). */
  private cachedFrom: Address | null = null;
  private cachedTo: Address | null = null;
  private cachedLink: Link | null = null;

  constructor(private readonly queue: EventQueue, private readonly model: LinkModel) {}

  send(from: Address, to: Address, message: unknown, sizeBytes: number): void {
    if (!(Number.isInteger(sizeBytes) && sizeBytes >= 0)) {
      assert(false, `send ${from} → ${to}: sizeBytes must be a non-negative integer, got ${sizeBytes}`);
    }
    this.stats.messagesSent++;
    this.stats.bytesSent += sizeBytes;
    const link = from === this.cachedFrom && to === this.cachedTo ? this.cachedLink! : this.linkOf(from, to);
    const delays = this.model.deliveries(from, to, sizeBytes, link);
    if (delays.length === 0) {
      this.stats.messagesLost++;
      return;
    }
    const nowUs = this.queue.nowUs;
    if (delays.length === 1) return this.sendOne(link, message, sizeBytes, nowUs + delays[0]!);
    const flight: Flight = { transport: this, link, message, sizeBytes, arrivalUs: -1, seq: -1, more: null, moreSizes: null };
    for (let index = 0; index < delays.length; index++) {
      const delayUs = delays[index]!;
      if (!(Number.isInteger(delayUs) && delayUs >= 0)) {
        assert(false, `link model gave delay ${delayUs} for ${from} → ${to}; delays are integer µs ≥ 0`);
      }
      this.queue.scheduleWith(nowUs + delayUs, arrive, flight);
    }
  }

  /** A single copy: joins the link's last flight if its event would come right after it, else starts one. */
  private sendOne(link: Link, message: unknown, sizeBytes: number, arrivalUs: number): void {
    const queue = this.queue;
    if (!(Number.isInteger(arrivalUs) && arrivalUs >= queue.nowUs)) {
      assert(false, `link model gave arrival ${arrivalUs}us for ${link.from} → ${link.to}; delays are integer µs ≥ 0`);
    }
    const last = link.flight;
    if (last !== null && last.arrivalUs === arrivalUs && last.seq === queue.seqNextScheduled - 1) {
      (last.more ??= []).push(message);
      (last.moreSizes ??= []).push(sizeBytes);
      return;
    }
    const flight: Flight = { transport: this, link, message, sizeBytes, arrivalUs, seq: queue.seqNextScheduled, more: null, moreSizes: null };
    link.flight = flight;
    queue.scheduleWith(arrivalUs, arrive, flight);
  }

  /** The link from → to, created on first use; becomes the cached link. */
  private linkOf(from: Address, to: Address): Link {
    let targets = this.links.get(from);
    if (targets === undefined) {
      targets = new Map();
      this.links.set(from, targets);
    }
    let link = targets.get(to);
    if (link === undefined) {
      link = { from, to, target: this.endpoint(to), flight: null, fromKey: -1, toKey: -1 };
      targets.set(to, link);
    }
    this.cachedFrom = from;
    this.cachedTo = to;
    this.cachedLink = link;
    return link;
  }

  private endpoint(address: Address): Endpoint {
    let endpoint = this.endpoints.get(address);
    if (endpoint === undefined) {
      endpoint = { handler: undefined, busyUntilUs: undefined };
      this.endpoints.set(address, endpoint);
    }
    return endpoint;
  }

  listen(address: Address, handler: TransportHandler): void {
    const endpoint = this.endpoint(address);
    assert(endpoint.handler === undefined, `address '${address}' already has a listener`);
    endpoint.handler = handler;
  }

  unlisten(address: Address): void {
    const endpoint = this.endpoints.get(address);
    if (endpoint !== undefined) endpoint.handler = undefined;
  }

  /** Copies to `address` that arrive before `busyUntilUs()` wait until then (see the file comment). */
  gate(address: Address, busyUntilUs: () => number): void {
    this.endpoint(address).busyUntilUs = busyUntilUs;
  }

  /** Called by the queue when a copy arrives; not for other callers. */
  deliver(flight: Flight): void {
    flight.arrivalUs = -1;
    const link = flight.link;
    // A delivered flight can no longer be joined; dropping it lets its messages be collected.
    if (link.flight === flight) link.flight = null;
    this.deliverOne(link, flight.message, flight.sizeBytes);
    const more = flight.more;
    if (more === null) return;
    const sizes = flight.moreSizes!;
    // The listener is read per message: handling one may unlisten the address.
    for (let index = 0; index < more.length; index++) this.deliverOne(link, more[index], sizes[index]!);
    flight.more = null;
    flight.moreSizes = null;
  }

  private deliverOne(link: Link, message: unknown, sizeBytes: number): void {
    const busyUntilUs = link.target.busyUntilUs;
    if (busyUntilUs !== undefined) {
      const freeUs = busyUntilUs();
      if (freeUs > this.queue.nowUs) {
        const waiting: Waiting = { transport: this, link, message, sizeBytes };
        this.queue.scheduleWith(freeUs, handOver, waiting);
        return;
      }
    }
    this.handOver(link, message, sizeBytes);
  }

  /** Gives a copy to the address's listener now (called by the queue for a copy that waited). */
  handOver(link: Link, message: unknown, sizeBytes: number): void {
    const handler = link.target.handler;
    if (handler === undefined) {
      this.stats.messagesUnroutable++;
      return;
    }
    this.stats.messagesDelivered++;
    this.stats.bytesDelivered += sizeBytes;
    handler(link.from, message);
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
