// Benchmark: does the simulator, given this machine's calibrated profile, predict a live run?
// The same experiment config — the pi chain on two DARQ node processes with their spare compute,
// placed by co-location groups — runs once live (live/cluster/point-executor.ts: real processes,
// fdatasync, loopback TCP) and once simulated (sim/cluster/point-executor.ts) with the profile
// `ssms cluster calibrate` wrote (registered under its name, so the config names it like any
// profile), at each compute scale. Reported: both throughputs (pi tasks per second) and the
// prediction's relative error per scale; the value is the largest absolute error.
// `npm run bench -- live-vs-sim [--calibration FILE] [--scales 100,1000] [--seconds 8] [--chains 2] [--colocation none]`
// Without --calibration, the machine is calibrated (quickly) just before each live run, because what
// a shared machine delivers (fsync latency, free cores) changes by the minute.
// Few chains keep the run latency-bound: a CPU-bound run on a machine shared with other work
// measures the other work's appetite, which no profile knows.

import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Experiment } from "../experiments/schema.ts";
import type { PointOptions } from "../experiments/runner/point.ts";
import { calibrate, liveCalibrationFormat, type LiveCalibration } from "../live/cluster/calibrate-command.ts";
import type { LatencyUs } from "../live/cluster/calibrate.ts";
import { calibratedProfile, calibratedProfileName, calibratedTier, calibratedVmSize, type Measured } from "../live/cluster/calibrate-profile.ts";
import { executePointLive } from "../live/cluster/point-executor.ts";
import { executePointSim } from "../sim/cluster/point-executor.ts";
import { cloudProfileRegister } from "../sim/profiles/load.ts";
import type { BenchResult } from "./run.ts";

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
}

async function calibrationOf(path: string | undefined): Promise<LiveCalibration> {
  if (path !== undefined) {
    if (!existsSync(path)) throw new Error(`no calibration at ${path}; write one with 'ssms cluster calibrate --out ${path}'`);
    const parsed = JSON.parse(readFileSync(path, "utf8")) as LiveCalibration;
    if (parsed.format !== liveCalibrationFormat) throw new Error(`${path} is not a live calibration (format ${String(parsed.format)})`);
    return parsed;
  }
  process.stderr.write("calibrating this machine first (quick)\n");
  return calibrate(true, { out: (text) => void process.stderr.write(text), err: (text) => void process.stderr.write(text) });
}

function mean(a: number, b: number): number {
  return Math.round(((a + b) / 2) * 100) / 100;
}

function latencyMean(a: LatencyUs, b: LatencyUs): LatencyUs {
  return {
    p50: mean(a.p50, b.p50), p99: mean(a.p99, b.p99), samples: a.samples + b.samples,
    ...(a.mean === undefined || b.mean === undefined ? {} : { mean: mean(a.mean, b.mean) }),
  };
}

/** The calibration whose every measurement is the mean of two calibrations'. */
function averaged(a: LiveCalibration, b: LiveCalibration): LiveCalibration {
  const [x, y] = [a.measured, b.measured];
  const measured: Measured = {
    fsyncUs: latencyMean(x.fsyncUs, y.fsyncUs), fsyncIsolatedUs: latencyMean(x.fsyncIsolatedUs, y.fsyncIsolatedUs),
    loopbackOneWayUs: latencyMean(x.loopbackOneWayUs, y.loopbackOneWayUs), catalogReadUs: latencyMean(x.catalogReadUs, y.catalogReadUs),
    catalogWriteUs: latencyMean(x.catalogWriteUs, y.catalogWriteUs), stepCoreUs: mean(x.stepCoreUs, y.stepCoreUs), coreShare: mean(x.coreShare, y.coreShare),
  };
  return { ...b, measured, profile: calibratedProfile(measured, String(b.machine["measuredOn"])) };
}

function configOf(mode: "sim" | "live", computeScale: number, seconds: number, chains: number, colocation: "none" | "darq" | "darq-and-compute"): Experiment {
  return {
    name: "live-vs-sim", seed: 11, mode, durationS: seconds,
    workload: { kind: "pi-chain", chainCount: chains, computeScale },
    cluster: {
      profile: calibratedProfileName,
      compute: [{ name: "spare", kind: "darq-spare", count: 2 }],
      darq: [{ name: "darq", tier: "ssd", ssdTier: calibratedTier, count: 2 }],
    },
    placement: { policy: "groups", colocation, params: { darqVmSize: calibratedVmSize } },
    outputs: { timeseriesIntervalUs: 1_000_000 },
  } as Experiment;
}

export async function run(args: string[]): Promise<BenchResult> {
  const path = option(args, "--calibration");
  const given = path === undefined ? undefined : await calibrationOf(path);
  const scales = (option(args, "--scales") ?? "100,1000").split(",").map(Number);
  const seconds = Number(option(args, "--seconds") ?? 8);
  const chains = Number(option(args, "--chains") ?? 2);
  const colocation = (option(args, "--colocation") ?? "none") as "none" | "darq" | "darq-and-compute";
  const options: PointOptions = { pointIndex: 0, replication: 0, baseDir: process.cwd(), trace: false, timeseriesIntervalUs: 1_000_000 };
  const rows: { computeScale: number; liveTasksPerS: number; simTasksPerS: number; errorFraction: number; stepCoreUs: number; coreShare: number }[] = [];
  for (const computeScale of scales) {
    // A shared machine changes by the minute: calibrate just before and just after the live run
    // and simulate with the average, which brackets the conditions the live run met.
    const before = given ?? await calibrationOf(undefined);
    const live = await executePointLive(configOf("live", computeScale, seconds, chains, colocation), "11", options);
    const calibration = given ?? averaged(before, await calibrationOf(undefined));
    cloudProfileRegister(calibratedProfileName, calibration.profile);
    const simulated = executePointSim(configOf("sim", computeScale, seconds, chains, colocation), "11", options);
    const errorFraction = (simulated.throughputPerS - live.throughputPerS) / live.throughputPerS;
    rows.push({
      computeScale, liveTasksPerS: Math.round(live.throughputPerS), simTasksPerS: Math.round(simulated.throughputPerS),
      errorFraction: Math.round(errorFraction * 1000) / 1000, stepCoreUs: calibration.measured.stepCoreUs, coreShare: calibration.measured.coreShare,
    });
    process.stderr.write(`c=${computeScale}: live ${live.throughputPerS.toFixed(0)} tasks/s, simulated ${simulated.throughputPerS.toFixed(0)} tasks/s, error ${(errorFraction * 100).toFixed(1)}%\n`);
  }
  const worst = Math.max(...rows.map((row) => Math.abs(row.errorFraction)));
  return {
    bench: "live-vs-sim", value: worst, unit: "largest |simulated − live| / live throughput over the compute scales",
    rows, chains, seconds, colocation, cores: availableParallelism(),
  };
}
