// Trace arrivals: replays recorded arrival times. The runner reads the trace file and parses it
// (trace-parse.ts); this generator takes the parsed times, offsets in microseconds from the start
// of the run, non-decreasing. Arrival k happens at floor(timeScale × t_k), so with timeScale 1 and
// integer times the replay is exact.
//
// Looping: a looped trace repeats with period timeScale × last × (n + 1) / n, where `last` is the
// last recorded time and n the number of arrivals. That is the recorded span plus one mean gap,
// so the seam between two cycles looks like the trace itself rather than putting the last
// arrival of a cycle and the first of the next one on the same instant. The period is at least
// 1 us, so even a trace of arrivals all at time 0 advances.

import { assert } from "../../engine/io/assert.ts";
import { arrivalNever, type ArrivalProcess } from "./arrival-process.ts";

export type TraceOptions = {
  /** Multiplies the recorded times (and so every gap); default 1. */
  readonly timeScale?: number;
  /** Start again from the beginning when the trace runs out; default false. */
  readonly loop?: boolean;
};

export class ArrivalsTrace implements ArrivalProcess {
  private readonly timesUs: Float64Array;
  private readonly timeScale: number;
  private readonly loop: boolean;
  /** Length of one cycle of a looped trace, in µs. */
  readonly periodUs: number;
  private index = 0;
  private cycle = 0;

  constructor(timesUs: ArrayLike<number>, options: TraceOptions = {}) {
    this.timesUs = Float64Array.from(timesUs);
    this.timeScale = options.timeScale ?? 1;
    this.loop = options.loop ?? false;
    assert(this.timeScale > 0 && Number.isFinite(this.timeScale), `trace timeScale must be finite and > 0, got ${this.timeScale}`);
    for (let index = 0; index < this.timesUs.length; index++) {
      const timeUs = this.timesUs[index]!;
      const previousUs = index === 0 ? 0 : this.timesUs[index - 1]!;
      assert(Number.isFinite(timeUs) && timeUs >= previousUs,
        `trace times must be finite, ≥ 0 and non-decreasing; entry ${index} is ${timeUs} after ${previousUs} (parse traces with parseArrivalTrace)`);
    }
    const count = this.timesUs.length;
    const lastUs = count === 0 ? 0 : this.timesUs[count - 1]!;
    this.periodUs = Math.max(1, count === 0 ? 0 : (this.timeScale * lastUs * (count + 1)) / count);
  }

  /** Number of recorded arrivals (one cycle). */
  get length(): number {
    return this.timesUs.length;
  }

  nextArrivalUs(afterUs: number): number {
    if (this.timesUs.length === 0) return arrivalNever;
    if (!this.wrap()) return arrivalNever;
    if (this.timeAt(this.cycle, this.index) < afterUs) {
      this.seek(afterUs);
      if (!this.wrap()) return arrivalNever;
    }
    const timeUs = this.timeAt(this.cycle, this.index);
    this.index++;
    return timeUs;
  }

  private timeAt(cycle: number, index: number): number {
    return Math.floor(cycle * this.periodUs + this.timeScale * this.timesUs[index]!);
  }

  /** Moves past the end of a cycle; false when the trace is exhausted. */
  private wrap(): boolean {
    if (this.index < this.timesUs.length) return true;
    if (!this.loop) return false;
    this.index = 0;
    this.cycle++;
    return true;
  }

  /** Positions at the first arrival at or after `afterUs` (binary search within a cycle). */
  private seek(afterUs: number): void {
    // Cycles that end before afterUs are skipped whole; one cycle of slack covers rounding.
    const cycleFirst = this.loop ? Math.floor(afterUs / this.periodUs) - 1 : 0;
    if (cycleFirst > this.cycle) {
      this.cycle = cycleFirst;
      this.index = 0;
    }
    for (;;) {
      let low = this.index;
      let high = this.timesUs.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (this.timeAt(this.cycle, middle) < afterUs) low = middle + 1;
        else high = middle;
      }
      this.index = low;
      if (low < this.timesUs.length || !this.loop) return;
      this.index = 0;
      this.cycle++;
    }
  }
}
