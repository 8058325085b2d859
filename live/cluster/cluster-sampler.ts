// Sampling a live cluster's counters from outside, for experiment results and benchmarks: each
// node's health (steps committed per automaton type), its Prometheus step-latency and flush
// histograms and its handler-time counters, through the API with the secret. Counters restart at zero when a node reboots, so the sampler
// keeps them per (node, boot): a boot seen at the baseline counts from its baseline value, a boot
// seen later from zero. Steps a node committed after its last sample and before it was killed are
// not seen; under faults the totals are slightly low, never high.

import { apiCall } from "../api/api-client.ts";
import type { ClusterSpec } from "./cluster-spec.ts";

type Health = { readonly bootId: string; readonly steps: { readonly byType: Readonly<Record<string, number>> }; readonly darq: null | { readonly stepsCommitted: number } };

/** One reading of a node: each part maps a key (type, bucket bound) to a cumulative count. */
type Reading = {
  readonly steps: Map<string, number>;
  readonly buckets: Map<string, number>;
  readonly fsync: Map<string, number>;
  readonly handlerSeconds: Map<string, number>;
  readonly handlerCalls: Map<string, number>;
  readonly handlerBackToBack: Map<string, number>;
};

type Boot = { base: Reading; last: Reading };

const readingEmpty = (): Reading => ({ steps: new Map(), buckets: new Map(), fsync: new Map(), handlerSeconds: new Map(), handlerCalls: new Map(), handlerBackToBack: new Map() });

/** Parses counter `name` labelled by automaton type (type → value). */
function countersByTypeParse(text: string, name: string): Map<string, number> {
  const counters = new Map<string, number>();
  const pattern = new RegExp(`^${name}\\{[^}]*type="([^"]+)"[^}]*\\} ([0-9.e+-]+)$`, "gm");
  for (const match of text.matchAll(pattern)) counters.set(match[1]!, Number(match[2]));
  return counters;
}

/** The key under which latencyBucketsParse keeps the histogram's sum (seconds). */
export const sumKey = "sum";

/** Parses the cumulative buckets of histogram `name` (le in seconds → count), and its sum. */
export function latencyBucketsParse(text: string, name = "ssms_step_latency_seconds"): Map<string, number> {
  const buckets = new Map<string, number>();
  const pattern = new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"\\} (\\d+(?:\\.\\d+)?)$`, "gm");
  for (const match of text.matchAll(pattern)) buckets.set(match[1]!, Number(match[2]));
  const sum = new RegExp(`^${name}_sum\\{[^}]*\\} ([0-9.e+-]+)$`, "m").exec(text);
  if (sum !== null) buckets.set(sumKey, Number(sum[1]));
  return buckets;
}

/** The mean (µs) of a histogram parsed by latencyBucketsParse; NaN when empty. */
export function meanOfBuckets(buckets: ReadonlyMap<string, number>): number {
  const count = buckets.get("+Inf") ?? 0;
  return count > 0 ? ((buckets.get(sumKey) ?? Number.NaN) * 1e6) / count : Number.NaN;
}

/** The q-quantile (µs) of a cumulative histogram given as le (seconds) → count; NaN when empty. */
export function quantileOfBuckets(buckets: ReadonlyMap<string, number>, q: number): number {
  const finite = [...buckets].filter(([le]) => le !== "+Inf" && le !== sumKey).map(([le, count]) => [Number(le) * 1e6, count] as const).sort((a, b) => a[0] - b[0]);
  const total = buckets.get("+Inf") ?? finite[finite.length - 1]?.[1] ?? 0;
  if (total <= 0) return Number.NaN;
  const rank = q * total;
  let previousBound = 0;
  let previousCount = 0;
  for (const [bound, count] of finite) {
    if (count >= rank && count > previousCount) return previousBound + ((rank - previousCount) / (count - previousCount)) * (bound - previousBound);
    previousBound = bound;
    previousCount = count;
  }
  return previousBound;
}

export class ClusterSampler {
  private readonly boots = new Map<string, Boot>();

  constructor(private readonly spec: ClusterSpec, private readonly secret: string) {}

  /** Reads every node; `baseline` marks the start of the measured window. */
  async sample(baseline = false): Promise<void> {
    const touched = new Set<string>();
    await Promise.all(this.spec.nodes.map(async (node) => {
      const [health, metrics] = await Promise.all([
        apiCall(this.spec.listenHost, node.apiPort, "/v1/health", { secret: this.secret, timeoutMs: 3_000 }),
        apiCall(this.spec.listenHost, node.apiPort, "/metrics", { secret: this.secret, timeoutMs: 3_000 }),
      ]);
      if (health.status !== 200 || metrics.status !== 200) return; // down or booting: its last sample stands
      const answer = health.body as Health;
      const text = String(metrics.body);
      const reading: Reading = {
        steps: new Map(Object.entries(answer.steps.byType)),
        buckets: latencyBucketsParse(text),
        fsync: latencyBucketsParse(text, "ssms_fsync_unqueued_latency_seconds"),
        handlerSeconds: countersByTypeParse(text, "ssms_handler_seconds_total"),
        handlerCalls: countersByTypeParse(text, "ssms_handler_calls_total"),
        handlerBackToBack: countersByTypeParse(text, "ssms_handler_back_to_back_total"),
      };
      const key = `${node.name}#${answer.bootId}`;
      touched.add(key);
      const known = this.boots.get(key);
      if (known === undefined) this.boots.set(key, { base: baseline ? reading : readingEmpty(), last: reading });
      else {
        known.last = reading;
        if (baseline) known.base = reading;
      }
    }));
    if (!baseline) return;
    // A boot that did not answer the baseline died before the window: none of its steps count.
    for (const [key, boot] of this.boots) if (!touched.has(key)) boot.base = boot.last;
  }

  /** Steps of `type` (or of every type) committed since the baseline, over all nodes and boots. */
  steps(type?: string): number {
    return this.since("steps", type);
  }

  /**
   * Calls of `type`'s handler, the wall time (µs) spent in them and the calls that began back to
   * back with the loop's previous handler call, since the baseline, over all nodes and boots.
   */
  handlerTime(type: string): { readonly calls: number; readonly us: number; readonly backToBack: number } {
    return { calls: this.since("handlerCalls", type), us: this.since("handlerSeconds", type) * 1e6, backToBack: this.since("handlerBackToBack", type) };
  }

  private since(part: "steps" | "handlerSeconds" | "handlerCalls" | "handlerBackToBack", key?: string): number {
    let total = 0;
    for (const { base, last } of this.boots.values()) {
      for (const [name, count] of last[part]) if (key === undefined || name === key) total += count - (base[part].get(name) ?? 0);
    }
    return total;
  }

  /** The step-latency histogram since the baseline, merged over nodes and boots. */
  latencyBuckets(): Map<string, number> {
    return this.merged("buckets");
  }

  /** Latency of flushes that found their device idle (write + fdatasync), since the baseline, merged. */
  fsyncBuckets(): Map<string, number> {
    return this.merged("fsync");
  }

  private merged(part: "buckets" | "fsync"): Map<string, number> {
    const merged = new Map<string, number>();
    for (const { base, last } of this.boots.values()) {
      for (const [le, count] of last[part]) merged.set(le, (merged.get(le) ?? 0) + count - (base[part].get(le) ?? 0));
    }
    return merged;
  }
}
