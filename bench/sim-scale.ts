// Benchmark: the simulator at cloud scale, the simulated cloud's acceptance figure. By default
// 100,000 automata on 1,000 nodes for one simulated hour, 10 million steps in all, with most
// automata idle most of the time (the synthetic workload: 95% of its groups idle at any moment,
// the active window moving every minute, so idle automata cost no events). Reports the wall time
// (value, seconds), the CPU time beside it (the fairer figure on a shared machine) and the peak
// RSS; the target is under 60 s and under 4 GiB on the project's 2-core machine. The run goes
// through the real point executor: SimCluster, DARQ engine, runtime, metadata workflows (every
// automaton is activated lazily by its first message), models, ledger.
//
// Nodes: `--nodes` DARQ machines on hot-replicated storage, each running its automata on its own
// spare cores (co-location darq-and-compute), so a node is one machine.
// `npm run bench -- sim-scale [--automata 100000] [--nodes 1000] [--steps 10000000]
//   [--seconds 3600] [--idle 0.95] [--seed scale]`

import { performance } from "node:perf_hooks";
import type { Experiment } from "../experiments/schema.ts";
import { executePointSim } from "../sim/cluster/point-executor.ts";
import type { BenchResult } from "./run.ts";

type ScaleOptions = { automata: number; nodes: number; steps: number; seconds: number; idle: number; seed: string };

function parse(args: readonly string[]): ScaleOptions {
  const options: ScaleOptions = { automata: 100_000, nodes: 1_000, steps: 10_000_000, seconds: 3_600, idle: 0.95, seed: "scale" };
  for (let index = 0; index < args.length; index += 2) {
    const name = args[index]?.replace(/^--/, "") ?? "";
    const value = args[index + 1];
    if (!(name in options) || value === undefined) throw new Error(`sim-scale: unknown or incomplete option '${args[index] ?? ""}' (options: ${Object.keys(options).map((key) => `--${key}`).join(", ")})`);
    (options as Record<string, number | string>)[name] = name === "seed" ? value : Number(value);
  }
  return options;
}

export function scaleExperiment(options: ScaleOptions): Experiment {
  return {
    name: "sim-scale", seed: options.seed, mode: "sim", durationS: options.seconds,
    workload: {
      kind: "synthetic", automata: options.automata, messagesPerS: options.steps / options.seconds,
      idleFraction: options.idle, arrival: { kind: "poisson" },
    },
    cluster: {
      profile: "azure-2024",
      compute: [{ name: "spare", kind: "darq-spare", count: options.nodes }],
      darq: [{ name: "darq", tier: "hot-replicated", count: options.nodes }],
    },
    placement: { policy: "groups", colocation: "darq-and-compute" },
  };
}

export async function run(args: string[]): Promise<BenchResult> {
  const options = parse(args);
  const config = scaleExperiment(options);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = executePointSim(config, options.seed, {
    pointIndex: 0, replication: 0, baseDir: ".", trace: false, timeseriesIntervalUs: Math.min(60_000_000, options.seconds * 1e6),
  });
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const steps = result.metrics?.["itemsCompleted"] ?? NaN;
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stderr.write(`sim-scale: ${options.automata} automata on ${options.nodes} nodes, ${options.seconds} s simulated, ${steps} steps in ${wallS.toFixed(1)} s wall (${cpuS.toFixed(1)} s CPU), peak RSS ${peakRssMiB} MiB\n`);
  return {
    bench: "sim-scale", value: Number(wallS.toFixed(2)), unit: "s",
    automata: options.automata, nodes: options.nodes, simulatedS: options.seconds, steps,
    cpuS: Number(cpuS.toFixed(2)), stepsPerWallS: Math.round(steps / wallS), eventsProcessed: result.eventsProcessed,
    peakRssMiB, throughputPerS: Math.round(result.throughputPerS), latencyUsP50: result.latencyUsP50, latencyUsP99: result.latencyUsP99,
    fingerprint: result.fingerprint, targetWallS: 60, targetRssMiB: 4096,
  };
}
