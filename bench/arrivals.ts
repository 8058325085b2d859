// Arrival-process throughput: arrivals generated per second by each kind over the simulator's
// Random (RandomSim, alea), best of three runs. `value` is the Poisson rate; every kind is in the
// context. A workload asks for one arrival per arrival event, so this bounds how much of a run's
// event rate the arrival process can cost. Args: [arrivalsPerRun] (default 2,000,000).

import { performance } from "node:perf_hooks";
import { RandomSim } from "../sim/random-sim.ts";
import { arrivalProcessOf, type ArrivalSpec } from "../workloads/arrivals/arrivals.ts";
import type { BenchResult } from "./run.ts";

const specs: Record<string, ArrivalSpec> = {
  constant: { kind: "constant" },
  poisson: { kind: "poisson" },
  bursty: { kind: "bursty", burstMultiplier: 10, burstDurationUs: 1_000_000, burstPeriodUs: 10_000_000 },
  diurnal: { kind: "diurnal", amplitude: 0.8 },
  trace: { kind: "trace", path: "inline", loop: true },
};

function arrivalsPerS(spec: ArrivalSpec, count: number, trace: Float64Array): number {
  const process = arrivalProcessOf(spec, 10_000, new RandomSim("bench"), trace);
  let timeUs = 0;
  const startMs = performance.now();
  for (let index = 0; index < count; index++) timeUs = process.nextArrivalUs(timeUs);
  const elapsedMs = performance.now() - startMs;
  if (!(timeUs > 0)) throw new Error("no arrivals were generated");
  return count / (elapsedMs / 1000);
}

export async function run(args: string[]): Promise<BenchResult> {
  const count = Number(args[0] ?? 2_000_000);
  const trace = Float64Array.from({ length: 10_000 }, (_, index) => index * 100);
  const rates: Record<string, number> = {};
  for (const [name, spec] of Object.entries(specs)) {
    rates[`${name}PerS`] = Math.round(Math.max(...[0, 1, 2].map(() => arrivalsPerS(spec, count, trace))));
    process.stdout.write(`${name}: ${rates[`${name}PerS`]} arrivals/s\n`);
  }
  return { bench: "arrivals", value: rates["poissonPerS"]!, unit: "arrivals/s", arrivalsPerRun: count, ...rates };
}
