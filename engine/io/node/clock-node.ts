// ClockNode: the Clock seam in real time. `nowUs` is wall-clock microseconds since the Unix epoch
// taken from the monotonic performance clock (timeOrigin + now), so it never goes backwards even
// if the system clock is stepped.
//
// Timers are kept in our own heap ordered by (dueUs, seq) with a single Node timer armed for the
// earliest, because Node's own timers do not promise the contract's order for timers due at the
// same instant with different delays, and may fire up to a loop-iteration early. A drain runs
// every timer whose due time has passed, in order; timers started during a drain wait for the
// next macrotask (setImmediate), so a callback that re-arms itself with delay 0 cannot starve
// I/O. Real time is coarse: a timer fires no earlier than asked, usually within a millisecond or
// two after.

import { performance } from "node:perf_hooks";
import { assert } from "../assert.ts";
import type { Clock, TimerId } from "../clock.ts";

type Timer = { dueUs: number; seq: number; callback: (() => void) | null };

export class ClockNode implements Clock {
  /** Min-heap on (dueUs, seq); cancelled timers stay until they surface (callback null). */
  private readonly heap: Timer[] = [];
  private readonly pending = new Map<TimerId, Timer>();
  private seqNext = 1;
  private armed: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private armedDueUs = Infinity;
  private draining = false;

  nowUs(): number {
    return Math.floor((performance.timeOrigin + performance.now()) * 1000);
  }

  timerStart(delayUs: number, callback: () => void): TimerId {
    assert(Number.isInteger(delayUs) && delayUs >= 0,
      `timer delay must be a non-negative integer of microseconds, got ${delayUs}`);
    const timer: Timer = { dueUs: this.nowUs() + delayUs, seq: this.seqNext++, callback };
    this.pending.set(timer.seq, timer);
    heapPush(this.heap, timer);
    if (!this.draining) this.arm();
    return timer.seq;
  }

  timerCancel(id: TimerId): void {
    const timer = this.pending.get(id);
    if (timer === undefined) return;
    timer.callback = null;
    this.pending.delete(id);
    if (this.pending.size === 0) this.disarm();
  }

  /** Timers started and neither fired nor cancelled. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Cancels every pending timer (shutdown), so the process can exit. */
  close(): void {
    for (const timer of this.pending.values()) timer.callback = null;
    this.pending.clear();
    this.heap.length = 0;
    this.disarm();
  }

  /** Makes sure a Node timer is set for the earliest live timer. */
  private arm(): void {
    const top = this.top();
    if (top === undefined) return this.disarm();
    if (this.armed !== null && this.armedDueUs <= top.dueUs) return;
    this.disarm();
    const waitUs = top.dueUs - this.nowUs();
    this.armedDueUs = top.dueUs;
    this.armed = waitUs <= 0
      ? setImmediate(() => this.drain())
      : setTimeout(() => this.drain(), Math.ceil(waitUs / 1000));
  }

  private disarm(): void {
    if (this.armed === null) return;
    clearTimeout(this.armed as NodeJS.Timeout);
    clearImmediate(this.armed as NodeJS.Immediate);
    this.armed = null;
    this.armedDueUs = Infinity;
  }

  /** Runs every due timer that was started before this drain began, in (dueUs, seq) order. */
  private drain(): void {
    this.armed = null;
    this.armedDueUs = Infinity;
    const seqLimit = this.seqNext;
    this.draining = true;
    try {
      for (let timer = this.top(); timer !== undefined; timer = this.top()) {
        if (timer.seq >= seqLimit || timer.dueUs > this.nowUs()) break;
        heapPop(this.heap);
        const callback = timer.callback!;
        timer.callback = null;
        this.pending.delete(timer.seq);
        callback();
      }
    } finally {
      this.draining = false;
      this.arm();
    }
  }

  /** The earliest live timer, after discarding cancelled ones on top. */
  private top(): Timer | undefined {
    let timer = this.heap[0];
    while (timer !== undefined && timer.callback === null) {
      heapPop(this.heap);
      timer = this.heap[0];
    }
    return timer;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.dueUs < b.dueUs || (a.dueUs === b.dueUs && a.seq < b.seq);
}

function heapPush(heap: Timer[], timer: Timer): void {
  let index = heap.length;
  heap.push(timer);
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!before(timer, heap[parent]!)) break;
    heap[index] = heap[parent]!;
    index = parent;
  }
  heap[index] = timer;
}

function heapPop(heap: Timer[]): void {
  const last = heap.pop();
  if (last === undefined || heap.length === 0) return;
  let index = 0;
  for (;;) {
    let child = 2 * index + 1;
    if (child >= heap.length) break;
    if (child + 1 < heap.length && before(heap[child + 1]!, heap[child]!)) child++;
    if (!before(heap[child]!, last)) break;
    heap[index] = heap[child]!;
    index = child;
  }
  heap[index] = last;
}
