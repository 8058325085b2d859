// Bursty arrivals: a Poisson process whose rate switches between two levels (an on/off
// Markov-modulated Poisson process). Outside a burst arrivals come at the base rate; during a
// burst at `burstMultiplier` × base. Burst lengths are exponential with mean `burstDurationUs`;
// the quiet spells between them are exponential with mean `burstPeriodUs - burstDurationUs`, so
// bursts start on average every `burstPeriodUs`.
//
// Long-run mean rate = base × (1 + (burstMultiplier − 1) × burstDurationUs / burstPeriodUs).
// The process starts in its stationary state (in a burst with probability duration/period), so
// short runs are not biased towards the quiet phase. Phase lengths and gaps come from separate
// forks, so the burst timeline does not depend on the rate and two runs at different rates see
// their bursts at the same times (a paired comparison).

import { assert } from "../../engine/io/assert.ts";
import { exponential } from "../../engine/io/distributions.ts";
import type { Random } from "../../engine/io/random.ts";
import { arrivalTimeUs, meanGapUs, type ArrivalProcess } from "./arrival-process.ts";

export type BurstyOptions = {
  readonly ratePerS: number;
  readonly burstMultiplier: number;
  readonly burstDurationUs: number;
  readonly burstPeriodUs: number;
};

export class ArrivalsBursty implements ArrivalProcess {
  private readonly gaps: Random;
  private readonly phases: Random;
  private readonly gapUsQuiet: number;
  private readonly gapUsBurst: number;
  private readonly burstUsMean: number;
  private readonly quietUsMean: number;
  private positionUs = Number.NEGATIVE_INFINITY;
  private inBurst = false;
  private phaseEndUs = Number.NEGATIVE_INFINITY;

  constructor(random: Random, options: BurstyOptions) {
    const { ratePerS, burstMultiplier, burstDurationUs, burstPeriodUs } = options;
    assert(ratePerS > 0 && Number.isFinite(ratePerS), `bursty arrivals need a finite rate > 0, got ${ratePerS}`);
    assert(burstMultiplier >= 1 && Number.isFinite(burstMultiplier), `burstMultiplier must be ≥ 1, got ${burstMultiplier}`);
    assert(burstDurationUs > 0 && burstDurationUs < burstPeriodUs,
      `a burst (${burstDurationUs} us) must be > 0 and shorter than the burst period (${burstPeriodUs} us)`);
    this.gaps = random.fork("gaps");
    this.phases = random.fork("phases");
    this.gapUsQuiet = meanGapUs(ratePerS);
    this.gapUsBurst = meanGapUs(ratePerS * burstMultiplier);
    this.burstUsMean = burstDurationUs;
    this.quietUsMean = burstPeriodUs - burstDurationUs;
  }

  /** Long-run mean rate of these options, per second. */
  static meanRatePerS(options: BurstyOptions): number {
    return options.ratePerS * (1 + ((options.burstMultiplier - 1) * options.burstDurationUs) / options.burstPeriodUs);
  }

  nextArrivalUs(afterUs: number): number {
    if (this.phaseEndUs === Number.NEGATIVE_INFINITY) this.startAt(afterUs);
    if (afterUs > this.positionUs) {
      this.positionUs = afterUs;
      while (this.phaseEndUs <= this.positionUs) this.togglePhase();
    }
    // Exponential gaps are memoryless, so at a phase boundary the draw is simply redone at the
    // new phase's rate. Every iteration either returns or crosses a phase of positive length.
    for (;;) {
      const gapUs = exponential(this.gaps, this.inBurst ? this.gapUsBurst : this.gapUsQuiet);
      if (this.positionUs + gapUs < this.phaseEndUs) {
        this.positionUs += gapUs;
        return arrivalTimeUs(this.positionUs);
      }
      this.positionUs = this.phaseEndUs;
      this.togglePhase();
    }
  }

  private startAt(startUs: number): void {
    this.positionUs = startUs;
    this.inBurst = this.phases.chance(this.burstUsMean / (this.burstUsMean + this.quietUsMean));
    // The remaining length of an exponential phase is again exponential with the same mean.
    this.phaseEndUs = startUs + exponential(this.phases, this.inBurst ? this.burstUsMean : this.quietUsMean);
  }

  private togglePhase(): void {
    this.inBurst = !this.inBurst;
    this.phaseEndUs += exponential(this.phases, this.inBurst ? this.burstUsMean : this.quietUsMean);
  }
}
