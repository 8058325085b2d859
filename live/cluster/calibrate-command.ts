// `ssms cluster calibrate [--out FILE] [--quick]`: measures this machine (calibrate.ts) and writes
// the calibration file: the measurements, the machine, and a simulator profile of this machine
// (calibrate-profile.ts) that `bench/live-vs-sim.ts` registers to predict live runs.
//
//   { "format": "ssms-live-calibration", "version": 1, "machine": {…}, "measured": {…},
//     "profile": <a cloud profile document named local-calibrated> }

import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { executePointSim } from "../../sim/cluster/point-executor.ts";
import { cloudProfileRegister } from "../../sim/profiles/load.ts";
import { busyChains, catalogMeasure, clusterMeasure, coreShareMeasure, fsyncMeasure, idleHopComputeScale, loopbackMeasure } from "./calibrate.ts";
import { calibratedProfile, calibratedProfileName, type Measured } from "./calibrate-profile.ts";
import { calibratedExperiment, calibratedPointOptions } from "./calibrated-experiment.ts";

export const liveCalibrationFormat = "ssms-live-calibration";
export const liveCalibrationDefaultPath = fileURLToPath(new URL("../../results/live/calibration.json", import.meta.url));

export type LiveCalibration = {
  readonly format: typeof liveCalibrationFormat;
  readonly version: 1;
  readonly machine: Readonly<Record<string, string | number>>;
  readonly measured: Measured;
  readonly profile: Record<string, unknown>;
};

type Io = { out(text: string): void; err(text: string): void };

export async function calibrate(quick: boolean, io: Io): Promise<LiveCalibration> {
  const fsyncIsolatedUs = await fsyncMeasure(quick ? 50 : 500);
  io.out(`fsync alone: p50 ${fsyncIsolatedUs.p50} µs, p99 ${fsyncIsolatedUs.p99} µs (${fsyncIsolatedUs.samples} flushes)\n`);
  const loopbackOneWayUs = await loopbackMeasure(quick ? 200 : 3_000);
  io.out(`loopback one way: p50 ${loopbackOneWayUs.p50} µs, p99 ${loopbackOneWayUs.p99} µs (${loopbackOneWayUs.samples} round trips)\n`);
  const catalog = catalogMeasure(quick ? 100 : 2_000);
  io.out(`catalog: read p50 ${catalog.read.p50} µs, write p50 ${catalog.write.p50} µs\n`);
  const core = await coreShareMeasure(2, quick ? 2 : 5);
  io.out(`core share: each of 2 busy processes gets ${core.share} of a core (${core.perProcess.join(", ")}), its CPU time running at ${core.cpuSpeed} of a quiet core's speed\n`);
  const cluster = await clusterMeasure(quick ? 3 : 8);
  // CPU time on a slowed core overstates the work; at a quiet core's speed a step costs less.
  const stepCoreUs = Math.round((cluster.cpuUsPerStep * core.cpuSpeed - cluster.piWorkCoreUs) * 10) / 10;
  io.out(`step cost: ${stepCoreUs} core-µs per step beyond the pi work at a quiet core's speed (${cluster.coreUsPerStep} µs of CPU time; ${cluster.steps} steps, ${cluster.cpuUs} µs of node CPU)\n`);
  io.out(`group-commit fsync in the cluster, one chain: p50 ${cluster.fsyncUs.p50} µs, p99 ${cluster.fsyncUs.p99} µs (${cluster.fsyncUs.samples} flushes); ${busyChains} chains: p50 ${cluster.fsyncBusyUs.p50} µs, p99 ${cluster.fsyncBusyUs.p99} µs\n`);
  const asOf = new Date().toISOString().slice(0, 10);
  const unfitted: Measured = {
    fsyncUs: cluster.fsyncUs, fsyncBusyUs: cluster.fsyncBusyUs, fsyncIsolatedUs, loopbackOneWayUs, catalogReadUs: catalog.read, catalogWriteUs: catalog.write, stepCoreUs,
    coreShare: core.share, cpuSpeed: core.cpuSpeed, idleHopUs: cluster.idleHopUs, hopResidualUs: 0,
  };
  const modelHopUs = idleHopSimulatedUs(unfitted, asOf);
  const measured: Measured = { ...unfitted, hopResidualUs: Math.max(0, cluster.idleHopUs - modelHopUs) };
  io.out(`idle hop: ${cluster.idleHopUs} µs per step of one chain alone (${cluster.idleHopSteps} steps); the model charges ${modelHopUs} µs, so the links carry ${measured.hopResidualUs} µs more\n`);
  return {
    format: liveCalibrationFormat, version: 1,
    machine: { cpuModel: cpus()[0]?.model ?? "unknown", cores: availableParallelism(), node: process.version, arch: process.arch, measuredOn: asOf, quick: quick ? 1 : 0 },
    measured, profile: calibratedProfile(measured, asOf),
  };
}

/** Seconds of virtual time the idle hop is simulated for (a thousand hops and more). */
const idleHopSimulatedS = 2;

/**
 * The idle hop as the simulator charges it with `measured` (no residual): the calibrated
 * experiment with one chain at the smallest compute scale, the live phase's own setting.
 */
export function idleHopSimulatedUs(measured: Measured, asOf: string): number {
  cloudProfileRegister(calibratedProfileName, calibratedProfile(measured, asOf));
  const config = calibratedExperiment({ mode: "sim", computeScale: idleHopComputeScale, seconds: idleHopSimulatedS, chains: 1, colocation: "none" });
  const result = executePointSim(config, "11", calibratedPointOptions);
  return Math.round(1e6 / result.throughputPerS);
}

export async function calibrateCommand(options: { readonly out: string | undefined; readonly quick: boolean }, io: Io): Promise<number> {
  const out = resolve(options.out ?? liveCalibrationDefaultPath);
  try {
    const calibration = await calibrate(options.quick, io);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(calibration, null, 2)}\n`);
    io.out(`wrote ${out}\n`);
    return 0;
  } catch (error) {
    io.err(`ssms cluster calibrate: ${(error as Error).message}\n`);
    return 1;
  }
}
