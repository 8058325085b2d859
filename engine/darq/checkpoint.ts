// Checkpoints: how the log prefix is reclaimed without losing anything (property 9).
//
// A checkpoint is a run of frames — BEGIN, PARTs, END — appended in one group-commit batch. It
// states the whole DARQ as of its position in the log: every hosted logical DARQ with its
// incarnation and dedup tables, every out-pair with its sequence numbers and unacknowledged
// messages, and every unconsumed entry under its original LSN ("carried forward"). Once the
// batch holding END is durable, the prefix before BEGIN is truncated: whatever it held is either
// consumed, acknowledged, or copied into the checkpoint. Recovery that starts at a BEGIN loads
// the checkpoint; a checkpoint met in the middle of a replay is skipped, because replaying the
// frames before it built the very same state (the crash tests recover both ways); a checkpoint
// cut short by a crash (no END) is cut off the log (recovery.ts).
//
// Bodies are msgpackr (checkpoints are rare and tree-shaped). PART bodies are lists of items:
//   ["L", index, name, incarnation, producers [[id, contiguous, above[]]…], sources [[id, seqExpected]…],
//    fenced]
//   ["P", pairIndex, sourceIndex, target, seqNext, seqAcked]     then ["Q", pairIndex, bodies[]]…
//   ["S", logicalIndex, lsn, body]      an unconsumed SELF entry
//   ["I", logicalIndex, lsn, body, from, fromDarq, seq]          an unconsumed IN entry
// All L items come first, so pairs and entries always find their logical DARQs.

import { Packr } from "msgpackr";
import { assert } from "../io/assert.ts";
import { ErrorCode, SsmsError } from "../io/errors.ts";
import type { LogDevice } from "../io/log-device.ts";
import type { DarqConfig } from "./darq-config.ts";
import type { FrameBuffer } from "./frame-buffer.ts";
import type { Batch, GroupCommit } from "./group-commit.ts";
import {
  type DarqState, hostApply, inRestore, type LogicalDarq, pairDeclareApply, selfApply,
} from "./logical-darq.ts";
import { RecordKind } from "./record-codec.ts";

const packr = new Packr({ useRecords: false, moreTypes: false });

type Item = readonly unknown[];

export type CompactionStats = { checkpoints: number; bytesReclaimed: number };

/**
 * Decides when to checkpoint — the stored log is at least compactBytesMin, at least twice the
 * last checkpoint, and live bytes are at most compactLiveRatioMax of it — writes the checkpoint
 * into the open batch, and truncates the prefix once that batch is durable.
 */
export class Compactor {
  readonly stats: CompactionStats = { checkpoints: 0, bytesReclaimed: 0 };
  private pending = false;
  private checkpointBytesLast = 0;

  constructor(
    private readonly device: LogDevice,
    private readonly state: DarqState,
    private readonly commit: GroupCommit,
    private readonly config: DarqConfig,
  ) {}

  /** After each publish: truncate behind a durable checkpoint, start a new one if worth it. */
  published(batch: Batch): void {
    if (batch.checkpointAt >= 0) {
      const offset = batch.byteStart + batch.checkpointAt;
      this.pending = false;
      this.stats.checkpoints++;
      this.stats.bytesReclaimed += offset - this.device.begin();
      this.device.truncatePrefix(offset);
    }
    if (this.pending) return;
    const logBytes = this.device.end() - this.device.begin();
    const config = this.config;
    if (logBytes < config.compactBytesMin || logBytes < 2 * this.checkpointBytesLast) return;
    if (this.state.liveBytes > logBytes * config.compactLiveRatioMax) return;
    const open = this.commit.batch();
    open.checkpointAt = this.commit.buffer.used;
    this.checkpointBytesLast = checkpointWrite(this.commit.buffer, this.state, config.checkpointChunkBytes);
    this.pending = true;
    this.commit.added();
  }
}

/** Appends a complete checkpoint of `state`; returns the checkpoint's byte size. */
export function checkpointWrite(buffer: FrameBuffer, state: DarqState, chunkBytes: number): number {
  const startAt = buffer.used;
  frameWritePacked(buffer, RecordKind.checkpointBegin,
    [state.lsnNext, state.logicalIndexNext, state.pairIndexNext]);
  let items: Item[] = [];
  let bytes = 0;
  const emit = (item: Item, itemBytes: number): void => {
    items.push(item);
    bytes += itemBytes + 16;
    if (bytes < chunkBytes) return;
    frameWritePacked(buffer, RecordKind.checkpointPart, items);
    items = [];
    bytes = 0;
  };
  for (const logical of state.byName.values()) emit(logicalItem(logical), 64 * (1 + logical.producers.producers.size));
  for (const logical of state.byName.values()) logicalContentEmit(logical, emit);
  if (items.length > 0) frameWritePacked(buffer, RecordKind.checkpointPart, items);
  frameWritePacked(buffer, RecordKind.checkpointEnd, []);
  return buffer.used - startAt;
}

function logicalItem(logical: LogicalDarq): Item {
  const producers: unknown[] = [];
  for (const [id, producer] of logical.producers.producers) {
    producers.push([id, producer.contiguous, producer.above === null ? [] : [...producer.above]]);
  }
  const sources: unknown[] = [];
  for (const [id, source] of logical.sources) sources.push([id, source.seqExpected]);
  return ["L", logical.index, logical.name, logical.incarnation, producers, sources, logical.fenced];
}

/** Emits a logical DARQ's pairs (with unacked messages) and unconsumed entries. */
function logicalContentEmit(logical: LogicalDarq, emit: (item: Item, bytes: number) => void): void {
  for (const pair of logical.pairs.values()) {
    emit(["P", pair.index, logical.index, pair.target, pair.seqNext, pair.seqAcked], 32);
    let bodies: Uint8Array[] = [];
    let bytes = 0;
    for (let at = pair.head; at < pair.bodies.length; at++) {
      const body = pair.bodies[at]!;
      bodies.push(body);
      bytes += body.length + 8;
      if (bytes < 64 * 1024) continue;
      emit(["Q", pair.index, bodies], bytes);
      bodies = [];
      bytes = 0;
    }
    if (bodies.length > 0) emit(["Q", pair.index, bodies], bytes);
  }
  logical.selves.forEach((lsn, body) => emit(["S", logical.index, lsn, body], body.length));
  logical.ins.forEach((lsn, entry) => {
    emit(["I", logical.index, lsn, entry.body, entry.from, entry.fromDarq, entry.seq], entry.body.length + entry.from.length);
  });
}

function frameWritePacked(buffer: FrameBuffer, kind: RecordKind, value: unknown): void {
  const packed = packr.pack(value);
  const at = buffer.frameBegin(1 + packed.length);
  buffer.bytes[at] = kind;
  buffer.bytes.set(packed, at + 1);
  buffer.frameEnd(at + 1 + packed.length);
}

function unpack(body: Uint8Array): unknown {
  return packr.unpack(body.subarray(1));
}

function corrupt(what: string): SsmsError {
  return new SsmsError(ErrorCode.frameCorrupt, `checkpoint record is malformed: ${what}`);
}

/** Loads a checkpoint's BEGIN into an empty state. */
export function checkpointBeginLoad(state: DarqState, body: Uint8Array): void {
  assert(state.byName.size === 0 && state.lsnNext === 1, "checkpoint loaded into a non-empty state");
  const header = unpack(body);
  if (!Array.isArray(header) || header.length !== 3) throw corrupt("BEGIN is not [lsnNext, logicals, pairs]");
  state.lsnNext = header[0] as number;
  state.logicalIndexNext = header[1] as number;
  state.pairIndexNext = header[2] as number;
}

/** Applies one PART of the checkpoint being loaded. */
export function checkpointPartLoad(state: DarqState, body: Uint8Array): void {
  const items = unpack(body);
  if (!Array.isArray(items)) throw corrupt("PART is not a list");
  for (const item of items as unknown[][]) {
    switch (item[0]) {
      case "L": {
        const logical = hostApply(state, item[2] as string, item[1] as number);
        logical.incarnation = item[3] as number;
        logical.fenced = item[6] === true;
        for (const [id, contiguous, above] of item[4] as [string, number, number[]][]) {
          logical.producers.restore(id, contiguous, above);
        }
        for (const [id, seqExpected] of item[5] as [string, number][]) logical.sourceState(id).seqExpected = seqExpected;
        break;
      }
      case "P": {
        const pair = pairDeclareApply(state, state.logical(item[2] as number), item[1] as number, item[3] as string);
        pair.seqNext = item[4] as number;
        pair.seqAcked = pair.seqSent = pair.seqReleased = item[5] as number;
        break;
      }
      case "Q": {
        const pair = state.pair(item[1] as number);
        for (const body of item[2] as Uint8Array[]) {
          pair.bodies.push(body);
          state.liveBytes += body.length;
        }
        break;
      }
      case "S":
      case "I":
        entryLoad(state, item);
        break;
      default:
        throw corrupt(`unknown item ${JSON.stringify(item[0])}`);
    }
  }
}

function entryLoad(state: DarqState, item: unknown[]): void {
  const logical = state.logical(item[1] as number);
  const lsn = item[2] as number;
  const body = item[3] as Uint8Array;
  if (item[0] === "S") selfApply(state, logical, lsn, body);
  else inRestore(state, logical, lsn, body, item[4] as string, item[5] as boolean, item[6] as number);
}
