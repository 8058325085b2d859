// Moving a logical DARQ between physical DARQs (property 10's building blocks; the resilient
// workflow around them — catalog flip, retries after crashes — is the runtime's metadata
// automaton). The protocol, each step durable before the next:
//   1. source.fence(id)     FENCE record: no more steps, registrations, enqueues or arrivals for
//                           id (callers get logicalDarqMigrating, senders notHere and retry);
//                           durable fence ⇒ every earlier step of id is durable.
//   2. source.exportState(id) → LogicalState: everything id is, as plain data — unconsumed SELF
//                           and IN entries, incarnation, producer and source dedup tables, and
//                           out-pairs with their unacknowledged messages.
//   3. target.adopt(state)  ADOPT record: id is hosted there with that state, as one record.
//   4. the catalog flips id to the target; senders re-route after their next notHere.
//   5. source.release(id)   RELEASE record: id is gone from the source.
// Every step is idempotent or detectably done (adopt refuses an id already hosted; release of an
// unhosted id is a no-op), so a workflow that crashes resumes where it stopped. Between 3 and 5
// both sides may send id's unacked out-messages; the receivers' per-pair dedup keeps them
// exactly once, since the adopted pairs continue the same sequence numbers.

import { Packr } from "msgpackr";
import { assert } from "../io/assert.ts";
import { ErrorCode } from "../io/errors.ts";
import { err, type Err, ok, type Result } from "../io/result.ts";
import type { FrameBuffer } from "./frame-buffer.ts";
import type { DurableDone, GroupCommit } from "./group-commit.ts";
import {
  type DarqState, hostApply, inRestore, type LogicalDarq, pairDeclareApply, selfApply,
} from "./logical-darq.ts";
import type { OutSender } from "./out-sender.ts";
import { RecordKind } from "./record-codec.ts";

/** A logical DARQ as plain (msgpack-encodable) data. */
export type LogicalState = {
  readonly name: string;
  readonly incarnation: number;
  readonly producers: readonly (readonly [id: string, contiguous: number, above: readonly number[]])[];
  readonly sources: readonly (readonly [id: string, seqExpected: number])[];
  readonly pairs: readonly { readonly target: string; readonly seqNext: number; readonly seqAcked: number;
    readonly bodies: readonly Uint8Array[] }[];
  readonly selves: readonly Uint8Array[];
  readonly ins: readonly { readonly body: Uint8Array; readonly from: string; readonly fromDarq: boolean;
    readonly seq: number }[];
};

const packr = new Packr({ useRecords: false, moreTypes: false });

export function logicalExport(logical: LogicalDarq): LogicalState {
  const selves: Uint8Array[] = [];
  logical.selves.forEach((_lsn, body) => { selves.push(body); });
  const ins: LogicalState["ins"][number][] = [];
  logical.ins.forEach((_lsn, entry) => { ins.push({ body: entry.body, from: entry.from, fromDarq: entry.fromDarq, seq: entry.seq }); });
  return {
    name: logical.name, incarnation: logical.incarnation, selves, ins,
    producers: [...logical.producers.producers].map(([id, producer]) =>
      [id, producer.contiguous, producer.above === null ? [] : [...producer.above]] as const),
    sources: [...logical.sources].map(([id, source]) => [id, source.seqExpected] as const),
    pairs: [...logical.pairs.values()].map((pair) => ({ target: pair.target, seqNext: pair.seqNext,
      seqAcked: pair.seqAcked, bodies: pair.bodies.slice(pair.head) })),
  };
}

/** Hosts `snapshot` as logical DARQ `index`; its entries take LSNs from state.lsnNext on. */
export function adoptApply(state: DarqState, snapshot: LogicalState, index: number, pairIndexFirst: number): LogicalDarq {
  const logical = hostApply(state, snapshot.name, index);
  logical.incarnation = snapshot.incarnation;
  for (const [id, contiguous, above] of snapshot.producers) logical.producers.restore(id, contiguous, above);
  for (const [id, seqExpected] of snapshot.sources) {
    const source = logical.sourceState(id);
    source.seqExpected = seqExpected;
    source.seqDurable = seqExpected - 1;
  }
  for (const body of snapshot.selves) selfApply(state, logical, state.lsnNext++, body);
  for (const { body, from, fromDarq, seq } of snapshot.ins) inRestore(state, logical, state.lsnNext++, body, from, fromDarq, seq);
  let pairIndex = pairIndexFirst;
  for (const { target, seqNext, seqAcked, bodies } of snapshot.pairs) {
    const pair = pairDeclareApply(state, logical, pairIndex++, target);
    pair.seqAcked = pair.seqSent = pair.seqReleased = seqAcked;
    pair.seqNext = seqNext;
    for (const body of bodies) {
      pair.bodies.push(body);
      state.liveBytes += body.length;
    }
    if (pair.unackedCount !== seqNext - 1 - seqAcked) assert(false, `adopted pair ${snapshot.name} → ${target} is inconsistent`);
  }
  return logical;
}

export function releaseApply(state: DarqState, logical: LogicalDarq, sender: OutSender | null): void {
  state.byName.delete(logical.name);
  state.byIndex[logical.index] = undefined;
  logical.selves.forEach((_lsn, body) => { state.liveBytes -= body.length; });
  logical.ins.forEach((_lsn, entry) => { state.liveBytes -= entry.body.length; });
  for (const pair of logical.pairs.values()) {
    for (let at = pair.head; at < pair.bodies.length; at++) state.liveBytes -= pair.bodies[at]!.length;
    state.pairs[pair.index] = undefined;
    sender?.forget(pair);
  }
  for (const pair of state.pairs) {
    if (pair !== undefined && pair.targetLocal === logical) {
      pair.targetLocal = null;
      pair.targetSource = null;
    }
  }
}

export function fenceEncode(buffer: FrameBuffer, kind: RecordKind, logicalIndex: number): void {
  const at = buffer.frameBegin(8);
  buffer.view.setUint32(at, kind, true);
  buffer.view.setUint32(at + 4, logicalIndex, true);
  buffer.frameEnd(at + 8);
}

export function adoptEncode(buffer: FrameBuffer, index: number, lsnFirst: number, pairIndexFirst: number,
  snapshot: LogicalState): void {
  const packed = packr.pack([index, lsnFirst, pairIndexFirst, snapshot]);
  const at = buffer.frameBegin(1 + packed.length);
  buffer.bytes[at] = RecordKind.adopt;
  buffer.bytes.set(packed, at + 1);
  buffer.frameEnd(at + 1 + packed.length);
}

export function adoptDecode(body: Uint8Array): [index: number, lsnFirst: number, pairIndexFirst: number, snapshot: LogicalState] {
  return packr.unpack(body.subarray(1)) as [number, number, number, LogicalState];
}

/** The migration API of a physical DARQ (see the file comment), reached as `darq.migration`. */
export class Migrator {
  constructor(
    private readonly state: DarqState,
    private readonly commit: GroupCommit,
    private readonly sender: OutSender,
    private readonly address: string,
    private readonly failure: () => Err | null,
  ) {}

  /** Step 1: no more work for `logicalDarq` here; `done` once the fence is durable. */
  fence(logicalDarq: string, done: DurableDone): Result<void> {
    const logical = this.hosted(logicalDarq);
    if (!logical.ok) return logical;
    const batch = this.commit.batch();
    const target = logical.value;
    if (!target.fenced) {
      target.fenced = true;
      fenceEncode(this.commit.buffer, RecordKind.fence, target.index);
    }
    batch.durableDone.push((failure) => {
      if (failure === null) target.fenceDurable = true;
      done(failure);
    });
    this.commit.added();
    return ok(undefined);
  }

  /** Step 2: the fenced logical DARQ as plain data. */
  exportState(logicalDarq: string): Result<LogicalState> {
    const logical = this.hosted(logicalDarq);
    if (!logical.ok) return logical;
    if (!logical.value.fenceDurable) {
      return err(ErrorCode.logicalDarqMigrating,
        `logical DARQ '${logicalDarq}' on ${this.address} must be fenced (durably) before it is exported`);
    }
    return ok(logicalExport(logical.value));
  }

  /** Step 3, on the target: host a logical DARQ with exported state, as one record. */
  adopt(snapshot: LogicalState, done: DurableDone): Result<void> {
    const failure = this.failure();
    if (failure !== null) return failure;
    const state = this.state;
    if (state.byName.has(snapshot.name)) {
      return err(ErrorCode.argumentInvalid, `logical DARQ '${snapshot.name}' is already hosted on ${this.address}`);
    }
    const batch = this.commit.batch();
    const index = state.logicalIndexNext;
    const lsnFirst = state.lsnNext;
    const pairIndexFirst = state.pairIndexNext;
    const logical = adoptApply(state, snapshot, index, pairIndexFirst);
    adoptEncode(this.commit.buffer, index, lsnFirst, pairIndexFirst, snapshot);
    for (const pair of logical.pairs.values()) {
      if (pair.unackedCount === 0) continue;
      batch.outPairs.push(pair);
      batch.outSeqs.push(pair.seqNext - 1);
    }
    batch.durableDone.push(done);
    this.commit.added();
    return ok(undefined);
  }

  /**
   * Whether `logicalDarq` could be exported whole and dropped now (a deactivation that frees the
   * DARQ): no unconsumed IN entry, no unacknowledged out-message, and its SELF entries and dedup
   * tables take at most about `bytesMax` bytes.
   */
  quiescent(logicalDarq: string, bytesMax: number): Result<boolean> {
    const hosted = this.hosted(logicalDarq);
    if (!hosted.ok) return hosted;
    const logical = hosted.value;
    if (logical.ins.size > 0) return ok(false);
    for (const pair of logical.pairs.values()) if (pair.unackedCount > 0) return ok(false);
    let bytes = 64 * (logical.producers.producers.size + logical.sources.size);
    logical.selves.forEach((_lsn, body) => { bytes += body.length; });
    return ok(bytes <= bytesMax);
  }

  /**
   * `done` once everything appended so far is durable: a resumed workflow that finds its ADOPT
   * already applied waits for it to be durable before it moves on (as adopt's own `done` would).
   */
  barrier(done: DurableDone): Result<void> {
    const failure = this.failure();
    if (failure !== null) return failure;
    this.commit.batch().durableDone.push(done);
    this.commit.added();
    return ok(undefined);
  }

  /** Step 5: drop the fenced logical DARQ; later messages for it are answered notHere. */
  release(logicalDarq: string, done: DurableDone): Result<void> {
    const failure = this.failure();
    if (failure !== null) return failure;
    const logical = this.state.byName.get(logicalDarq);
    if (logical !== undefined && !logical.fenced) {
      return err(ErrorCode.logicalDarqMigrating, `logical DARQ '${logicalDarq}' must be fenced before it is released`);
    }
    const batch = this.commit.batch();
    if (logical !== undefined) {
      releaseApply(this.state, logical, this.sender);
      fenceEncode(this.commit.buffer, RecordKind.release, logical.index);
    }
    // Released before (a resumed workflow): done once everything so far is durable.
    batch.durableDone.push(done);
    this.commit.added();
    return ok(undefined);
  }

  private hosted(logicalDarq: string): Result<LogicalDarq> {
    const failure = this.failure();
    if (failure !== null) return failure;
    const logical = this.state.byName.get(logicalDarq);
    if (logical === undefined) {
      return err(ErrorCode.logicalDarqUnknown, `logical DARQ '${logicalDarq}' is not hosted on ${this.address}`);
    }
    return ok(logical);
  }
}
