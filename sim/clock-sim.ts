// ClockSim: the Clock seam over the simulator's event queue. Time is the queue's virtual time in
// integer microseconds; it moves only when the simulator pops an event, so engine code under
// ClockSim never observes time passing inside one callback. Timers are queue events, which gives
// the contract's ordering (same instant → order started) for free.

import { assert } from "../engine/io/assert.ts";
import type { Clock, TimerId } from "../engine/io/clock.ts";
import type { EventQueue } from "./event-queue.ts";

export class ClockSim implements Clock {
  constructor(private readonly queue: EventQueue) {}

  nowUs(): number {
    return this.queue.nowUs;
  }

  timerStart(delayUs: number, callback: () => void): TimerId {
    if (!(Number.isInteger(delayUs) && delayUs >= 0)) {
      assert(false, `timer delay must be a non-negative integer of microseconds, got ${delayUs}`);
    }
    return this.queue.schedule(this.queue.nowUs + delayUs, callback);
  }

  /** Like timerStart, but passes `argument` to a shared callback (no closure per timer). */
  timerStartWith<T>(delayUs: number, callback: (argument: T) => void, argument: T): TimerId {
    if (!(Number.isInteger(delayUs) && delayUs >= 0)) {
      assert(false, `timer delay must be a non-negative integer of microseconds, got ${delayUs}`);
    }
    return this.queue.scheduleWith(this.queue.nowUs + delayUs, callback, argument);
  }

  timerCancel(id: TimerId): void {
    this.queue.cancel(id);
  }
}
