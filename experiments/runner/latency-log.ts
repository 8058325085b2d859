// A growable log of latency samples (µs) in a typed array, with exact percentiles over any range
// of it, so one log serves both the whole-run percentiles and each time-series window. Adding a
// sample allocates nothing once the array has grown; a percentile query sorts a copy of the range
// (nearest-rank on the sorted copy, via simple-statistics' quantileSorted).

import { quantileSorted } from "simple-statistics";

export type Percentiles = { readonly p50: number; readonly p95: number; readonly p99: number };

const empty: Percentiles = { p50: NaN, p95: NaN, p99: NaN };

export class LatencyLog {
  private samples = new Float64Array(1024);
  private count = 0;

  get length(): number {
    return this.count;
  }

  add(latencyUs: number): void {
    if (this.count === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.count++] = latencyUs;
  }

  /** p50, p95 and p99 of the samples with index in [from, to); NaN for an empty range. */
  percentiles(from: number, to: number): Percentiles {
    if (to <= from) return empty;
    const sorted = Array.from(this.samples.subarray(from, to)).sort((a, b) => a - b);
    return { p50: quantileSorted(sorted, 0.5), p95: quantileSorted(sorted, 0.95), p99: quantileSorted(sorted, 0.99) };
  }
}
