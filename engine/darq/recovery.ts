// Recovery: rebuild a physical DARQ's state from its log (property 7).
//
// Frames are scanned from the first stored byte; the scan stops at the first frame whose length
// or CRC is wrong (a torn or garbled tail, which only the unflushed tail can be), and the log is
// cut there, so a step's frame is either replayed whole or gone with its effects — its inputs are
// then unconsumed again. A trailing checkpoint without its END is cut too (see `recover`). Each record is re-applied with the same leaves the live path used, and
// the conditions the live path validated are asserted again (the step's incarnation, its inputs
// being unconsumed, LSNs following on), pairing the check before append with one after replay.

import { assert } from "../io/assert.ts";
import { coverageMark } from "../io/coverage.ts";
import { ErrorCode, SsmsError } from "../io/errors.ts";
import { type FrameScan, framesScan } from "../io/frame.ts";
import type { LogDevice } from "../io/log-device.ts";
import { plantedBugs } from "../io/planted-bugs.ts";
import { checkpointBeginLoad, checkpointPartLoad } from "./checkpoint.ts";
import {
  consumeApply, type DarqState, hostApply, inApply, outApply, pairDeclareApply, registerApply, selfApply,
} from "./logical-darq.ts";
import { adoptApply, adoptDecode, releaseApply } from "./migration.ts";
import {
  hostDecode, inDecode, logicalIndexDecode, RecordKind, registerDecode, stepDecode,
} from "./record-codec.ts";

export type RecoveryReport = FrameScan & {
  /** Bytes cut off the tail (torn or garbled). */
  bytesCut: number;
  /** Whether replay started from a checkpoint. */
  fromCheckpoint: boolean;
};

/**
 * Replays `device` into the empty `state` and cuts the tail after the last valid record: a torn
 * frame, and also a checkpoint that was cut short (BEGIN without END, written in a batch that
 * was only partly durable). The latter matters: left in place, the records appended after it
 * would be skipped as part of it by the next recovery.
 */
export function recover(device: LogDevice, state: DarqState): RecoveryReport {
  assert(state.byName.size === 0 && state.lsnNext === 1, "recover needs an empty state");
  // 0: before the first frame; 1: loading a leading checkpoint; 2: replaying; 3: skipping one.
  let phase = 0;
  let fromCheckpoint = false;
  let skippedFrom = -1;
  const scan = framesScan(device, device.begin(), (offset, body) => {
    const kind = body[0];
    if (phase === 0) {
      fromCheckpoint = kind === RecordKind.checkpointBegin;
      phase = fromCheckpoint ? 1 : 2;
    }
    if (phase === 1) {
      if (kind === RecordKind.checkpointBegin) checkpointBeginLoad(state, body);
      else if (kind === RecordKind.checkpointPart) checkpointPartLoad(state, body);
      else if (kind === RecordKind.checkpointEnd) phase = 2;
      else throw corrupt(offset, `record kind ${kind} inside a checkpoint`);
      return;
    }
    if (phase === 3) {
      if (kind === RecordKind.checkpointEnd) phase = 2;
      else if (kind !== RecordKind.checkpointPart) throw corrupt(offset, `record kind ${kind} inside a checkpoint`);
      return;
    }
    if (kind === RecordKind.checkpointBegin) {
      phase = 3;
      skippedFrom = offset;
    } else {
      recordReplay(state, body, offset);
    }
  });
  if (phase === 1) {
    // Truncation happens only after a whole checkpoint is durable, so a leading one is complete.
    throw new SsmsError(ErrorCode.frameCorrupt,
      `log starts with an incomplete checkpoint (at ${device.begin()}): the device lost durable bytes`);
  }
  const validEnd = phase === 3 ? skippedFrom : scan.validEnd;
  const bytesCut = device.end() - validEnd;
  if (bytesCut > 0) device.truncateTail(validEnd);
  if (bytesCut > 0) coverageMark("darq.recovery.tornTailCut");
  pairsCheck(state);
  if (plantedBugs.dedupNotRecovered) for (const logical of state.byName.values()) logical.producers.producers.clear();
  return { validEnd, torn: scan.torn, frames: scan.frames, bytesCut, fromCheckpoint };
}

function corrupt(offset: number, what: string): SsmsError {
  return new SsmsError(ErrorCode.frameCorrupt, `DARQ log record at byte ${offset}: ${what}`, { offset });
}

function recordReplay(state: DarqState, body: Uint8Array, offset: number): void {
  switch (body[0]) {
    case RecordKind.step:
      return stepReplay(state, body);
    case RecordKind.in: {
      const record = inDecode(body);
      assert(record.lsn === state.lsnNext, `IN at byte ${offset} has LSN ${record.lsn}, expected ${state.lsnNext}`);
      state.lsnNext++;
      inApply(state, state.logical(record.logicalIndex), record.lsn, record.body, record.from, record.fromDarq,
        record.seq);
      return;
    }
    case RecordKind.host: {
      const record = hostDecode(body);
      hostApply(state, record.name, record.logicalIndex);
      return;
    }
    case RecordKind.register: {
      const record = registerDecode(body);
      registerApply(state.logical(record.logicalIndex), record.incarnation);
      return;
    }
    case RecordKind.fence:
      state.logical(logicalIndexDecode(body)).fenced = true;
      return;
    case RecordKind.release:
      releaseApply(state, state.logical(logicalIndexDecode(body)), null);
      return;
    case RecordKind.adopt: {
      const [index, lsnFirst, pairIndexFirst, snapshot] = adoptDecode(body);
      assert(lsnFirst === state.lsnNext, `ADOPT at byte ${offset} starts at LSN ${lsnFirst}, expected ${state.lsnNext}`);
      adoptApply(state, snapshot, index, pairIndexFirst);
      return;
    }
    case RecordKind.checkpointPart:
    case RecordKind.checkpointEnd:
      throw corrupt(offset, "checkpoint record without its BEGIN");
    default:
      throw corrupt(offset, `unknown record kind ${body[0]}`);
  }
}

function stepReplay(state: DarqState, body: Uint8Array): void {
  const step = stepDecode(body);
  const logical = state.logical(step.logicalIndex);
  assert(step.incarnation === logical.incarnation,
    `replayed step of ${logical.name} has incarnation ${step.incarnation}, current is ${logical.incarnation}`);
  assert(step.firstLsn === state.lsnNext, `replayed step starts at LSN ${step.firstLsn}, expected ${state.lsnNext}`);
  for (const lsn of step.consumed) consumeApply(state, logical, lsn);
  for (const declared of step.declared) pairDeclareApply(state, logical, declared.pairIndex, declared.target);
  let lsn = step.firstLsn;
  for (const self of step.self) selfApply(state, logical, lsn++, self);
  for (const out of step.out) {
    const pair = state.pair(out.pairIndex);
    assert(pair.source === logical, `step of ${logical.name} sends on a pair of ${pair.source.name}`);
    outApply(state, pair, out.seq, lsn++, out.body, out.local);
  }
  state.lsnNext = lsn;
}

/** Each pair's unacked queue must hold exactly seqAcked+1 .. seqNext-1. */
function pairsCheck(state: DarqState): void {
  for (const pair of state.pairs) {
    if (pair === undefined) continue;
    assert(pair.unackedCount === pair.seqNext - 1 - pair.seqAcked,
      `pair ${pair.source.name} → ${pair.target}: ${pair.unackedCount} unacked, sequence numbers say ` +
      `${pair.seqNext - 1 - pair.seqAcked}`);
  }
}
