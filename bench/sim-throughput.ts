// Benchmark: simulated DARQ steps per wall-clock second through the whole stack — the point
// executor, SimCluster, the DARQ engine, the runtime (automaton hosts, remote processors, routing,
// metadata workflows) and the cloud models (network, storage tier, compute, ledger). Workload: the
// pi chain at c = 1 (64 chains, 7.5 core-µs per task) on 2 hot-replicated DARQ nodes and 2
// D8s_v3 VMs, without co-location (every hop crosses DARQs and the network to a remote processor);
// the co-located DARQ-and-compute variant is reported alongside. Steps are those the DARQ nodes
// committed in the measured run; the wall time covers the whole point (setup and warm-up too).
// Floor 100,000 steps/s, aim 500,000. Steps per CPU second are reported beside the wall figure:
// on a machine shared with other work they say more about the simulator than the wall clock.
// `npm run bench -- sim-throughput [--seconds 5] [--chains 64]`

import { performance } from "node:perf_hooks";
import type { Experiment } from "../experiments/schema.ts";
import { executePointSim } from "../sim/cluster/point-executor.ts";
import type { BenchResult } from "./run.ts";

type Colocation = "none" | "darq-and-compute";

function piExperiment(seconds: number, chains: number, colocation: Colocation): Experiment {
  return {
    name: "sim-throughput", seed: "throughput", mode: "sim", durationS: seconds,
    workload: { kind: "pi-chain", chainCount: chains, computeScale: 1 },
    cluster: {
      profile: "azure-2024",
      compute: [{ name: "vm", kind: "vm", size: "D8s_v3", count: 2 }, { name: "spare", kind: "darq-spare", count: 2 }],
      darq: [{ name: "darq", tier: "hot-replicated", count: 2 }],
    },
    placement: { policy: "groups", colocation },
  };
}

type Measured = { stepsPerWallS: number; stepsPerCpuS: number; steps: number; wallS: number; cpuS: number; events: number };

function measure(seconds: number, chains: number, colocation: Colocation): Measured {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = executePointSim(piExperiment(seconds, chains, colocation), "throughput", {
    pointIndex: 0, replication: 0, baseDir: ".", trace: false, timeseriesIntervalUs: seconds * 1_000_000,
  });
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const steps = result.metrics?.["darqSteps"] ?? NaN;
  return {
    stepsPerWallS: Math.round(steps / wallS), stepsPerCpuS: Math.round(steps / cpuS), steps,
    wallS: Number(wallS.toFixed(2)), cpuS: Number(cpuS.toFixed(2)), events: result.eventsProcessed,
  };
}

function parse(args: readonly string[]): { seconds: number; chains: number } {
  const options = { seconds: 5, chains: 64 };
  for (let index = 0; index < args.length; index += 2) {
    const name = args[index]?.replace(/^--/, "") ?? "";
    const value = Number(args[index + 1]);
    if (!(name in options) || !(value > 0)) throw new Error(`sim-throughput: bad option '${args[index] ?? ""}' (options: --seconds N, --chains N)`);
    (options as Record<string, number>)[name] = value;
  }
  return options;
}

export async function run(args: string[]): Promise<BenchResult> {
  const { seconds, chains } = parse(args);
  measure(0.2, chains, "none"); // warm the JIT so the figure is the steady state
  const remote = measure(seconds, chains, "none");
  const colocated = measure(seconds, chains, "darq-and-compute");
  process.stderr.write(`sim-throughput: ${remote.steps} DARQ steps in ${remote.wallS} s wall (${remote.stepsPerWallS}/s; ` +
    `${remote.stepsPerCpuS} per CPU second); co-located ${colocated.stepsPerWallS}/s (${colocated.stepsPerCpuS} per CPU second)\n`);
  return {
    bench: "sim-throughput", value: remote.stepsPerWallS, unit: "steps/s",
    floor: 100_000, aim: 500_000, simulatedS: seconds, chains,
    steps: remote.steps, wallS: remote.wallS, cpuS: remote.cpuS, stepsPerCpuS: remote.stepsPerCpuS, eventsProcessed: remote.events, eventsPerStep: Number((remote.events / remote.steps).toFixed(2)),
    colocatedStepsPerWallS: colocated.stepsPerWallS, colocatedStepsPerCpuS: colocated.stepsPerCpuS, colocatedSteps: colocated.steps, colocatedWallS: colocated.wallS,
  };
}
