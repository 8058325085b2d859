// Diurnal arrivals: a non-homogeneous Poisson process whose rate follows a sine wave,
//
//   rate(t) = base × (1 + amplitude × cos(2π (t − peakAtUs) / periodUs)),
//
// peaking at peakAtUs (and every period after it) at base × (1 + amplitude) and bottoming out
// half a period later at base × (1 − amplitude). Long-run mean rate = base. Sampled by thinning
// (Lewis and Shedler): candidates come at the peak rate and each is kept with probability
// rate(t) / peak rate. Every candidate draws exactly two values, so the stream stays aligned no
// matter which candidates are kept. The loop ends with probability one because the rate is
// positive except at isolated instants (amplitude 1); the expected number of candidates per
// arrival is (1 + amplitude) ≤ 2.

import { assert } from "../../engine/io/assert.ts";
import { exponential } from "../../engine/io/distributions.ts";
import type { Random } from "../../engine/io/random.ts";
import { arrivalTimeUs, dayUs, meanGapUs, type ArrivalProcess } from "./arrival-process.ts";

export type DiurnalOptions = {
  readonly ratePerS: number;
  /** 0 (flat) to 1 (the rate touches zero at the trough). */
  readonly amplitude: number;
  /** Length of one cycle; default one day. */
  readonly periodUs?: number;
  /** Time of the first peak; default 0. */
  readonly peakAtUs?: number;
};

export class ArrivalsDiurnal implements ArrivalProcess {
  private readonly amplitude: number;
  private readonly periodUs: number;
  private readonly peakAtUs: number;
  private readonly gapUsAtPeak: number;
  private positionUs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly random: Random,
    options: DiurnalOptions,
  ) {
    assert(options.ratePerS > 0 && Number.isFinite(options.ratePerS), `diurnal arrivals need a finite rate > 0, got ${options.ratePerS}`);
    assert(options.amplitude >= 0 && options.amplitude <= 1, `diurnal amplitude must be in [0, 1], got ${options.amplitude}`);
    this.amplitude = options.amplitude;
    this.periodUs = options.periodUs ?? dayUs;
    this.peakAtUs = options.peakAtUs ?? 0;
    assert(this.periodUs > 0, `diurnal period must be > 0 us, got ${this.periodUs}`);
    this.gapUsAtPeak = meanGapUs(options.ratePerS * (1 + this.amplitude));
  }

  /** The rate at `timeUs` as a fraction of the peak rate, in [0, 1]. */
  relativeRate(timeUs: number): number {
    const phase = (2 * Math.PI * (timeUs - this.peakAtUs)) / this.periodUs;
    return (1 + this.amplitude * Math.cos(phase)) / (1 + this.amplitude);
  }

  nextArrivalUs(afterUs: number): number {
    if (afterUs > this.positionUs) this.positionUs = afterUs;
    for (;;) {
      this.positionUs += exponential(this.random, this.gapUsAtPeak);
      if (this.random.float() < this.relativeRate(this.positionUs)) return arrivalTimeUs(this.positionUs);
    }
  }
}
