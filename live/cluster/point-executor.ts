// The live PointExecutor (mode "live"): one experiment point on real node processes on this
// machine, with the same workload drivers and the same result shape as the simulated cluster.
//
//   1. start a cluster laid out from the config (point-layout.ts) in a fresh temp directory,
//      with the link proxy when the faults need it;
//   2. join it as the driver, activate every automaton of the workload (as the simulated executor
//      does before its first arrival), start the workload's arrivals and apply the faults (chaos
//      controller) for durationS;
//   3. sample the nodes every timeseries interval; measure after a warm-up (a fifth of the run,
//      at most 2 s): throughput (pi chain: pi steps committed per second, the paper's tasks per
//      second, from the nodes' counters; other workloads: items of their throughput outcomes seen
//      at the sink), latency percentiles (pi chain: the durable-step latency histogram of the
//      nodes; others: end to end, arrival to outcome at the sink);
//      and what the machine gave the nodes meanwhile: their event loops' CPU and run-queue wait
//      (from /proc), the wall time of a pi handler (its pi computed for real) and their DARQs'
//      flush latency (write + fdatasync on an idle device), which calibration needs to know
//      (bench/live-vs-sim.ts);
//   4. stop the cluster and remove its directory.
// Live runs are not deterministic: the fingerprint names the config and seed ("live:" + hash),
// not the events, and `ssms replay` of a live run re-runs it rather than reproducing it. Run live
// sweeps with one point at a time (`--jobs 1`): points share this machine's cores.

import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { experimentDurationUs, type Experiment } from "../../experiments/schema.ts";
import type { PointOptions, PointResult, TimeseriesSample } from "../../experiments/runner/point.ts";
import type { WorkloadDriver } from "../../workloads/driver.ts";
import { ChaosController } from "../chaos/chaos-controller.ts";
import { LinkProxy } from "../chaos/link-proxy.ts";
import { faultsChecked, faultsFromModel, needsLinks } from "../chaos/live-faults.ts";
import { ClusterSampler, meanOfBuckets, quantileOfBuckets } from "./cluster-sampler.ts";
import { workloadDriversOf } from "./cluster-model.ts";
import { clusterDown, clusterUp, type ClusterHandle } from "./launcher.ts";
import { LiveDriver } from "./live-driver.ts";
import { sleepMs } from "./node-process.ts";
import { liveLayoutOf } from "./point-layout.ts";
import { schedTotals, type SchedTotals } from "./proc-stat.ts";
import { WorkloadRunner, type Completed } from "./workload-runner.ts";

export async function executePointLive(config: Experiment, seed: string, options: PointOptions): Promise<PointResult> {
  const durationUs = experimentDurationUs(config);
  const nodeNames = Array.from({ length: config.cluster.darq.reduce((sum, pool) => sum + pool.count, 0) }, (_, index) => `n${index + 1}`);
  const faults = options.faultSchedule !== undefined ? faultsChecked(options.faultSchedule) : faultsFromModel(config, seed, nodeNames, durationUs);
  const links = faults.some(needsLinks);
  const root = mkdtempSync(join(tmpdir(), "ssms-live-point-"));
  const dir = join(root, "cluster");
  let proxy: LinkProxy | null = null;
  let driver: LiveDriver | null = null;
  try {
    const handle = await clusterUp(dir, {
      ...liveLayoutOf(config, seed, links), ownedByThisProcess: true,
      beforeNodes: async (spec) => {
        if (links) proxy = await LinkProxy.start(spec);
      },
    });
    driver = await LiveDriver.start(handle);
    return await measure(config, seed, options, handle, driver, new ChaosController(handle, proxy), faults, durationUs);
  } finally {
    await driver?.close();
    await clusterDown(dir);
    await (proxy as LinkProxy | null)?.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function measure(
  config: Experiment, seed: string, options: PointOptions, handle: ClusterHandle, driver: LiveDriver,
  chaos: ChaosController, faults: Parameters<ChaosController["run"]>[0], durationUs: number,
): Promise<PointResult> {
  const workloads = workloadDriversOf(handle.spec, seed);
  const runner = new WorkloadRunner(driver, workloads, `point${options.pointIndex}.${options.replication}`);
  const sampler = new ClusterSampler(handle.spec, handle.secret);
  const warmupUs = Math.min(2_000_000, Math.round(durationUs / 5));
  const intervalUs = Math.max(250_000, options.timeseriesIntervalUs);
  const piChain = config.workload.kind === "pi-chain";
  // As the simulated executor does (executor-warmup.ts): every automaton active before the first arrival.
  await driver.activate(workloads.flatMap((workload) => [...workload.automata()]));
  // A first sample compiles the sampling paths in the driver and the nodes (HTTP client, routes,
  // metrics text) before the run: done inside it, it stalls the nodes for ~15 ms, which can throw
  // a pi chain's tasks together (live/README.md "Two or more chains").
  await sampler.sample(true);
  runner.start(durationUs);
  const faultsDone = chaos.run(faults);
  await sleepMs(warmupUs / 1000);
  await sampler.sample(true);
  const pids = Object.values(handle.pids);
  const schedBefore = schedTotals(pids);
  const windowStartUs = runner.elapsedUs();
  const timeseries: TimeseriesSample[] = [];
  let previous = { atUs: windowStartUs, count: 0 };
  while (runner.elapsedUs() < durationUs) {
    await sleepMs(Math.min(intervalUs, durationUs - runner.elapsedUs()) / 1000);
    await sampler.sample();
    const atUs = runner.elapsedUs();
    const count = piChain ? sampler.steps("pi") : itemsOf(runner.completions, workloads, runner.startedAtUs + windowStartUs, Infinity);
    const p99 = latencyOf(runner.completions, runner.startedAtUs + previous.atUs, runner.startedAtUs + atUs, 0.99);
    timeseries.push({ timeUs: atUs, throughputPerS: ((count - previous.count) * 1e6) / Math.max(1, atUs - previous.atUs), latencyUsP99: piChain ? Number.NaN : p99 });
    previous = { atUs, count };
  }
  const schedAfter = schedTotals(pids);
  runner.stopArrivals();
  chaos.stop();
  await faultsDone;
  const windowUs = Math.max(1, previous.atUs - windowStartUs);
  const windowFrom = runner.startedAtUs + windowStartUs;
  const windowTo = runner.startedAtUs + previous.atUs;
  const buckets = sampler.latencyBuckets();
  const quantile = (q: number): number => (piChain ? quantileOfBuckets(buckets, q) : latencyOf(runner.completions, windowFrom, windowTo, q));
  return {
    fingerprint: `live:${createHash("sha256").update(JSON.stringify(config)).update(seed).digest("hex").slice(0, 16)}`,
    eventsProcessed: sampler.steps(),
    durationUs: windowUs,
    throughputPerS: (previous.count * 1e6) / windowUs,
    latencyUsP50: quantile(0.5),
    latencyUsP95: quantile(0.95),
    latencyUsP99: quantile(0.99),
    costUsdPerMonth: 0,
    timeseries,
    faultsApplied: chaos.applied.map(({ atUs, fault }) => ({ ...fault, timeUs: atUs })),
    metrics: {
      costPriced: 0, nodes: handle.spec.nodes.length, warmupUs, arrivalsInjected: runner.injected, arrivalsDurable: runner.durable,
      sinkOutputs: driver.sink.outputs.length, sinkDeliveries: driver.sink.deliveries,
      ...schedMetrics(schedBefore, schedAfter), ...fsyncMetrics(sampler.fsyncBuckets()), ...(piChain ? handlerMetrics(sampler.handlerTime("pi")) : {}),
    },
  };
}

/**
 * The node processes' event loops over the measured window: CPU time, time runnable but waiting
 * for a core, and the share of a core they got while they had work (what the machine's other load
 * left them; calibration turns it into the simulator's speed factor). None where /proc has no
 * schedstat, or a node restarted (its counters began again).
 */
function schedMetrics(before: SchedTotals | undefined, after: SchedTotals | undefined): Record<string, number> {
  if (before === undefined || after === undefined || after.cpuUs < before.cpuUs || after.waitUs < before.waitUs) return {};
  const cpuUs = after.cpuUs - before.cpuUs;
  const waitUs = after.waitUs - before.waitUs;
  return { nodeCpuUs: Math.round(cpuUs), nodeRunWaitUs: Math.round(waitUs), nodeRunShare: Math.round((cpuUs / Math.max(1, cpuUs + waitUs)) * 1000) / 1000 };
}

/**
 * Wall time per call of the pi tasks' handler over the window (the pi computed for real, as this
 * machine ran it then), and the share of calls that ran back to back with the loop's previous
 * handler call (tasks run in one go on a node, see live/README.md "Two or more chains").
 */
function handlerMetrics(time: { readonly calls: number; readonly us: number; readonly backToBack: number }): Record<string, number> {
  if (!(time.calls > 0)) return {};
  return {
    piHandlerCalls: time.calls, piHandlerUsPerCall: Math.round((time.us / time.calls) * 10) / 10,
    piHandlerBackToBackShare: Math.round((time.backToBack / time.calls) * 1000) / 1000,
  };
}

/** The DARQs' flushes that found their device idle (write + fdatasync) over the window, µs. */
function fsyncMetrics(buckets: ReadonlyMap<string, number>): Record<string, number> {
  const flushes = buckets.get("+Inf") ?? 0;
  if (flushes <= 0) return {};
  return {
    fsyncFlushes: flushes, fsyncUsP50: Math.round(quantileOfBuckets(buckets, 0.5)), fsyncUsP99: Math.round(quantileOfBuckets(buckets, 0.99)),
    fsyncUsMean: Math.round(meanOfBuckets(buckets)),
  };
}

/** Items of the workloads' throughput outcomes completed in [fromUs, toUs) (absolute µs). */
function itemsOf(completions: readonly Completed[], workloads: readonly WorkloadDriver[], fromUs: number, toUs: number): number {
  const counted = new Set(workloads.flatMap((workload) => workload.throughputOutcomes));
  let items = 0;
  for (const completion of completions) if (completion.atUs >= fromUs && completion.atUs < toUs && counted.has(completion.outcome)) items += completion.items;
  return items;
}

/** The q-quantile of end-to-end latencies of completions in [fromUs, toUs); NaN when none. */
function latencyOf(completions: readonly Completed[], fromUs: number, toUs: number, q: number): number {
  const latencies = completions.filter((completion) => completion.atUs >= fromUs && completion.atUs < toUs).map((completion) => completion.latencyUs).sort((a, b) => a - b);
  if (latencies.length === 0) return Number.NaN;
  return latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
}
