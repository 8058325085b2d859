// A fixed-bucket logarithmic histogram of latencies (µs): the point executor's percentiles with no
// per-sample storage, so a run of a billion completions costs the same memory as one of ten.
//
// Buckets: values below 1 µs share bucket 0; above, each power of two is split into
// `subBuckets` (16) equal-ratio buckets, so a bucket's width is 2^(1/16) − 1 ≈ 4.4% of its value,
// up to 2^44 µs (about 200 days); larger values land in the last bucket. A percentile is the
// geometric middle of the bucket holding the nearest-rank sample, so it is within ±2.2% of an
// exact percentile. Adding a sample is a log2 and an increment; `clear` reuses the array.

const subBuckets = 16;
const octaves = 44;
const bucketCount = 1 + octaves * subBuckets;

export class LogHistogram {
  private readonly counts = new Float64Array(bucketCount);
  private total = 0;

  get count(): number {
    return this.total;
  }

  add(valueUs: number, weight = 1): void {
    this.addToBucket(bucketOf(valueUs), weight);
  }

  /** Adds to a bucket from bucketOf: a sample going into several histograms is bucketed once. */
  addToBucket(bucket: number, weight = 1): void {
    this.counts[bucket]! += weight;
    this.total += weight;
  }

  clear(): void {
    if (this.total === 0) return;
    this.counts.fill(0);
    this.total = 0;
  }

  /** Adds every sample of `other` (e.g. a window into the whole run). */
  merge(other: LogHistogram): void {
    for (let index = 0; index < bucketCount; index++) this.counts[index]! += other.counts[index]!;
    this.total += other.total;
  }

  /** The q-quantile (0 < q ≤ 1) by nearest rank, as its bucket's middle; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let index = 0; index < bucketCount; index++) {
      seen += this.counts[index]!;
      if (seen >= rank) return bucketMiddle(index);
    }
    return bucketMiddle(bucketCount - 1);
  }
}

/** The bucket `valueUs` falls in. */
export function bucketOf(valueUs: number): number {
  if (!(valueUs >= 1)) return 0;
  const index = 1 + Math.floor(Math.log2(valueUs) * subBuckets);
  return index < bucketCount ? index : bucketCount - 1;
}

function bucketMiddle(index: number): number {
  if (index === 0) return 0;
  return Math.pow(2, (index - 1 + 0.5) / subBuckets);
}
