// TokenBucket: a rate cap in virtual time (a disk's IOPS or MB/s limit).
//
// Tokens accrue at `ratePerSecond` up to `depth`. A request of `amount` tokens may start once the
// bucket holds min(amount, depth) of them, and then takes all `amount` (a request larger than the
// depth drives the bucket into debt that later refill repays), so over any interval of length L
// the amount started is at most depth + rate · L (plus one oversized request). Callers serve
// requests in FIFO order: each asks `readyUs` for the earliest start not before the previous
// one, then `take`s at that start, so time passed to a bucket never goes backwards. Times are
// fractional µs: rounding each start would let a long run drift above the cap.

import { assert } from "../../engine/io/assert.ts";

export class TokenBucket {
  private tokens: number;
  private lastUs = 0;
  private readonly ratePerUs: number;

  constructor(readonly ratePerSecond: number, readonly depth: number) {
    assert(ratePerSecond > 0 && Number.isFinite(ratePerSecond), `token bucket rate must be finite and > 0, got ${ratePerSecond}`);
    assert(depth > 0 && Number.isFinite(depth), `token bucket depth must be finite and > 0, got ${depth}`);
    this.ratePerUs = ratePerSecond / 1e6;
    this.tokens = depth;
  }

  /** Tokens held at `atUs` (negative while in debt). */
  tokensAt(atUs: number): number {
    if (!(atUs >= this.lastUs)) assert(false, `token bucket asked about ${atUs}us, before its last take at ${this.lastUs}us`);
    const refilled = this.tokens + (atUs - this.lastUs) * this.ratePerUs;
    return refilled < this.depth ? refilled : this.depth;
  }

  /** Earliest time ≥ `atUs` at which a request of `amount` tokens may start. */
  readyUs(amount: number, atUs: number): number {
    const need = amount < this.depth ? amount : this.depth;
    const held = this.tokensAt(atUs);
    return held >= need ? atUs : atUs + (need - held) / this.ratePerUs;
  }

  /** Takes `amount` tokens at `atUs` (which must be ≥ readyUs for it). */
  take(amount: number, atUs: number): void {
    this.tokens = this.tokensAt(atUs) - amount;
    this.lastUs = atUs;
  }
}
