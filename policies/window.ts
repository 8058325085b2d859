// Sliding windows for the monitor: sums and rates over the last `bucketCount × bucketUs` of
// virtual time, per series (an automaton, a node, a talk edge) and per metric (messages in,
// steps, bytes, core-µs, …). Pure data structures: the monitor feeds samples with their time and
// reads rates when it builds an Observation; time comes from the caller, never from a clock.
//
// Layout: one Float64Array ring of buckets, `[bucket][series][metric]`, so adding a sample is an
// index computation and one addition, with no allocation. A bucket covers [k·bucketUs,
// (k+1)·bucketUs); when time moves into bucket k, the ring slot k mod bucketCount is cleared for
// every series (once per bucket, not per sample). Time never goes backwards (asserted).
//
// The window ending at `nowUs` is the current, partial bucket plus the bucketCount − 1 before it;
// its span is what those buckets actually covered since `startUs`, so rates are right from the
// first sample on, not diluted while the window fills.

import { assert } from "../engine/io/assert.ts";

export type WindowShape = {
  /** Width of one bucket, µs (integer ≥ 1). */
  readonly bucketUs: number;
  /** Buckets in the ring (≥ 2: the partial current one and at least one full one). */
  readonly bucketCount: number;
  /** Series slots (see KeySlots for mapping ids to slots). */
  readonly seriesMax: number;
  /** Time observation began; rates before the window fills divide by the time since. */
  readonly startUs: number;
};

/** The bucket bookkeeping shared by SlidingSums and LatencyWindow. */
export class BucketRing {
  readonly bucketUs: number;
  readonly bucketCount: number;
  readonly startUs: number;
  /** Bucket number (floor(t / bucketUs)) each ring slot holds; -1 when empty. */
  private readonly held: Float64Array;
  private bucketNow: number;
  private nowUs: number;

  constructor(shape: WindowShape, private readonly clearSlot: (slot: number) => void) {
    assert(Number.isInteger(shape.bucketUs) && shape.bucketUs >= 1, `bucketUs must be an integer ≥ 1, got ${shape.bucketUs}`);
    assert(Number.isInteger(shape.bucketCount) && shape.bucketCount >= 2, `bucketCount must be an integer ≥ 2, got ${shape.bucketCount}`);
    assert(Number.isInteger(shape.seriesMax) && shape.seriesMax >= 1, `seriesMax must be an integer ≥ 1, got ${shape.seriesMax}`);
    assert(shape.startUs >= 0, `startUs must be ≥ 0, got ${shape.startUs}`);
    this.bucketUs = shape.bucketUs;
    this.bucketCount = shape.bucketCount;
    this.startUs = shape.startUs;
    this.held = new Float64Array(shape.bucketCount).fill(-1);
    this.nowUs = shape.startUs;
    this.bucketNow = Math.floor(shape.startUs / shape.bucketUs);
  }

  /** Moves time to `timeUs`, clearing the slots of buckets that left the window; returns the slot of `timeUs`. */
  advance(timeUs: number): number {
    assert(timeUs >= this.nowUs, `window time went backwards: ${timeUs} < ${this.nowUs}`);
    this.nowUs = timeUs;
    const bucket = Math.floor(timeUs / this.bucketUs);
    const slot = bucket % this.bucketCount;
    if (this.held[slot] !== bucket) {
      // Slots between the previous bucket and this one hold buckets that are now too old.
      const skipped = Math.min(bucket - this.bucketNow, this.bucketCount);
      for (let step = 1; step <= skipped; step++) {
        const passed = (bucket - skipped + step) % this.bucketCount;
        this.clearSlot(passed);
        this.held[passed] = bucket - skipped + step;
      }
      if (this.held[slot] !== bucket) {
        this.clearSlot(slot);
        this.held[slot] = bucket;
      }
    }
    this.bucketNow = bucket;
    return slot;
  }

  /** True when ring slot `slot` belongs to the window ending at the current time. */
  live(slot: number): boolean {
    const bucket = this.held[slot]!;
    return bucket >= 0 && bucket > this.bucketNow - this.bucketCount && bucket <= this.bucketNow;
  }

  /** Seconds the window ending now has covered (> 0). */
  spanS(): number {
    const windowStartUs = Math.max(this.startUs, (this.bucketNow - this.bucketCount + 1) * this.bucketUs);
    return Math.max(1, this.nowUs - windowStartUs) / 1e6;
  }

  get timeUs(): number {
    return this.nowUs;
  }
}

/** Per-series, per-metric sums over a sliding window. */
export class SlidingSums {
  readonly ring: BucketRing;
  readonly metricCount: number;
  readonly seriesMax: number;
  private readonly sums: Float64Array;
  private readonly bucketStride: number;

  constructor(shape: WindowShape, metricCount: number) {
    assert(Number.isInteger(metricCount) && metricCount >= 1, `metricCount must be an integer ≥ 1, got ${metricCount}`);
    this.metricCount = metricCount;
    this.seriesMax = shape.seriesMax;
    this.bucketStride = shape.seriesMax * metricCount;
    this.sums = new Float64Array(shape.bucketCount * this.bucketStride);
    this.ring = new BucketRing(shape, (slot) => this.sums.fill(0, slot * this.bucketStride, (slot + 1) * this.bucketStride));
  }

  /** Adds `value` to (series, metric) at `timeUs`. */
  add(series: number, metric: number, timeUs: number, value: number): void {
    assert(series >= 0 && series < this.seriesMax && metric >= 0 && metric < this.metricCount, `window slot out of range: series ${series}, metric ${metric}`);
    const slot = this.ring.advance(timeUs);
    this.sums[slot * this.bucketStride + series * this.metricCount + metric]! += value;
  }

  /** Moves the window's end to `timeUs` without a sample (so reads see idle time). */
  advance(timeUs: number): void {
    this.ring.advance(timeUs);
  }

  /** Sum of (series, metric) over the window ending at the last time seen. */
  sum(series: number, metric: number): number {
    let total = 0;
    const offset = series * this.metricCount + metric;
    for (let slot = 0; slot < this.ring.bucketCount; slot++) {
      if (this.ring.live(slot)) total += this.sums[slot * this.bucketStride + offset]!;
    }
    return total;
  }

  /** Sum per second over the window ending at the last time seen. */
  rate(series: number, metric: number): number {
    return this.sum(series, metric) / this.ring.spanS();
  }

  /** Forgets a series (its slot is about to be reused for another key). */
  clearSeries(series: number): void {
    for (let slot = 0; slot < this.ring.bucketCount; slot++) {
      const start = slot * this.bucketStride + series * this.metricCount;
      this.sums.fill(0, start, start + this.metricCount);
    }
  }
}
