// Benchmark: does the simulator, given this machine's calibrated profile, predict a live run?
// The same experiment config — the pi chain on two DARQ node processes with their spare compute,
// placed by co-location groups — runs once live (live/cluster/point-executor.ts: real processes,
// fdatasync, loopback TCP) and once simulated (sim/cluster/point-executor.ts) with the profile
// `ssms cluster calibrate` wrote (registered under its name, so the config names it like any
// profile), at each compute scale. Reported: both throughputs (pi tasks per second) and the
// prediction's relative error per scale; the value is the largest absolute error of the
// prediction from the calibrated profile.
// `npm run bench -- live-vs-sim [--calibration FILE] [--scales 100,1000] [--repeats 3] [--seconds 8] [--chains 1] [--colocation none]`
// Without --calibration, the machine is calibrated (quickly) just before and just after each live
// run and the two are averaged, because what a shared machine delivers (fsync latency, free
// cores, how fast an idle process wakes) changes by the minute; each scale runs `repeats` times
// and its figure compares the mean live throughput with the mean prediction (every run's own
// error is in the rows).
//
// The prediction is the calibrated profile's alone, made without the live run: speed factor = the
// calibrated core share (the median of short windows), runtime CPU per step, flush latency and
// the idle hop from the calibration cluster, loopback latency from the calibrations. Beside it
// each row reports what the live run met, for reading an error: the speed of its pi handlers
// (pi work ÷ their wall time), its flush latency, its nodes' share of a core, the share of pi
// handler calls that ran back to back.
//
// One chain by default: a latency-bound run, one node computing at a time, which leaves this
// 2-core machine a core for the kernel's journal work, the flush threads and the driver, as the
// profile's one-core nodes with their own disks assume. Two or more chains on two cores keep both
// cores computing at once; then every flush completion, wake-up and message waits for a core the
// profile does not know is taken, and a live node may run tasks that became ready together in one
// go (live/README.md "Two or more chains"): the rows report the share of pi handler calls that ran
// back to back with the previous one on their node (live) beside the share of simulated steps
// that waited for a busy core.

import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { PointResult } from "../experiments/runner/point.ts";
import { calibrate, liveCalibrationFormat, type LiveCalibration } from "../live/cluster/calibrate-command.ts";
import type { LatencyUs } from "../live/cluster/calibrate.ts";
import { calibratedProfile, calibratedProfileName, type Measured } from "../live/cluster/calibrate-profile.ts";
import { calibratedExperiment, calibratedPointOptions, type CalibratedExperimentOptions } from "../live/cluster/calibrated-experiment.ts";
import { executePointLive } from "../live/cluster/point-executor.ts";
import { piWorkCoreUs } from "../workloads/pi/pi-work.ts";
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
    if (typeof parsed.measured.hopResidualUs !== "number") {
      throw new Error(`${path} was written before calibrations measured the idle hop (measured.hopResidualUs); write a new one with 'ssms cluster calibrate --out ${path}'`);
    }
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
    fsyncUs: latencyMean(x.fsyncUs, y.fsyncUs), fsyncBusyUs: latencyMean(x.fsyncBusyUs, y.fsyncBusyUs), fsyncIsolatedUs: latencyMean(x.fsyncIsolatedUs, y.fsyncIsolatedUs),
    loopbackOneWayUs: latencyMean(x.loopbackOneWayUs, y.loopbackOneWayUs), catalogReadUs: latencyMean(x.catalogReadUs, y.catalogReadUs),
    catalogWriteUs: latencyMean(x.catalogWriteUs, y.catalogWriteUs), stepCoreUs: mean(x.stepCoreUs, y.stepCoreUs), coreShare: mean(x.coreShare, y.coreShare),
    cpuSpeed: mean(x.cpuSpeed, y.cpuSpeed), idleHopUs: mean(x.idleHopUs, y.idleHopUs), hopResidualUs: mean(x.hopResidualUs, y.hopResidualUs),
  };
  return { ...b, measured, profile: calibratedProfile(measured, String(b.machine["measuredOn"])) };
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/** The speed a pi handler met in the live run: the pi work ÷ its mean wall time (NaN: none ran). */
function handlerSpeedInRun(live: PointResult, computeScale: number): number {
  const handlerUs = live.metrics?.["piHandlerUsPerCall"];
  return handlerUs !== undefined && handlerUs > 0 ? round3(piWorkCoreUs(computeScale) / handlerUs) : Number.NaN;
}

/** What every run of the bench shares: the experiment but its mode and scale. */
type Setup = Omit<CalibratedExperimentOptions, "mode" | "computeScale">;

/** One live run against its prediction (see the file comment), as a row of figures. */
function compared(computeScale: number, live: PointResult, calibration: LiveCalibration, setup: Setup): Record<string, number> {
  const measured = calibration.measured;
  const simulate = (seed: string): PointResult =>
    executePointSim(calibratedExperiment({ mode: "sim", computeScale, ...setup }), seed, calibratedPointOptions);
  cloudProfileRegister(calibratedProfileName, calibration.profile);
  const predicted = simulate("11");
  // How much the prediction moves by seed alone.
  const seedSpread = ["12", "13", "14", "15"].map((seed) => simulate(seed).throughputPerS);
  const metric = (name: string): number => live.metrics?.[name] ?? Number.NaN;
  const error = round3((predicted.throughputPerS - live.throughputPerS) / live.throughputPerS);
  const backToBackLive = metric("piHandlerBackToBackShare");
  const queuedSim = predicted.metrics?.["computeQueuedShare"] ?? Number.NaN;
  process.stderr.write(`c=${computeScale}: live ${live.throughputPerS.toFixed(0)} tasks/s; simulated with the calibrated profile ${predicted.throughputPerS.toFixed(0)} (${(error * 100).toFixed(1)}%), over seeds 12–15: ${seedSpread.map((value) => value.toFixed(0)).join(", ")}; back to back: live ${backToBackLive}, simulated ${queuedSim}\n`);
  return {
    computeScale, liveTasksPerS: Math.round(live.throughputPerS), simCalibratedTasksPerS: Math.round(predicted.throughputPerS), errorCalibrated: error,
    simCalibratedOtherSeedsMin: Math.round(Math.min(...seedSpread)), simCalibratedOtherSeedsMax: Math.round(Math.max(...seedSpread)),
    speedCalibrated: measured.coreShare, handlerSpeedInRun: handlerSpeedInRun(live, computeScale), stepCoreUs: measured.stepCoreUs,
    idleHopUsCalibrated: measured.idleHopUs, hopResidualUs: measured.hopResidualUs, nodeRunShare: metric("nodeRunShare"),
    fsyncUsP50Calibrated: measured.fsyncUs.p50, fsyncUsP50InRun: metric("fsyncUsP50"), fsyncUsMeanInRun: metric("fsyncUsMean"),
    latencyUsP50Live: Math.round(live.latencyUsP50), latencyUsP50Sim: Math.round(predicted.latencyUsP50),
    backToBackShareLive: backToBackLive, queuedShareSim: queuedSim,
  };
}

/** The mean of `values`, to a tenth. */
const meanOf = (values: readonly number[]): number => Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 10) / 10;

export async function run(args: string[]): Promise<BenchResult> {
  const path = option(args, "--calibration");
  const given = path === undefined ? undefined : await calibrationOf(path);
  const scales = (option(args, "--scales") ?? "100,1000").split(",").map(Number);
  const repeats = Number(option(args, "--repeats") ?? 3);
  const setup: Setup = {
    seconds: Number(option(args, "--seconds") ?? 8), chains: Number(option(args, "--chains") ?? 1),
    colocation: (option(args, "--colocation") ?? "none") as CalibratedExperimentOptions["colocation"],
  };
  const rows: Record<string, number>[] = [];
  const byScale: Record<string, number>[] = [];
  for (const computeScale of scales) {
    // A shared machine changes by the minute: every live run is bracketed by calibrations (each
    // shared with the neighbouring run) and simulated with their average; the scale's figure
    // compares the mean of its live runs with the mean of their predictions.
    let before = given ?? await calibrationOf(undefined);
    const runs: Record<string, number>[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      const live = await executePointLive(calibratedExperiment({ mode: "live", computeScale, ...setup }), "11", calibratedPointOptions);
      const after = given ?? await calibrationOf(undefined);
      runs.push(compared(computeScale, live, given ?? averaged(before, after), setup));
      before = after;
    }
    rows.push(...runs);
    const [live, predicted] = [meanOf(runs.map((row) => row["liveTasksPerS"]!)), meanOf(runs.map((row) => row["simCalibratedTasksPerS"]!))];
    byScale.push({ computeScale, liveTasksPerS: live, simCalibratedTasksPerS: predicted, errorCalibrated: round3((predicted - live) / live) });
  }
  const worst = (list: Record<string, number>[], key: string): number => Math.max(...list.map((row) => Math.abs(row[key]!)));
  return {
    bench: "live-vs-sim", value: worst(byScale, "errorCalibrated"),
    unit: `largest |simulated − live| / live throughput over the compute scales, simulated with the calibrated profile, means of ${repeats} runs per scale`,
    byScale, errorCalibratedRunMax: worst(rows, "errorCalibrated"), rows,
    ...setup, repeats, cores: availableParallelism(),
  };
}
