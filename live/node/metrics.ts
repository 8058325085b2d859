// A node's metrics and their Prometheus text exposition (format 0.0.4): counters and gauges read
// from the runtime objects when scraped, and two histograms recorded on the hot path — the
// latency of a durable step (submitted → durable) and of an fdatasync group commit.
//
// Histograms have fixed bucket bounds in microseconds kept in a Float64Array and counts in a
// Float64Array, so an observation is a short scan and two additions, without allocation. They
// are exposed in seconds, Prometheus's base unit. `quantileUs` estimates a percentile from the
// buckets (linear within a bucket), for health answers and benchmarks.

/** Bounds from 10 µs to ~10 s, about four per decade. */
export const latencyBoundsUs: readonly number[] = [
  10, 20, 50, 100, 200, 350, 500, 750, 1_000, 1_500, 2_000, 3_500, 5_000, 7_500, 10_000, 15_000, 20_000, 35_000, 50_000,
  75_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000,
];

export class Histogram {
  private readonly bounds: Float64Array;
  /** counts[i] observations ≤ bounds[i] and > bounds[i-1]; the last slot is +Inf. */
  private readonly counts: Float64Array;
  count = 0;
  sumUs = 0;

  constructor(boundsUs: readonly number[] = latencyBoundsUs) {
    this.bounds = Float64Array.from(boundsUs);
    this.counts = new Float64Array(boundsUs.length + 1);
  }

  observe(valueUs: number): void {
    const bounds = this.bounds;
    let index = 0;
    while (index < bounds.length && valueUs > bounds[index]!) index++;
    this.counts[index]! += 1;
    this.count++;
    this.sumUs += valueUs;
  }

  /** Estimated q-quantile (0 < q ≤ 1) in µs; NaN with no observations. */
  quantileUs(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = q * this.count;
    let below = 0;
    for (let index = 0; index < this.counts.length; index++) {
      const inBucket = this.counts[index]!;
      if (below + inBucket >= rank && inBucket > 0) {
        const low = index === 0 ? 0 : this.bounds[index - 1]!;
        const high = index < this.bounds.length ? this.bounds[index]! : low * 2;
        return low + ((rank - below) / inBucket) * (high - low);
      }
      below += inBucket;
    }
    return this.bounds[this.bounds.length - 1]!;
  }

  /** Prometheus lines for this histogram, in seconds. */
  render(name: string, help: string, labels: string): string {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    let cumulative = 0;
    for (let index = 0; index < this.bounds.length; index++) {
      cumulative += this.counts[index]!;
      lines.push(`${name}_bucket{${labels},le="${this.bounds[index]! / 1e6}"} ${cumulative}`);
    }
    lines.push(`${name}_bucket{${labels},le="+Inf"} ${this.count}`);
    lines.push(`${name}_sum{${labels}} ${this.sumUs / 1e6}`);
    lines.push(`${name}_count{${labels}} ${this.count}`);
    return lines.join("\n");
  }
}

/** One scalar series: a counter or gauge with its labels and value. */
export type MetricSample = {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge";
  readonly values: readonly { readonly labels?: Readonly<Record<string, string>>; readonly value: number }[];
};

function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).map(([key, value]) => `${key}="${value.replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/\n/g, "\\n")}"`).join(",");
}

/** The exposition of `samples` and `histograms`, every series labelled with `node`. */
export function prometheusText(
  node: string, samples: readonly MetricSample[], histograms: readonly { name: string; help: string; histogram: Histogram }[],
): string {
  const base = { node };
  const blocks: string[] = [];
  for (const sample of samples) {
    const lines = [`# HELP ${sample.name} ${sample.help}`, `# TYPE ${sample.name} ${sample.type}`];
    for (const value of sample.values) lines.push(`${sample.name}{${labelText({ ...base, ...value.labels })}} ${value.value}`);
    blocks.push(lines.join("\n"));
  }
  for (const { name, help, histogram } of histograms) blocks.push(histogram.render(name, help, labelText(base)));
  return `${blocks.join("\n")}\n`;
}
