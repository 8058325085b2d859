// Appending a validated step: apply its effects to the in-memory state and write its STEP frame
// in the same single pass (step-validate.ts has already checked everything that could fail, so
// nothing here can leave a step half applied). Out-messages to a co-located logical DARQ become
// IN entries of the target in this very frame — durable together with the step, with no network
// hop and no acknowledgement — as long as nothing of the pair is still queued for the network,
// which keeps the pair's delivery FIFO.

import type { Lsn, Step } from "./entry.ts";
import type { FrameBuffer } from "./frame-buffer.ts";
import type { Batch } from "./group-commit.ts";
import {
  consumeApply, type DarqState, type LogicalDarq, outApply, type Pair, pairDeclareApply, selfApply,
} from "./logical-darq.ts";
import type { StepWriter } from "./record-codec.ts";

/** Applies and encodes `step`; returns the LSN of its first entry (self-messages first). */
export function stepAppend(
  state: DarqState, logical: LogicalDarq, step: Step, batch: Batch, writer: StepWriter, buffer: FrameBuffer,
  bytesBound: number,
): Lsn {
  const { consumed, self, out } = step;
  const firstLsn = state.lsnNext;
  let lsn = firstLsn;
  writer.begin(buffer, bytesBound, logical.index, logical.incarnation, firstLsn, consumed.length, self.length, out.length);
  for (let index = 0; index < consumed.length; index++) {
    consumeApply(state, logical, consumed[index]!);
    writer.consumed(consumed[index]!);
  }
  for (let index = 0; index < self.length; index++) {
    selfApply(state, logical, lsn++, self[index]!);
    writer.self(self[index]!);
  }
  let declared: Pair[] | null = null;
  for (let index = 0; index < out.length; index++) {
    const message = out[index]!;
    let pair = logical.pairs.get(message.to);
    if (pair === undefined) {
      pair = pairDeclareApply(state, logical, state.pairIndexNext, message.to);
      (declared ??= []).push(pair);
    }
    const target = pair.targetLocal;
    const local = target !== null && pair.unackedCount === 0 && !target.fenced;
    const seq = pair.seqNext;
    const entry = outApply(state, pair, seq, lsn++, message.body, local);
    writer.out(pair.index, seq, local, message.body);
    if (entry !== null) {
      batch.inEntries.push(entry);
      batch.inLogicals.push(target!);
    } else {
      batch.outPairs.push(pair);
      batch.outSeqs.push(seq);
    }
  }
  if (declared !== null) for (const pair of declared) writer.declare(pair);
  writer.end();
  state.lsnNext = lsn;
  return firstLsn;
}
