// The in-memory state of a physical DARQ and of each logical DARQ it hosts, and the "apply"
// leaves that change it. The live path (a step accepted now) and the replay path (a record read
// back at recovery) call the same leaves, so recovery rebuilds exactly what the live path built.
//
// Everything a logical DARQ needs to move to another physical DARQ is in LogicalDarq: its
// unconsumed entries, its incarnation, its dedup tables (producers and sources) and its
// out-pairs with their unacknowledged messages; nothing about it lives elsewhere.

import { assert } from "../io/assert.ts";
import type { TimerId } from "../io/clock.ts";
import { ProducerDedup, SourceState } from "./dedup.ts";
import { Entry, EntryKind, type Lsn } from "./entry.ts";
import { EntryQueue } from "./entry-queue.ts";
import { SelfQueue } from "./self-queue.ts";

/** Called with each new durable IN entry of a registered logical DARQ, in log order. */
export type InputHandler = (entry: Entry) => void;

export class LogicalDarq {
  /** Bodies of unconsumed SELF entries in LSN order (Entry objects are made only when read). */
  readonly selves = new SelfQueue();
  /** Unconsumed IN entries in LSN order. */
  readonly ins = new EntryQueue<Entry>();
  readonly producers = new ProducerDedup();
  readonly sources = new Map<string, SourceState>();
  /** Out-pairs by target logical DARQ id. */
  readonly pairs = new Map<string, Pair>();
  incarnation = 0;
  /** Migrating away: no more steps, registrations or input (migration.ts). */
  fenced = false;
  /** The fence is durable, so every earlier step is: the state may be exported. */
  fenceDurable = false;
  onInput: InputHandler | null = null;
  /** IN entries from this LSN on are announced to `onInput` (set when a registration is durable). */
  notifyFromLsn: Lsn = Number.MAX_SAFE_INTEGER;

  constructor(readonly name: string, readonly index: number) {}

  sourceState(source: string): SourceState {
    let state = this.sources.get(source);
    if (state === undefined) {
      state = new SourceState(source, this.name);
      this.sources.set(source, state);
    }
    return state;
  }
}

/**
 * The sending end of one (source logical DARQ → target logical DARQ) pair. Invariant: `bodies`
 * from `head` on hold exactly the messages seqAcked+1 .. seqNext-1, in order.
 */
export class Pair {
  seqNext = 1;
  seqAcked = 0;
  /** Highest sequence number whose step is durable: only these may be sent. */
  seqReleased = 0;
  /** Highest sequence number sent in the current round (go-back-N resets it to seqAcked). */
  seqSent = 0;
  readonly bodies: Uint8Array[] = [];
  head = 0;
  // Sender bookkeeping (out-sender.ts).
  timer: TimerId = -1;
  attempts = 0;
  /** Queued in the out-sender's list of pairs with newly released messages. */
  releasePending = false;
  /** The target, when it is hosted on this physical DARQ (cache; cleared when it leaves). */
  targetLocal: LogicalDarq | null = null;
  /** The target's receiving state for this pair, when local. */
  targetSource: SourceState | null = null;

  constructor(readonly index: number, readonly source: LogicalDarq, readonly target: string) {}

  get unackedCount(): number {
    return this.bodies.length - this.head;
  }

  /** The unacked body with sequence number `seq`. */
  body(seq: number): Uint8Array {
    const body = this.bodies[this.head + seq - this.seqAcked - 1];
    if (body === undefined) assert(false, `pair ${this.source.name} → ${this.target}: no unacked message ${seq}`);
    return body;
  }
}

export class DarqState {
  readonly byName = new Map<string, LogicalDarq>();
  readonly byIndex: (LogicalDarq | undefined)[] = [];
  readonly pairs: (Pair | undefined)[] = [];
  lsnNext: Lsn = 1;
  /** Entries below this LSN are durable and visible to processors. */
  lsnDurable: Lsn = 1;
  logicalIndexNext = 0;
  pairIndexNext = 0;
  /** Bytes of unconsumed entries plus unacknowledged out-messages (what a checkpoint copies). */
  liveBytes = 0;

  logical(index: number): LogicalDarq {
    const logical = this.byIndex[index];
    if (logical === undefined) assert(false, `no logical DARQ with index ${index}`);
    return logical;
  }

  pair(index: number): Pair {
    const pair = this.pairs[index];
    if (pair === undefined) assert(false, `no out-pair with index ${index}`);
    return pair;
  }
}

export function hostApply(state: DarqState, name: string, index: number): LogicalDarq {
  if (state.byName.has(name) || state.byIndex[index] !== undefined) assert(false, `logical DARQ ${name} hosted twice`);
  const logical = new LogicalDarq(name, index);
  state.byName.set(name, logical);
  state.byIndex[index] = logical;
  if (index >= state.logicalIndexNext) state.logicalIndexNext = index + 1;
  // Pairs of other logical DARQs that target this one may now deliver in-process.
  for (const pair of state.pairs) if (pair !== undefined && pair.target === name) pairLinkLocal(pair, logical);
  return logical;
}

export function registerApply(logical: LogicalDarq, incarnation: number): void {
  if (incarnation <= logical.incarnation) assert(false, `incarnation of ${logical.name} must grow`);
  logical.incarnation = incarnation;
}

/** Removes entry `lsn` from the unconsumed entries; the caller validated that it is there. */
export function consumeApply(state: DarqState, logical: LogicalDarq, lsn: Lsn): void {
  const selves = logical.selves;
  const self = selves.find(lsn);
  if (self !== -1) {
    state.liveBytes -= selves.take(self);
    return;
  }
  const position = logical.ins.find(lsn);
  if (position === -1) assert(false, `step of ${logical.name} consumes ${lsn}, which is not unconsumed`);
  state.liveBytes -= logical.ins.take(position).body.length;
}

export function selfApply(state: DarqState, logical: LogicalDarq, lsn: Lsn, body: Uint8Array): void {
  // The queue copies the body into its arena: a SELF record may stay unconsumed for a long time,
  // and the caller's array is often a view into an encoder's large shared buffer.
  logical.selves.push(lsn, body);
  state.liveBytes += body.length;
}

/** Adds an IN entry and records its (from, seq) in the matching dedup table. */
export function inApply(
  state: DarqState, logical: LogicalDarq, lsn: Lsn, body: Uint8Array,
  from: string, fromDarq: boolean, seq: number,
): Entry {
  if (fromDarq) {
    const source = logical.sourceState(from);
    if (seq !== source.seqExpected) assert(false, `IN ${from} → ${logical.name} seq ${seq}, expected ${source.seqExpected}`);
    source.seqExpected = seq + 1;
  } else {
    logical.producers.accept(from, seq);
  }
  const entry = new Entry(lsn, EntryKind.in, body, from, fromDarq, seq);
  logical.ins.push(lsn, entry);
  state.liveBytes += body.length;
  return entry;
}

/** Adds an IN entry whose (from, seq) the dedup tables already hold (checkpoint, adoption). */
export function inRestore(
  state: DarqState, logical: LogicalDarq, lsn: Lsn, body: Uint8Array, from: string, fromDarq: boolean, seq: number,
): void {
  logical.ins.push(lsn, new Entry(lsn, EntryKind.in, body, from, fromDarq, seq));
  state.liveBytes += body.length;
}

export function pairDeclareApply(state: DarqState, source: LogicalDarq, index: number, target: string): Pair {
  assert(state.pairs[index] === undefined && !source.pairs.has(target),
    `out-pair ${source.name} → ${target} declared twice`);
  const pair = new Pair(index, source, target);
  state.pairs[index] = pair;
  source.pairs.set(target, pair);
  if (index >= state.pairIndexNext) state.pairIndexNext = index + 1;
  const local = state.byName.get(target);
  if (local !== undefined) pairLinkLocal(pair, local);
  return pair;
}

function pairLinkLocal(pair: Pair, target: LogicalDarq): void {
  pair.targetLocal = target;
  pair.targetSource = target.sourceState(pair.source.name);
}

/**
 * Appends out-message `seq` of `pair`. A local one (target hosted here, nothing unacked ahead of
 * it) becomes an IN entry of the target at once and counts as acknowledged; its entry is
 * returned. A remote one joins the pair's unacked queue and returns null.
 */
export function outApply(
  state: DarqState, pair: Pair, seq: number, lsn: Lsn, body: Uint8Array, local: boolean,
): Entry | null {
  if (seq !== pair.seqNext) assert(false, `out ${pair.source.name} → ${pair.target} seq ${seq}, expected ${pair.seqNext}`);
  pair.seqNext = seq + 1;
  if (!local) {
    pair.bodies.push(body);
    state.liveBytes += body.length;
    return null;
  }
  // Local delivery was chosen only with an empty queue, so anything still queued here (on replay,
  // where acks are not logged) was acknowledged before this message was written.
  ackApply(state, pair, seq - 1);
  pair.seqAcked = seq;
  pair.seqReleased = seq;
  pair.seqSent = seq;
  const target = pair.targetLocal;
  const source = pair.targetSource;
  if (target === null || source === null) assert(false, `local out to ${pair.target}, which is not hosted here`);
  if (seq !== source.seqExpected) assert(false, `local out seq ${seq} to ${pair.target}, expected ${source.seqExpected}`);
  source.seqExpected = seq + 1;
  const entry = new Entry(lsn, EntryKind.in, body, pair.source.name, true, seq);
  target.ins.push(lsn, entry);
  state.liveBytes += body.length;
  return entry;
}

/** Drops the unacked messages up to `seq` (cumulative acknowledgement). */
export function ackApply(state: DarqState, pair: Pair, seq: number): void {
  if (seq <= pair.seqAcked) return;
  if (seq >= pair.seqNext) assert(false, `ack ${seq} for ${pair.source.name} → ${pair.target} beyond ${pair.seqNext - 1}`);
  const bodies = pair.bodies;
  const end = pair.head + (seq - pair.seqAcked);
  for (let at = pair.head; at < end; at++) state.liveBytes -= bodies[at]!.length;
  pair.head = end;
  pair.seqAcked = seq;
  if (pair.seqSent < seq) pair.seqSent = seq;
  if (pair.seqReleased < seq) pair.seqReleased = seq;
  // Compact the queue once the consumed prefix dominates, keeping pushes amortised O(1).
  if (pair.head === bodies.length) {
    bodies.length = 0;
    pair.head = 0;
  } else if (pair.head > 64 && pair.head * 2 > bodies.length) {
    bodies.splice(0, pair.head);
    pair.head = 0;
  }
}
