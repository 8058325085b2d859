// Duplicate detection for the two kinds of input a logical DARQ accepts.
//
// External producers (clients, services) number their messages 1, 2, 3, … per producer but may
// retry and reorder them, so a producer's state is a contiguous watermark plus the sparse set of
// sequence numbers accepted above it: exact, and one number per producer in the common in-order
// case. There is no fixed limit on the number of producers; the table grows with them and is
// carried through checkpoints and migrations with the rest of the logical DARQ's state.
//
// Other logical DARQs send through a FIFO out-sender (per pair of source and target), so a
// source's state is just the next sequence number expected: an arrival below it is a duplicate,
// at it is accepted, above it is out of order and answered with a nack naming the expected one.

import { assert } from "../io/assert.ts";

export class ProducerState {
  /** Every sequence number 1..contiguous has been accepted. */
  contiguous = 0;
  /** Accepted sequence numbers above `contiguous + 1`; null while empty (the common case). */
  above: Set<number> | null = null;
}

export class ProducerDedup {
  readonly producers = new Map<string, ProducerState>();

  /** True if (producer, seq) was accepted before. */
  seen(producer: string, seq: number): boolean {
    const state = this.producers.get(producer);
    if (state === undefined) return false;
    return seq <= state.contiguous || (state.above !== null && state.above.has(seq));
  }

  /** Records (producer, seq) as accepted; the caller checked `seen` first. */
  accept(producer: string, seq: number): void {
    if (!(Number.isSafeInteger(seq) && seq >= 1)) assert(false, `producer sequence numbers start at 1, got ${seq}`);
    let state = this.producers.get(producer);
    if (state === undefined) {
      state = new ProducerState();
      this.producers.set(producer, state);
    }
    if (seq !== state.contiguous + 1) {
      if (seq <= state.contiguous) assert(false, `(${producer}, ${seq}) accepted twice`);
      if (state.above === null) state.above = new Set();
      state.above.add(seq);
      return;
    }
    state.contiguous = seq;
    const above = state.above;
    if (above === null) return;
    while (above.delete(state.contiguous + 1)) state.contiguous++;
    if (above.size === 0) state.above = null;
  }

  /** Restores one producer's state (checkpoint load, migration). */
  restore(producer: string, contiguous: number, above: readonly number[]): void {
    const state = new ProducerState();
    state.contiguous = contiguous;
    if (above.length > 0) state.above = new Set(above);
    this.producers.set(producer, state);
  }
}

/** The receiving end of one (source logical DARQ → this logical DARQ) FIFO pair. */
export class SourceState {
  constructor(readonly source: string, readonly target: string) {}
  /** The next sequence number this target accepts from the source. */
  seqExpected = 1;
  /** Highest sequence number known durable here (acks name it). */
  seqDurable = 0;
  /** Where the source's last data message came from: acks go there. */
  replyTo = "";
}

/** What to do with one arriving (source, seq): see the file comment. */
export const Arrival = { duplicate: 0, accept: 1, gap: 2 } as const;
export type Arrival = (typeof Arrival)[keyof typeof Arrival];

export function arrivalClassify(source: SourceState, seq: number): Arrival {
  if (seq < source.seqExpected) return Arrival.duplicate;
  return seq === source.seqExpected ? Arrival.accept : Arrival.gap;
}
