// Benchmark: does the simulator, given this machine's calibrated profile, predict a live run?
// The same experiment config — the pi chain on two DARQ node processes with their spare compute,
// placed by co-location groups — runs once live (live/cluster/point-executor.ts: real processes,
// fdatasync, loopback TCP) and once simulated (sim/cluster/point-executor.ts) with the profile
// `ssms cluster calibrate` wrote (registered under its name, so the config names it like any
// profile), at each compute scale. Reported: both throughputs (pi tasks per second) and the
// prediction's relative error per scale; the value is the largest absolute error.
// `npm run bench -- live-vs-sim [--calibration FILE] [--scales 100,1000] [--seconds 8] [--chains 2] [--colocation none]`
// Without --calibration, the machine is calibrated (quickly) just before and just after each live
// run and the two are averaged, because what a shared machine delivers (fsync latency, free
// cores) changes by the minute.
//
// Each live run is simulated twice; neither takes the live throughput as an input:
//   with the run's conditions  (the value) the service times the live nodes met, the structure
//                              (group commit, flush queueing, the chain's critical path, two
//                              chains contending for each node's core) left to the simulator:
//                              speed factor = pi work ÷ the wall time a pi handler took on the
//                              nodes (pi is computed for real there); the runtime's own cost per
//                              step = the event loops' busy time per step (CPU + run-queue wait,
//                              from /proc) beyond the handler; flush latency from the nodes' own
//                              histogram; loopback latency from the calibrations
//   with the calibrations      everything from the calibrations around the run (a prediction
//                              made before it): speed factor = the calibrated core share (the
//                              median of short windows), runtime CPU per step and flush latency
//                              from the calibration cluster
// Regimes (live/README.md "Two regimes"): tasks that share a live node either stay apart (the
// nodes compute at once) or go in one go (they run one after another, leave together and the
// nodes take turns); a run keeps the one its start gave it. The simulator keeps them apart. Where
// a step's compute is close to a hop's latency (c = 1,000 here) the two differ by 1.2× (two
// chains) to 1.5× (eight) in throughput; at c = 100 by little. So each row reports the share of
// pi handler calls that ran back to back with the previous one on their node (live) beside the
// share of simulated steps that waited for a busy core: a live share well above the simulated one
// marks a run that went in one go, and its error says so, not the service times.
//
// Two node processes on two cores: one event loop per core, as the profile's one-core nodes.
// Few chains keep the run latency-bound: a CPU-bound run on a machine shared with other work
// measures the other work's appetite, which no profile knows.

import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Experiment } from "../experiments/schema.ts";
import type { PointOptions, PointResult } from "../experiments/runner/point.ts";
import { calibrate, liveCalibrationFormat, type LiveCalibration } from "../live/cluster/calibrate-command.ts";
import type { LatencyUs } from "../live/cluster/calibrate.ts";
import { calibratedProfile, calibratedProfileName, calibratedTier, calibratedVmSize, type Measured, type Override } from "../live/cluster/calibrate-profile.ts";
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
    cpuSpeed: mean(cpuSpeedOf(x), cpuSpeedOf(y)),
  };
  return { ...b, measured, profile: calibratedProfile(measured, String(b.machine["measuredOn"])) };
}

/** A calibration written before cpuSpeed was measured counts its CPU time at full speed. */
function cpuSpeedOf(measured: Measured): number {
  return Number.isFinite(measured.cpuSpeed) ? measured.cpuSpeed : 1;
}


const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/** From the calibrations alone: their core share (median of short windows, before and after). */
function speedCalibrated(measured: Measured): Override {
  return {
    value: round3(measured.coreShare),
    source: `derived: the calibrated core share ${measured.coreShare} (the median of short windows of two busy processes computing pi, before and after the live run), by bench live-vs-sim`,
  };
}

/** The compute of a step as the live run met it: the pi work ÷ the wall time a pi handler took on
 *  the nodes (pi computed for real, preemption and a busy sibling hyperthread included). */
function speedInRun(live: PointResult, computeScale: number): Override | undefined {
  const handlerUs = live.metrics?.["piHandlerUsPerCall"];
  if (handlerUs === undefined || !(handlerUs > 0)) return undefined;
  const work = piWorkCoreUs(computeScale);
  return {
    value: round3(work / handlerUs),
    source: `derived: pi work ${work.toFixed(0)} core-µs (workloads/pi/calibration.json) ÷ the ${handlerUs} µs of wall time a pi handler took on the live nodes over the run (${live.metrics?.["piHandlerCalls"]} calls), by bench live-vs-sim`,
  };
}

/** The runtime's own cost per step as the live run met it: the time the nodes' event loops were
 *  busy (CPU + run-queue wait, from /proc) per step beyond the pi handler, in core-µs at `speed`. */
function runtimeInRun(live: PointResult, speed: Override): Override | undefined {
  const [cpuUs, waitUs, handlerUs] = [live.metrics?.["nodeCpuUs"], live.metrics?.["nodeRunWaitUs"], live.metrics?.["piHandlerUsPerCall"]];
  const steps = (live.throughputPerS * live.durationUs) / 1e6;
  if (cpuUs === undefined || waitUs === undefined || handlerUs === undefined || !(steps > 0)) return undefined;
  const busyUs = (cpuUs + waitUs) / steps;
  return {
    value: Math.round(Math.max(0, busyUs - handlerUs) * speed.value * 10) / 10,
    source: `derived: the ${busyUs.toFixed(0)} µs the live nodes' event loops were busy per step (CPU + run-queue wait, from /proc, over ${Math.round(steps)} steps) minus the ${handlerUs} µs pi handler, × the run's speed ${speed.value}, by bench live-vs-sim`,
  };
}

/** The live DARQs' flush latency over the run, as the calibration's cluster measures it. */
function fsyncInRun(live: PointResult): LatencyUs | undefined {
  const metric = (name: string): number | undefined => live.metrics?.[name];
  const [p50, p99, mean, samples] = [metric("fsyncUsP50"), metric("fsyncUsP99"), metric("fsyncUsMean"), metric("fsyncFlushes")];
  if (p50 === undefined || p99 === undefined || mean === undefined || samples === undefined) return undefined;
  return { p50, p99, mean, samples };
}

function simulated(measured: Measured, asOf: string, overrides: { speed: Override; runtimeStepCoreUs?: Override }, run: () => PointResult): PointResult {
  cloudProfileRegister(calibratedProfileName, calibratedProfile(measured, asOf, overrides));
  return run();
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
  const rows: Record<string, number>[] = [];
  for (const computeScale of scales) {
    // A shared machine changes by the minute: calibrate just before and just after the live run
    // and simulate with the average, which brackets the conditions the live run met.
    const before = given ?? await calibrationOf(undefined);
    const live = await executePointLive(configOf("live", computeScale, seconds, chains, colocation), "11", options);
    const calibration = given ?? averaged(before, await calibrationOf(undefined));
    const asOf = String(calibration.machine["measuredOn"]);
    const simulate = (): PointResult => executePointSim(configOf("sim", computeScale, seconds, chains, colocation), "11", options);
    const ahead = simulated(calibration.measured, asOf, { speed: speedCalibrated(calibration.measured) }, simulate).throughputPerS;
    const inRunSpeed = speedInRun(live, computeScale);
    const inRunRuntime = inRunSpeed === undefined ? undefined : runtimeInRun(live, inRunSpeed);
    const inRunFsync = fsyncInRun(live);
    if (inRunSpeed === undefined || inRunRuntime === undefined || inRunFsync === undefined) {
      throw new Error("the live run reported no handler time, node CPU or flush figures (is /proc/<pid>/schedstat there?)");
    }
    const inRunResult = simulated({ ...calibration.measured, fsyncUs: inRunFsync }, asOf, { speed: inRunSpeed, runtimeStepCoreUs: inRunRuntime }, simulate);
    // The same prediction over other seeds: how much the run's phase (which chains meet on a core) moves it.
    const seedSpread = ["12", "13", "14", "15"].map((seed) => executePointSim(configOf("sim", computeScale, seconds, chains, colocation), seed, options).throughputPerS);
    const inRun = inRunResult.throughputPerS;
    const backToBackLive = live.metrics?.["piHandlerBackToBackShare"] ?? Number.NaN;
    const queuedSim = inRunResult.metrics?.["computeQueuedShare"] ?? Number.NaN;
    const error = (tasksPerS: number): number => round3((tasksPerS - live.throughputPerS) / live.throughputPerS);
    rows.push({
      computeScale, liveTasksPerS: Math.round(live.throughputPerS), simInRunTasksPerS: Math.round(inRun), errorInRun: error(inRun),
      simInRunOtherSeedsMin: Math.round(Math.min(...seedSpread)), simInRunOtherSeedsMax: Math.round(Math.max(...seedSpread)),
      simCalibratedTasksPerS: Math.round(ahead), errorCalibrated: error(ahead), speedInRun: inRunSpeed.value,
      runtimeStepCoreUsInRun: inRunRuntime.value, speedCalibrated: speedCalibrated(calibration.measured).value, nodeRunShare: live.metrics?.["nodeRunShare"] ?? Number.NaN,
      backToBackShareLive: backToBackLive, queuedShareSimInRun: queuedSim,
      latencyUsP50Live: Math.round(live.latencyUsP50), latencyUsP50InRun: inRunResult.latencyUsP50, fsyncUsMeanInRun: inRunFsync.mean ?? Number.NaN,
      fsyncUsP50InRun: inRunFsync.p50, fsyncUsP50Calibrated: calibration.measured.fsyncUs.p50, stepCoreUs: calibration.measured.stepCoreUs,
    });
    process.stderr.write(`c=${computeScale}: live ${live.throughputPerS.toFixed(0)} tasks/s; simulated with the run's conditions ${inRun.toFixed(0)} (${(error(inRun) * 100).toFixed(1)}%), with the calibrations alone ${ahead.toFixed(0)} (${(error(ahead) * 100).toFixed(1)}%); run's conditions over seeds 12–15: ${seedSpread.map((value) => value.toFixed(0)).join(", ")}; back to back: live ${backToBackLive}, simulated ${queuedSim}\n`);
  }
  const worst = (key: string): number => Math.max(...rows.map((row) => Math.abs(row[key]!)));
  return {
    bench: "live-vs-sim", value: worst("errorInRun"),
    unit: "largest |simulated − live| / live throughput over the compute scales, with the service times the live run met (pi handler speed, runtime busy time per step, flush latency)",
    errorCalibratedMax: worst("errorCalibrated"), rows, chains, seconds, colocation, cores: availableParallelism(),
  };
}
