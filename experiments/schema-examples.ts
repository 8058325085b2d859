// Valid example configs, one per workload kind: a starting point for writing experiments and
// the fixtures the schema, error and sweep tests break on purpose. Each call returns a fresh,
// mutable copy, so a test can change it freely.

import type { Workload } from "./schema.ts";

const workloads: Record<Workload["kind"], Workload> = {
  "pi-chain": { kind: "pi-chain", chainCount: 8, computeScale: 10, messageBytes: 256 },
  "travel-saga": { kind: "travel-saga", arrivalsPerS: 200, services: 3, failureChance: 0.02, arrival: { kind: "poisson" } },
  "stream-pipeline": { kind: "stream-pipeline", eventsPerS: 20_000, regions: 3, keys: 1000, windowUs: 1_000_000, arrival: { kind: "diurnal", amplitude: 0.5, periodUs: 20_000_000 } },
  monitoring: { kind: "monitoring", streams: 16, framesPerS: 30, detectors: 2, deployment: "co-located", arrival: { kind: "constant" } },
  synthetic: { kind: "synthetic", automata: 5000, messagesPerS: 10_000, idleFraction: 0.8, arrival: { kind: "bursty", burstMultiplier: 10, burstDurationUs: 500_000, burstPeriodUs: 10_000_000 } },
};

/** A complete, valid experiment for `kind` (default pi-chain), as plain mutable JSON data. */
export function exampleExperiment(kind: Workload["kind"] = "pi-chain"): Record<string, unknown> {
  const config = {
    name: `example-${kind}`,
    description: "two VM sizes and three DARQ tiers, as in the paper's cost-performance figure",
    seed: 42,
    mode: "sim",
    durationS: 60,
    workload: workloads[kind],
    cluster: {
      profile: "azure-2024",
      compute: [
        { name: "vm-d8", kind: "vm", size: "D8s_v3", count: 2 },
        { name: "spare", kind: "darq-spare", count: 2 },
      ],
      darq: [{ name: "darq-ssd", tier: "ssd", ssdTier: "premium-p30", count: 2 }],
      zones: ["zone-1"],
    },
    placement: { policy: "round-robin", colocation: "none" },
    optimizer: { policy: "greedy-cost", periodUs: 10_000_000 },
    objective: { kind: "min-cost-p99", params: { latencyUsP99Max: 50_000 } },
    faults: { model: { ratesPerHour: { nodeCrash: 0.5 } } },
    outputs: { trace: false, timeseriesIntervalUs: 1_000_000 },
  };
  return JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
}

/** The example with a sweep: compute scale × DARQ tier, 2 replications. */
export function exampleSweepExperiment(): Record<string, unknown> {
  const config = exampleExperiment("pi-chain");
  config["sweep"] = {
    grid: { "workload.computeScale": [1, 10, 100], "cluster.darq[0].tier": ["hot-replicated", "ssd"] },
    replications: 2,
  };
  const cluster = config["cluster"] as { darq: Record<string, unknown>[] };
  // ssdTier applies to ssd pools only, and the sweep also tries hot-replicated.
  delete (cluster.darq[0] as Record<string, unknown>)["ssdTier"];
  return config;
}
