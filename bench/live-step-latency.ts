// Benchmark: the round trip of a durable step on a live cluster at moderate load. A driver
// process (this one) asks counter automata spread over the node processes ("get": a step that
// consumes the ask and sends the reply), at a steady rate; each
// ask is enqueued exactly once (durable at the counter's DARQ before it is processed), handled in
// one step, and answered by a reply that leaves only once that step is durable (non-speculative
// mode). The round trip is ask → reply as the driver sees it, over TCP on loopback, with fsync
// group commit on both the input and the step. Also reported: the nodes' own durable-step latency
// (submit → durable) from their Prometheus histograms.
// `npm run bench -- live-step-latency [--nodes 2] [--rate 200] [--seconds 10] [--automata 16]`

import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { counter } from "../engine/runtime/example-counter.ts";
import { ClusterSampler, quantileOfBuckets } from "../live/cluster/cluster-sampler.ts";
import { clusterDown, clusterUp } from "../live/cluster/launcher.ts";
import { LiveDriver } from "../live/cluster/live-driver.ts";
import { sleepMs } from "../live/cluster/node-process.ts";
import type { BenchResult } from "./run.ts";

function argument(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!(value > 0)) throw new Error(`${name} needs a positive number, got ${args[at + 1]}`);
  return value;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export async function run(args: string[]): Promise<BenchResult> {
  const nodes = argument(args, "--nodes", 2);
  const ratePerS = argument(args, "--rate", 200);
  const seconds = argument(args, "--seconds", 10);
  const automata = argument(args, "--automata", 16);
  const root = mkdtempSync(join(tmpdir(), "ssms-bench-step-"));
  const dir = join(root, "cluster");
  const handle = await clusterUp(dir, { darqNodes: nodes, seed: "bench", ownedByThisProcess: true });
  const driver = await LiveDriver.start(handle);
  const roundTripsUs: number[] = [];
  let failed = 0;
  try {
    // Warm-up: activate every counter (activation is not what this measures).
    await Promise.all(Array.from({ length: automata }, (_, index) => new Promise<void>((resolve) => {
      driver.client.ask(counter.ref(String(index)), { type: "get" }, () => resolve());
    })));
    const sampler = new ClusterSampler(handle.spec, handle.secret);
    await sampler.sample(true);
    const intervalMs = 1000 / ratePerS;
    const total = Math.round(ratePerS * seconds);
    const startMs = performance.now();
    const pending: Promise<void>[] = [];
    for (let index = 0; index < total; index++) {
      const dueMs = startMs + index * intervalMs;
      const waitMs = dueMs - performance.now();
      if (waitMs > 0) await sleepMs(waitMs);
      const sentMs = performance.now();
      pending.push(new Promise((resolve) => {
        const asked = driver.client.ask(counter.ref(String(index % automata)), { type: "get" }, (result) => {
          if (result.ok) roundTripsUs.push((performance.now() - sentMs) * 1000);
          else failed++;
          resolve();
        });
        if (!asked.ok) {
          failed++;
          resolve();
        }
      }));
    }
    await Promise.race([Promise.all(pending), sleepMs(30_000)]);
    await sampler.sample();
    roundTripsUs.sort((a, b) => a - b);
    const buckets = sampler.latencyBuckets();
    const p50 = quantile(roundTripsUs, 0.5);
    process.stderr.write(`round trip p50 ${(p50 / 1000).toFixed(2)} ms, p99 ${(quantile(roundTripsUs, 0.99) / 1000).toFixed(2)} ms over ${roundTripsUs.length} asks\n`);
    return {
      bench: "live-step-latency", value: Math.round(p50), unit: "us (p50 ask round trip: enqueue, durable step, reply)",
      roundTripUsP50: Math.round(p50), roundTripUsP90: Math.round(quantile(roundTripsUs, 0.9)), roundTripUsP99: Math.round(quantile(roundTripsUs, 0.99)),
      nodeStepLatencyUsP50: Math.round(quantileOfBuckets(buckets, 0.5)), nodeStepLatencyUsP99: Math.round(quantileOfBuckets(buckets, 0.99)),
      asks: roundTripsUs.length, failed, ratePerS, nodes, automata, seconds, cores: availableParallelism(),
    };
  } finally {
    await driver.close();
    await clusterDown(dir);
    rmSync(root, { recursive: true, force: true });
  }
}
