// Deterministic Clock and Random for the tests of engine/catalog and engine/runtime/outbox. The
// simulator's ClockSim and RandomSim live in sim/, which engine/ may not import; these are the
// smallest honest implementations of the two seams' contracts: virtual time that moves only when
// a test drives it, timers in (time, start order), and a seeded stream.

import seedrandom from "seedrandom";
import { assert } from "../io/assert.ts";
import type { Clock, TimerId } from "../io/clock.ts";
import type { Random } from "../io/random.ts";

type Timer = { readonly id: TimerId; readonly dueUs: number; readonly callback: () => void };

export class ClockTest implements Clock {
  private nowUsValue = 0;
  private timerIdLast = 0;
  /** Pending timers sorted by (dueUs, id); ids grow, so start order breaks ties. */
  private timers: Timer[] = [];

  nowUs(): number {
    return this.nowUsValue;
  }

  timerStart(delayUs: number, callback: () => void): TimerId {
    assert(Number.isSafeInteger(delayUs) && delayUs >= 0, `timer delay must be an integer ≥ 0, got ${delayUs}`);
    this.timerIdLast += 1;
    const timer = { id: this.timerIdLast, dueUs: this.nowUsValue + delayUs, callback };
    let at = this.timers.length;
    while (at > 0 && (this.timers[at - 1] as Timer).dueUs > timer.dueUs) at -= 1;
    this.timers.splice(at, 0, timer);
    return timer.id;
  }

  timerCancel(id: TimerId): void {
    this.timers = this.timers.filter((timer) => timer.id !== id);
  }

  pendingCount(): number {
    return this.timers.length;
  }

  /** Fires every timer due at or before `nowUs + deltaUs`, in order, then sets the time there. */
  advance(deltaUs: number): void {
    const untilUs = this.nowUsValue + deltaUs;
    for (;;) {
      const next = this.timers[0];
      if (next === undefined || next.dueUs > untilUs) break;
      this.timers.shift();
      this.nowUsValue = next.dueUs;
      next.callback();
    }
    this.nowUsValue = untilUs;
  }

  /** Fires timers until none is left (timers started by callbacks included), at most `countMax`. */
  runAll(countMax = 100_000): void {
    for (let fired = 0; ; fired += 1) {
      const next = this.timers.shift();
      if (next === undefined) return;
      assert(fired < countMax, `more than ${countMax} timers fired; a timer loop?`);
      this.nowUsValue = next.dueUs;
      next.callback();
    }
  }
}

export class RandomTest implements Random {
  private readonly prng: seedrandom.PRNG;

  constructor(readonly seed: string) {
    this.prng = seedrandom.alea(seed);
  }

  float(): number {
    return this.prng();
  }

  int(maxExclusive: number): number {
    return Math.floor(this.prng() * maxExclusive);
  }

  intRange(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.prng() < p;
  }

  fork(name: string): Random {
    return new RandomTest(`${this.seed}/${name}`);
  }
}
