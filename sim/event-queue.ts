// EventQueue: the simulator's agenda, events ordered by (timeUs, seq) in an EventHeap.
//
// Why it is built this way:
// - `seq` is a global counter taken at scheduling time, so (timeUs, seq) is a total order and two
//   events due at the same instant fire in the order they were scheduled (STYLE 5).
// - The heap holds typed-array entries (see event-heap.ts); callbacks and their arguments sit in
//   plain arrays indexed by a slot that is recycled through a free list. A schedule/pop pair
//   allocates nothing once the arrays have grown.
// - Cancellation is lazy: it empties the slot and the heap entry is skipped when it surfaces.
//   When dead entries outnumber live ones the heap is compacted, so memory stays bounded by
//   twice the live count even under heavy start/cancel churn (retransmit timers).
// - An EventId packs a per-slot generation with the slot index, so cancelling an event that has
//   already fired (its slot maybe reused) is a harmless no-op. A slot whose generation would
//   leave the safe-integer range is retired instead of reused.
// - `countMax` bounds live events; scheduling beyond it throws SsmsError(limitExceeded) instead of
//   letting a runaway model eat memory.
// Time never goes backwards: scheduling before `nowUs` and popping out of order are asserted.

import { assert } from "../engine/io/assert.ts";
import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import { EventHeap, growArray } from "./event-heap.ts";

export type EventId = number;
export type EventCallback = () => void;

export type EventQueueOptions = {
  /** Most live (scheduled, not yet fired or cancelled) events; default 4,194,304. */
  countMax?: number;
};

const countMaxDefault = 1 << 22;
const slotCapacityInitial = 64;
/** Compaction is not worth it for tiny heaps. */
const compactCountMin = 256;

export class EventQueue {
  readonly countMax: number;
  private now = 0;
  private seqLast = -1;
  private readonly heap = new EventHeap();
  private liveCount = 0;
  private seqNext = 0;

  private readonly slotSpan: number;
  private readonly generationMax: number;
  private slotGenerations = new Float64Array(slotCapacityInitial);
  /** EventId currently held by a slot, or -1 when the slot has fired, was cancelled or is free. */
  private slotIds = new Float64Array(slotCapacityInitial);
  /** Callback per slot; null marks a free slot or a cancelled (dead) heap entry. */
  private readonly callbacks: Array<((argument: unknown) => void) | null> = [];
  private readonly callbackArguments: unknown[] = [];
  private freeSlots = new Int32Array(slotCapacityInitial);
  private freeLength = 0;
  /** Slots handed out so far (the high-water mark of slot indices). */
  private slotCount = 0;
  private popping = false;

  constructor(options: EventQueueOptions = {}) {
    const countMax = options.countMax ?? countMaxDefault;
    if (!Number.isInteger(countMax) || countMax < 1 || countMax > 2 ** 30) {
      throw new SsmsError(ErrorCode.argumentInvalid,
        `EventQueue countMax must be an integer in [1, 2^30], got ${countMax}`);
    }
    this.countMax = countMax;
    // Dead entries hold slots too: compaction keeps them at most max(live, compactCountMin).
    this.slotSpan = 2 ** Math.ceil(Math.log2(2 * countMax + compactCountMin + 1));
    this.generationMax = Math.floor(Number.MAX_SAFE_INTEGER / this.slotSpan) - 1;
  }

  /** Virtual time of the last popped event (or of `advanceTo`); integer microseconds. */
  get nowUs(): number {
    return this.now;
  }

  /** Sequence number of the last popped event; -1 before the first pop. */
  get lastSeq(): number {
    return this.seqLast;
  }

  /** Sequence number the next scheduled event will get (so the last one scheduled has this − 1). */
  get seqNextScheduled(): number {
    return this.seqNext;
  }

  /** Live events: scheduled and neither fired nor cancelled. */
  get size(): number {
    return this.liveCount;
  }

  /** Heap entries including cancelled ones not yet dropped (for diagnostics and tests). */
  get entryCount(): number {
    return this.heap.length;
  }

  /** Schedules `callback` at absolute virtual time `timeUs` (an integer ≥ nowUs). */
  schedule(timeUs: number, callback: EventCallback): EventId {
    return this.scheduleWith(timeUs, callback, undefined);
  }

  /**
   * Schedules `callback(argument)`: lets hot paths pass a record to a shared function instead
   * of allocating a closure per event.
   */
  scheduleWith<T>(timeUs: number, callback: (argument: T) => void, argument: T): EventId {
    // Checked with `if` so the message is only built on failure (this is the hottest path).
    if (!(Number.isInteger(timeUs) && timeUs >= this.now)) {
      assert(false, `event time must be an integer ≥ now (${this.now}us), got ${timeUs}`);
    }
    if (this.liveCount >= this.countMax) this.throwLimit(timeUs);
    const slot = this.slotTake();
    const generation = this.slotGenerations[slot]! + 1;
    this.slotGenerations[slot] = generation;
    const id = generation * this.slotSpan + slot;
    this.slotIds[slot] = id;
    this.callbacks[slot] = callback as (argument: unknown) => void;
    this.callbackArguments[slot] = argument;
    this.liveCount++;
    this.heap.push(timeUs, this.seqNext++, slot);
    return id;
  }

  /** Prevents a pending event from firing. Cancelling a fired or cancelled event is a no-op. */
  cancel(id: EventId): void {
    if (!Number.isInteger(id) || id < this.slotSpan) return;
    const slot = id % this.slotSpan;
    if (slot >= this.slotCount || this.slotIds[slot] !== id) return;
    // The heap entry stays (dead) until it surfaces or a compaction sheds it.
    this.callbacks[slot] = null;
    this.callbackArguments[slot] = undefined;
    this.slotIds[slot] = -1;
    this.liveCount--;
    const length = this.heap.length;
    if (length - this.liveCount > this.liveCount && length >= compactCountMin) this.compact();
  }

  /** Time of the next live event, or Infinity when none is pending. */
  peekTimeUs(): number {
    this.dropDeadTop();
    return this.heap.length === 0 ? Infinity : this.heap.times[0]!;
  }

  /** Sequence number of the next live event, or -1 when none is pending. */
  peekSeq(): number {
    this.dropDeadTop();
    return this.heap.length === 0 ? -1 : this.heap.seqs[0]!;
  }

  /**
   * Pops the next live event, advances `nowUs` to its time and runs it. Returns false when no
   * event is pending. Callbacks may schedule and cancel, but not pop (no reentrancy).
   */
  popNext(): boolean {
    assert(!this.popping, "popNext called from inside an event callback");
    this.dropDeadTop();
    const heap = this.heap;
    if (heap.length === 0) return false;
    const timeUs = heap.times[0]!;
    const seq = heap.seqs[0]!;
    const slot = heap.slots[0]!;
    if (!(timeUs > this.now || (timeUs === this.now && seq > this.seqLast))) {
      assert(false, `event order broken: (${timeUs}us, #${seq}) after (${this.now}us, #${this.seqLast})`);
    }
    heap.removeTop();
    const callback = this.callbacks[slot]!;
    const argument = this.callbackArguments[slot];
    this.slotFree(slot);
    this.liveCount--;
    this.now = timeUs;
    this.seqLast = seq;
    this.popping = true;
    try {
      callback(argument);
    } finally {
      this.popping = false;
    }
    return true;
  }

  /** Moves time forward to `timeUs` with nothing to run in between (end of runUntil). */
  advanceTo(timeUs: number): void {
    assert(Number.isInteger(timeUs) && timeUs >= this.now,
      `advanceTo needs an integer time ≥ now (${this.now}us), got ${timeUs}`);
    assert(this.peekTimeUs() > timeUs, `advanceTo ${timeUs}us would skip an event due earlier`);
    this.now = timeUs;
  }

  private throwLimit(timeUs: number): never {
    throw new SsmsError(ErrorCode.limitExceeded,
      `event queue is full: ${this.liveCount} live events reached countMax=${this.countMax} ` +
      `while scheduling at ${timeUs}us (now ${this.now}us); raise countMax if the model ` +
      `really keeps that many events pending, otherwise look for a component that schedules ` +
      `without bound`, { countMax: this.countMax, nowUs: this.now });
  }

  private dropDeadTop(): void {
    const heap = this.heap;
    while (heap.length > 0 && this.callbacks[heap.slots[0]!] === null) {
      const slot = heap.slots[0]!;
      heap.removeTop();
      this.slotFree(slot);
    }
  }

  /** Sheds every cancelled entry at once, so dead entries never outnumber live ones for long. */
  private compact(): void {
    this.heap.retain((slot) => this.callbacks[slot] !== null, (slot) => this.slotFree(slot));
    assert(this.heap.length === this.liveCount,
      `compaction kept ${this.heap.length} entries but ${this.liveCount} are live`);
  }

  private slotTake(): number {
    if (this.freeLength > 0) return this.freeSlots[--this.freeLength]!;
    const slot = this.slotCount++;
    // Only retired slots (each after 2^21 or more reuses) push the count past its bound.
    assert(slot < this.slotSpan, "event slots exhausted: EventIds would no longer be unique");
    if (slot >= this.slotIds.length) {
      this.slotIds = growArray(this.slotIds, 2 * slot);
      this.slotGenerations = growArray(this.slotGenerations, 2 * slot);
    }
    this.callbacks.push(null);
    this.callbackArguments.push(undefined);
    return slot;
  }

  private slotFree(slot: number): void {
    this.callbacks[slot] = null;
    this.callbackArguments[slot] = undefined;
    this.slotIds[slot] = -1;
    // A slot whose generation is spent stays out of circulation so no EventId is ever reused.
    if (this.slotGenerations[slot]! >= this.generationMax) return;
    if (this.freeLength === this.freeSlots.length) this.freeSlots = growArray(this.freeSlots, 2 * this.freeLength);
    this.freeSlots[this.freeLength++] = slot;
  }
}
