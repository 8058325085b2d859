// Latency quantiles over a sliding window, per series: a log-bucketed histogram per ring bucket
// (HDR-style), so recording is one bin increment and a quantile is a walk over the bins of the
// live buckets. With `binsPerOctave` bins per doubling a quantile is within a factor
// 2^(1/binsPerOctave) of the truth (8 bins: 9%), and interpolation in log space inside the bin
// usually does far better. Values below 1 µs go to the first bin; values beyond the last octave
// to the last (the monitor's limits say how far that is: 2^octaves µs).

import { assert } from "../engine/io/assert.ts";
import { BucketRing, type WindowShape } from "./window.ts";

export type LatencyHistogramShape = {
  /** Bins per doubling of latency (≥ 1). */
  readonly binsPerOctave: number;
  /** Doublings covered from 1 µs (40: up to about 12.7 days). */
  readonly octaves: number;
};

export const latencyHistogramShapeDefault: LatencyHistogramShape = Object.freeze({ binsPerOctave: 8, octaves: 40 });

export class LatencyWindow {
  readonly ring: BucketRing;
  readonly seriesMax: number;
  private readonly binsPerOctave: number;
  private readonly binCount: number;
  private readonly counts: Uint32Array;
  private readonly bucketStride: number;
  /** Scratch: bins summed over the live buckets for one series. */
  private readonly merged: Float64Array;

  constructor(shape: WindowShape, histogram: LatencyHistogramShape = latencyHistogramShapeDefault) {
    assert(Number.isInteger(histogram.binsPerOctave) && histogram.binsPerOctave >= 1, `binsPerOctave must be an integer ≥ 1, got ${histogram.binsPerOctave}`);
    assert(Number.isInteger(histogram.octaves) && histogram.octaves >= 1 && histogram.octaves <= 64, `octaves must be an integer in [1, 64], got ${histogram.octaves}`);
    this.seriesMax = shape.seriesMax;
    this.binsPerOctave = histogram.binsPerOctave;
    this.binCount = histogram.binsPerOctave * histogram.octaves;
    this.bucketStride = shape.seriesMax * this.binCount;
    this.counts = new Uint32Array(shape.bucketCount * this.bucketStride);
    this.merged = new Float64Array(this.binCount);
    this.ring = new BucketRing(shape, (slot) => this.counts.fill(0, slot * this.bucketStride, (slot + 1) * this.bucketStride));
  }

  private binOf(latencyUs: number): number {
    if (!(latencyUs > 1)) return 0;
    const bin = Math.floor(Math.log2(latencyUs) * this.binsPerOctave);
    return bin < this.binCount ? bin : this.binCount - 1;
  }

  /** Records one latency sample of `series` at `timeUs`. */
  record(series: number, timeUs: number, latencyUs: number): void {
    assert(series >= 0 && series < this.seriesMax, `latency series ${series} out of range [0, ${this.seriesMax})`);
    assert(latencyUs >= 0, `latency must be ≥ 0, got ${latencyUs}`);
    const slot = this.ring.advance(timeUs);
    this.counts[slot * this.bucketStride + series * this.binCount + this.binOf(latencyUs)]! += 1;
  }

  advance(timeUs: number): void {
    this.ring.advance(timeUs);
  }

  /** Sums the live buckets of `series` into the scratch bins; returns the sample count. */
  private merge(series: number): number {
    this.merged.fill(0);
    let total = 0;
    for (let slot = 0; slot < this.ring.bucketCount; slot++) {
      if (!this.ring.live(slot)) continue;
      const start = slot * this.bucketStride + series * this.binCount;
      for (let bin = 0; bin < this.binCount; bin++) {
        const count = this.counts[start + bin]!;
        if (count === 0) continue;
        this.merged[bin]! += count;
        total += count;
      }
    }
    return total;
  }

  /** Samples of `series` in the window. */
  count(series: number): number {
    return this.merge(series);
  }

  /** The q-quantile (0 < q < 1) of `series` over the window, µs; null when it has no samples. */
  quantileUs(series: number, q: number): number | null {
    assert(q > 0 && q < 1, `quantile needs 0 < q < 1, got ${q}`);
    const total = this.merge(series);
    if (total === 0) return null;
    const rank = q * total;
    let below = 0;
    for (let bin = 0; bin < this.binCount; bin++) {
      const count = this.merged[bin]!;
      if (count === 0 || below + count < rank) {
        below += count;
        continue;
      }
      // Interpolate in log space between the bin's edges (the first bin starts at 1 µs).
      const fraction = (rank - below) / count;
      return Math.pow(2, (bin + fraction) / this.binsPerOctave);
    }
    return Math.pow(2, this.binCount / this.binsPerOctave);
  }

  clearSeries(series: number): void {
    for (let slot = 0; slot < this.ring.bucketCount; slot++) {
      const start = slot * this.bucketStride + series * this.binCount;
      this.counts.fill(0, start, start + this.binCount);
    }
  }
}
