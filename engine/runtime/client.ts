// Client: how code outside the cluster talks to automata (runtime issue item 9).
//
//   client.send(ref, message, done?)        exactly once: (producer, seq) with seq numbered per
//                                           target from 1; resent until the target's DARQ says it
//                                           is durable. Returns the seq used.
//   client.ask(ref, message, done)          sends with a reply-to and calls done(reply) with the
//                                           first message the automaton sends back (ctx.reply)
//   client.readState(definition, key, done) the automaton's committed state, rebuilt from the
//                                           SELF entries of its logical DARQ (durable ones only)
//
// Routing is the same lazy protocol the DARQs use (route-cache.ts): the first message to an
// automaton that is not active asks the metadata workflow to activate it. Exactly-once holds
// for one client lifetime; a client that restarts and must not repeat a send uses the same
// producer id and continues numbering (`seqStart`, or explicit seqs via `sendWithSeq`).
//
// Cost of `ask`: each request gets its own reply id, and each replying automaton keeps a small
// out-pair per reply id it answered (DARQ pairs are never forgotten).

import type { Clock, TimerId } from "../io/clock.ts";
import { ErrorCode } from "../io/errors.ts";
import { err, ok, type Result } from "../io/result.ts";
import type { Address, Transport } from "../io/transport.ts";
import type { CatalogStore } from "../catalog/catalog-store.ts";
import { wireParse } from "../darq/index.ts";
import type { AnyAutomatonDefinition, StateOf } from "./automaton.ts";
import { envelopeEncode, messageEncode } from "./codec.ts";
import { addressesOf } from "./darq-node.ts";
import { EnqueueClient } from "./enqueue-client.ts";
import { replay } from "./host-replay.ts";
import type { AutomatonId, AutomatonRef } from "./ids.ts";
import { metadataId } from "./metadata-types.ts";
import { entriesBytes, entryOfRow, processorWireParse, type StateRead, type StateReadReply } from "./processor-wire.ts";
import { ReplyInbox } from "./reply-inbox.ts";
import { clientReplyType, RouteCache } from "./route-cache.ts";

export type ClientOptions = {
  readonly transport: Transport;
  readonly clock: Clock;
  /** The client's address: acks, replies and state reads come back here. Must not contain '/'. */
  readonly address: Address;
  readonly catalog: CatalogStore;
  /** The DARQ address of the metadata automaton. */
  readonly metadataAddress: Address;
  /** Producer id of this client's messages. */
  readonly producer: string;
  /** First seq per target (a restarted client continues where it left off). */
  readonly seqStart?: number;
  readonly retryUsMin?: number;
  readonly retryUsMax?: number;
  readonly readAttemptsMax?: number;
};

type Done<T> = (result: Result<T>) => void;
type StateReadPending = { readonly id: string; readonly done: Done<StateReadReply>; attempts: number; timer: TimerId };

export class Client {
  readonly routes: RouteCache;
  private readonly enqueues: EnqueueClient;
  private readonly seqByTarget = new Map<string, number>();
  private readonly asks = new Map<string, Done<unknown>>();
  private readonly reads = new Map<number, StateReadPending>();
  private askNext = 1;
  private readNext = 1;
  private metaSeq = 1;
  private stopped = false;
  private readonly replies: ReplyInbox;
  /** Producer of this client's activation requests: fresh per client object, as their seqs are. */
  private readonly metaProducer: string;

  constructor(private readonly options: ClientOptions) {
    this.metaProducer = `${options.producer}~activate@${options.clock.nowUs()}`;
    this.routes = new RouteCache({
      catalog: options.catalog, clock: options.clock, fixed: new Map([[metadataId, options.metadataAddress]]),
      activationRequest: (id) => this.metadataRequest(id),
    });
    this.replies = new ReplyInbox(options.transport, options.address, (target, _source, message) => this.replied(target, message));
    this.enqueues = new EnqueueClient({
      transport: options.transport, clock: options.clock, address: options.address, routes: this.routes,
      ...(options.retryUsMin === undefined ? {} : { retryUsMin: options.retryUsMin }),
      ...(options.retryUsMax === undefined ? {} : { retryUsMax: options.retryUsMax }),
      onOther: (from, message) => this.receive(from, message),
    });
  }

  /** Sends `message` to `to` exactly once; `done` once it is durable there. Returns its seq. */
  send<Message>(to: AutomatonRef<Message>, message: NoInfer<Message>, done: Done<void> = () => undefined): Result<number> {
    const seq = this.seqByTarget.get(to) ?? this.options.seqStart ?? 1;
    const sent = this.sendWithSeq(to, message, seq, done);
    if (!sent.ok) return sent;
    this.seqByTarget.set(to, seq + 1);
    return ok(seq);
  }

  /** Sends with an explicit seq (the caller keeps the numbering, e.g. across its own restarts). */
  sendWithSeq<Message>(
    to: AutomatonRef<Message>, message: NoInfer<Message>, seq: number, done: Done<void> = () => undefined, replyTo?: AutomatonId,
  ): Result<void> {
    if (this.stopped) return err(ErrorCode.deviceClosed, `client ${this.options.address} is stopped`);
    return this.enqueues.enqueue(to, this.options.producer, seq, messageEncode(to, message, replyTo), done);
  }

  /** Sends `message` with a reply-to; `done` gets the automaton's first reply. */
  ask<Message>(to: AutomatonRef<Message>, message: NoInfer<Message>, done: Done<unknown>): Result<number> {
    const replyId = `${clientReplyType}/${this.options.address}/${this.askNext++}` as AutomatonId;
    const seq = this.seqByTarget.get(to) ?? this.options.seqStart ?? 1;
    const sent = this.sendWithSeq(to, message, seq, (result) => {
      if (!result.ok && this.asks.delete(replyId)) done(result);
    }, replyId);
    if (!sent.ok) return sent;
    this.seqByTarget.set(to, seq + 1);
    this.asks.set(replyId, done);
    return ok(seq);
  }

  /** Reads the committed state of `definition.type/key` from its DARQ. */
  readState<D extends AnyAutomatonDefinition>(definition: D, key: string, done: Done<StateOf<D>>): void {
    const id = definition.ref(key);
    this.stateRead(id, (read) => {
      if (!read.ok) return done(read);
      if (read.value.code !== "") return done(err(read.value.code as ErrorCode, read.value.reason));
      const replayed = replay(definition, id, read.value.entries.map(entryOfRow), 0);
      done(replayed.ok ? ok(replayed.value.state as StateOf<D>) : replayed);
    });
  }

  /** Messages not yet acknowledged and replies not yet received. */
  get pending(): { readonly sends: number; readonly asks: number; readonly reads: number } {
    return { sends: this.enqueues.inflight, asks: this.asks.size, reads: this.reads.size };
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const read of this.reads.values()) this.options.clock.timerCancel(read.timer);
    this.reads.clear();
    this.enqueues.stop();
    this.routes.stop();
  }

  private metadataRequest(id: string): void {
    const body = envelopeEncode(metadataId as AutomatonId, { type: "activate", id });
    this.enqueues.enqueue(metadataId, this.metaProducer, this.metaSeq++, body, () => undefined);
  }

  private replied(target: string, message: unknown): void {
    const done = this.asks.get(target);
    if (done === undefined) return;
    this.asks.delete(target);
    done(ok(message));
  }

  private stateRead(id: string, done: Done<StateReadReply>): void {
    const request = this.readNext++;
    const pending: StateReadPending = { id, done, attempts: 0, timer: -1 };
    this.reads.set(request, pending);
    this.readAttempt(request, pending);
  }

  private readAttempt(request: number, pending: StateReadPending): void {
    if (pending.attempts >= (this.options.readAttemptsMax ?? 100)) {
      this.reads.delete(request);
      return pending.done(err(ErrorCode.limitExceeded, `state read of '${pending.id}' unanswered after ${pending.attempts} attempts`));
    }
    pending.attempts++;
    const delayUs = Math.min(this.options.retryUsMax ?? 1_000_000, (this.options.retryUsMin ?? 20_000) * 2 ** (pending.attempts - 1));
    pending.timer = this.options.clock.timerStart(delayUs, () => {
      if (this.reads.get(request) === pending) this.readAttempt(request, pending);
    });
    this.routes.resolveThen(pending.id, (address) => {
      if (this.stopped || this.reads.get(request) !== pending) return;
      const message: StateRead = { kind: "stateRead", id: pending.id, request };
      this.options.transport.send(this.options.address, addressesOf(address).service, message, entriesBytes([]));
    });
  }

  private receive(from: Address, raw: unknown): void {
    if (this.stopped) return;
    const wire = wireParse(raw);
    if (wire !== null) {
      if (wire.kind === "data") this.replies.onData(from, wire);
      return;
    }
    const message = processorWireParse(raw);
    if (message === null || message.kind !== "stateReadReply") return;
    const pending = this.reads.get(message.request);
    if (pending === undefined || pending.id !== message.id) return;
    this.reads.delete(message.request);
    this.options.clock.timerCancel(pending.timer);
    // Not hosted there (moved, or a stale route): forget the route and read again.
    if (message.code === ErrorCode.logicalDarqUnknown) {
      this.routes.invalidate(pending.id);
      this.reads.set(message.request, pending);
      return this.readAttempt(message.request, pending);
    }
    pending.done(ok(message));
  }
}
