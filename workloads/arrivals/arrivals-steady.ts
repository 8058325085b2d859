// Steady arrival processes: constant rate (evenly spaced, no randomness) and Poisson
// (exponential gaps at the same mean rate). Both have long-run mean rate = the base rate.
// Constant arrivals are computed as origin + k·gap rather than by repeated addition, so a run
// of a billion arrivals does not drift by accumulated rounding.

import { assert } from "../../engine/io/assert.ts";
import { exponential } from "../../engine/io/distributions.ts";
import type { Random } from "../../engine/io/random.ts";
import { arrivalTimeUs, meanGapUs, type ArrivalProcess } from "./arrival-process.ts";

function checkRate(ratePerS: number): void {
  assert(ratePerS > 0 && Number.isFinite(ratePerS), `an arrival rate must be finite and > 0 per second, got ${ratePerS}`);
}

/** Arrivals exactly 1/rate apart; the first one gap after the start. */
export class ArrivalsConstant implements ArrivalProcess {
  private readonly gapUs: number;
  private originUs = Number.NEGATIVE_INFINITY;
  private count = 0;

  constructor(ratePerS: number) {
    checkRate(ratePerS);
    this.gapUs = meanGapUs(ratePerS);
  }

  nextArrivalUs(afterUs: number): number {
    if (afterUs > this.originUs + this.count * this.gapUs) {
      // First call, or the caller skipped ahead: restart the grid at afterUs.
      this.originUs = afterUs;
      this.count = 0;
    }
    this.count++;
    return arrivalTimeUs(this.originUs + this.count * this.gapUs);
  }
}

/** Poisson arrivals: independent exponential gaps with mean 1/rate. */
export class ArrivalsPoisson implements ArrivalProcess {
  private readonly gapUsMean: number;
  private positionUs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly random: Random,
    ratePerS: number,
  ) {
    checkRate(ratePerS);
    this.gapUsMean = meanGapUs(ratePerS);
  }

  nextArrivalUs(afterUs: number): number {
    // Memoryless: restarting from a later afterUs changes nothing in distribution.
    if (afterUs > this.positionUs) this.positionUs = afterUs;
    this.positionUs += exponential(this.random, this.gapUsMean);
    return arrivalTimeUs(this.positionUs);
  }
}
