// Measuring this machine for the simulator (`ssms cluster calibrate`): what a live cluster's
// steps cost here, so a simulation with the calibrated profile predicts a live run.
//
//   fsync        LogDeviceFile: append a 512-byte record, flush (write + fdatasync), repeated
//   loopback     two TransportTcp endpoints in this process: ping-pong round trips; one way = ½
//   catalog      CatalogStoreSqlite on a file: lookups (reads) and load updates (writes)
//   core share   what one of two busy processes gets of a core now (other work shares it)
//   cluster      a two-node live cluster running the pi chain at the smallest compute scale:
//                - idle hop: one chain alone, each task waiting for the previous one — the time
//                  a step's round trip takes (commit flush, message, input flush, dispatch,
//                  the wake-ups of idle processes) when nothing computes; its share the model
//                  does not charge is fitted in calibrate-command.ts
//                - step cost: the node processes' CPU time (utime + stime from /proc, 100 ticks
//                  per second) per committed step, minus the calibrated pi work of that scale —
//                  the runtime's own CPU per step (decode, handler, log append, commit, send)
//                - group-commit fsync: the nodes' histogram of flushes that found their device
//                  idle, i.e. write + fdatasync as the DARQs meet it (concurrent logs on one
//                  disk) without the queueing the simulator adds itself. The idle hop's flushes
//                  are the simulated tier's write latency: with the nodes' event loops free, a
//                  completion is seen when it happens, whereas in the busy phase it also waits
//                  for a loop busy with steps, a wait the simulator adds itself (its nodes are
//                  one event loop). The busy phase's and the isolated fsync are for reference.
// Latencies are kept as medians and 99th percentiles of the samples, in µs.

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { CatalogStoreSqlite } from "../../engine/catalog/catalog-store-sqlite.ts";
import { LogDeviceFile } from "../../engine/io/node/log-device-file.ts";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { workloadDriverOf } from "../../workloads/index.ts";
import { piWorkCoreUs } from "../../workloads/pi/pi-work.ts";
import { TransportTcp } from "../transport/transport-tcp.ts";
import { pidsRead } from "./cluster-dir.ts";
import { processCpuUs } from "./proc-stat.ts";
import { workloadDriversOf } from "./cluster-model.ts";
import { ClusterSampler, meanOfBuckets, quantileOfBuckets } from "./cluster-sampler.ts";
import { clusterDown, clusterUp } from "./launcher.ts";
import { LiveDriver } from "./live-driver.ts";
import { sleepMs } from "./node-process.ts";
import { WorkloadRunner } from "./workload-runner.ts";

/** Median and 99th percentile of samples, µs; `mean` when the source keeps it. */
const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
const piDigitsModule = fileURLToPath(new URL("../../workloads/pi/pi-digits.ts", import.meta.url));

export type LatencyUs = { readonly p50: number; readonly p99: number; readonly samples: number; readonly mean?: number };

function latencyOf(samplesUs: number[]): LatencyUs {
  samplesUs.sort((a, b) => a - b);
  const at = (q: number): number => samplesUs[Math.min(samplesUs.length - 1, Math.ceil(q * samplesUs.length) - 1)]!;
  return { p50: Math.round(at(0.5) * 10) / 10, p99: Math.round(at(0.99) * 10) / 10, samples: samplesUs.length };
}

export async function fsyncMeasure(rounds: number): Promise<LatencyUs> {
  const dir = mkdtempSync(join(tmpdir(), "ssms-calibrate-fsync-"));
  const device = LogDeviceFile.open(join(dir, "log"));
  const record = new Uint8Array(512).fill(7);
  const samples: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      device.append(record);
      const startMs = performance.now();
      await new Promise<void>((resolve, reject) => device.flush((error) => (error === null ? resolve() : reject(error))));
      samples.push((performance.now() - startMs) * 1000);
    }
  } finally {
    device.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return latencyOf(samples.slice(Math.min(10, samples.length >> 2)));
}

export async function loopbackMeasure(rounds: number): Promise<LatencyUs> {
  const secret = "calibration-secret-0123456789abcdef";
  const a = await TransportTcp.start({ processId: "calibrate-a", secret });
  const b = await TransportTcp.start({ processId: "calibrate-b", secret });
  a.book.set("b", b.endpoint);
  b.book.set("a", a.endpoint);
  b.listen("b", (from, message) => b.send("b", from, message, 16));
  let answer: (() => void) | null = null;
  a.listen("a", () => answer?.());
  const samples: number[] = [];
  try {
    for (let round = 0; round < rounds + 100; round++) {
      const startMs = performance.now();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("loopback round trip unanswered for 5 s")), 5_000);
        answer = () => {
          clearTimeout(timer);
          resolve();
        };
        a.send("a", "b", { round }, 16);
      });
      if (round >= 100) samples.push(((performance.now() - startMs) * 1000) / 2);
    }
  } finally {
    await a.close();
    await b.close();
  }
  return latencyOf(samples);
}

export function catalogMeasure(rounds: number): { read: LatencyUs; write: LatencyUs } {
  const dir = mkdtempSync(join(tmpdir(), "ssms-calibrate-catalog-"));
  const opened = CatalogStoreSqlite.open({ path: join(dir, "catalog.sqlite") });
  if (!opened.ok) throw new Error(opened.reason);
  const store = opened.value;
  const reads: number[] = [];
  const writes: number[] = [];
  try {
    store.nodeUpsert({ id: "n1", kind: "darq", pool: "darq:file", zone: "local", cores: 1, memoryMiB: 0, address: "n1", loadFraction: 0, state: "up" }, () => undefined);
    for (let round = 0; round < rounds; round++) {
      let startMs = performance.now();
      store.lookup(`counter/${round}`, () => undefined);
      reads.push((performance.now() - startMs) * 1000);
      startMs = performance.now();
      store.nodeLoadUpdate("n1", (round % 100) / 100, () => undefined);
      writes.push((performance.now() - startMs) * 1000);
    }
  } finally {
    store.close(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  return { read: latencyOf(reads), write: latencyOf(writes) };
}

export type ClusterMeasures = {
  /** Node CPU time per committed step, µs, as the clock of a possibly slowed core counts it. */
  readonly cpuUsPerStep: number;
  readonly coreUsPerStep: number; readonly steps: number; readonly cpuUs: number; readonly computeScale: number; readonly piWorkCoreUs: number;
  /** Flushes of the idle hop's phase (the tier's write latency) and of the busy phase. */
  readonly fsyncUs: LatencyUs; readonly fsyncBusyUs: LatencyUs;
  /** Wall time per step of one chain alone, µs (the idle hop), and the steps it was taken over. */
  readonly idleHopUs: number; readonly idleHopSteps: number;
};

/** The compute scale of the cluster phases: the smallest, so steps cost the runtime alone. */
export const idleHopComputeScale = 0.01;

/** Median, 99th percentile and mean of a flush histogram the sampler parsed. */
function latencyOfBuckets(buckets: ReadonlyMap<string, number>): LatencyUs {
  return {
    p50: Math.round(quantileOfBuckets(buckets, 0.5)), p99: Math.round(quantileOfBuckets(buckets, 0.99)),
    samples: buckets.get("+Inf") ?? 0, mean: Math.round(meanOfBuckets(buckets)),
  };
}

/** Chains of the step-cost phase: enough to keep both nodes busy. */
export const busyChains = 8;

/** Idle hop, step cost and group-commit fsync latency on a two-node cluster (see the file comment). */
export async function clusterMeasure(seconds: number): Promise<ClusterMeasures> {
  const computeScale = idleHopComputeScale;
  const root = mkdtempSync(join(tmpdir(), "ssms-calibrate-steps-"));
  const dir = join(root, "cluster");
  try {
    const handle = await clusterUp(dir, {
      darqNodes: 2, seed: "calibrate", ownedByThisProcess: true, placement: { policy: "groups", colocation: "none" },
      workloads: [{ workload: { kind: "pi-chain", chainCount: busyChains, computeScale } }],
    });
    const driver = await LiveDriver.start(handle);
    try {
      const drivers = workloadDriversOf(handle.spec);
      await driver.activate(drivers.flatMap((workload) => [...workload.automata()]));
      const sampler = new ClusterSampler(handle.spec, handle.secret);
      await sampler.sample(true); // compiles the sampling paths before anything is measured
      // Chain 0 alone first (its automata are the busy phase's chain 0), then every chain.
      const alone = workloadDriverOf({ kind: "pi-chain", chainCount: 1, computeScale }, { random: new RandomNode("calibrate-hop"), mode: "live" });
      if (!alone.ok) throw new Error(alone.reason);
      new WorkloadRunner(driver, [alone.value], "calibrate-hop").start(1_000_000);
      await sleepMs(500);
      await sampler.sample(true);
      const hopStartMs = performance.now();
      await sleepMs(Math.max(1, seconds / 2) * 1000);
      await sampler.sample();
      const idleHopSteps = sampler.steps("pi");
      const idleHopUs = Math.round(((performance.now() - hopStartMs) * 1000) / Math.max(1, idleHopSteps));
      const fsyncUs = latencyOfBuckets(sampler.fsyncBuckets());
      const runner = new WorkloadRunner(driver, drivers, "calibrate");
      const pids = Object.values(pidsRead(dir));
      runner.start(1_000_000);
      await sleepMs(1_500);
      await sampler.sample(true);
      const cpuBefore = pids.map((pid) => processCpuUs(pid) ?? Number.NaN);
      await sleepMs(seconds * 1000);
      const cpuAfter = pids.map((pid) => processCpuUs(pid) ?? Number.NaN);
      await sampler.sample();
      const steps = sampler.steps("pi");
      const cpuUs = cpuAfter.reduce((sum, value, index) => sum + value - cpuBefore[index]!, 0);
      const work = piWorkCoreUs(computeScale);
      if (!(steps > 0 && Number.isFinite(cpuUs))) throw new Error(`step cost: ${steps} steps and ${cpuUs} µs of CPU measured (is /proc mounted?)`);
      return {
        cpuUsPerStep: cpuUs / steps, coreUsPerStep: Math.round((cpuUs / steps - work) * 10) / 10, steps, cpuUs: Math.round(cpuUs), computeScale,
        piWorkCoreUs: work, fsyncUs, fsyncBusyUs: latencyOfBuckets(sampler.fsyncBuckets()), idleHopUs, idleHopSteps,
      };
    } finally {
      await driver.close();
    }
  } finally {
    await clusterDown(dir);
    rmSync(root, { recursive: true, force: true });
  }
}

/** What `processes` busy processes get of this machine's cores now (coreShareMeasure). */
export type CoreShare = {
  /** Median over processes and rounds of the pi rate relative to one quiet core (wall clock). */
  readonly share: number;
  /** Median of the pi work done per CPU-µs relative to one quiet core: below 1 when a sibling
   *  hyperthread or a cache shared with other work slows a core down while it is running. */
  readonly cpuSpeed: number;
  /** Each process's median share. */
  readonly perProcess: readonly number[];
};

function median(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The share of a core each of `processes` busy processes gets on this machine now: each computes
 * pi at compute scale 100 for `rounds` windows of `seconds` / `rounds` and each window's rate is
 * compared with the calibrated single-core time (workloads/pi/calibration.json). The median of
 * the windows, not their mean: a shared machine's load comes in bursts, and one burst should not
 * move the figure. Each window also reports the process's CPU time, which splits the share into
 * the time the scheduler gave (the CPU time per second) and the speed of that time (cpuSpeed).
 */
export async function coreShareMeasure(processes: number, seconds: number, rounds = 5): Promise<CoreShare> {
  const windowMs = (seconds * 1000) / rounds;
  const script = `import { piDigits } from ${JSON.stringify(piDigitsModule)};
const windows = []; piDigits(1000);
for (let round = 0; round < ${rounds}; round++) {
  const cpu = process.cpuUsage(); const startMs = performance.now(); let count = 0;
  while (performance.now() - startMs < ${windowMs}) { piDigits(1000); count++; }
  const used = process.cpuUsage(cpu); windows.push([count, performance.now() - startMs, used.user + used.system]);
}
process.stdout.write(JSON.stringify(windows));`;
  const perProcessWindows = await Promise.all(Array.from({ length: processes }, () => new Promise<number[][]>((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: projectRoot, timeout: (seconds + 30) * 1000 }, (error, stdout) => {
      if (error !== null) reject(error);
      else resolve(JSON.parse(stdout) as number[][]);
    });
  })));
  const workUs = piWorkCoreUs(100);
  const shareOf = ([count, wallMs]: number[]): number => (count! * workUs) / (wallMs! * 1000);
  const speedOf = ([count, , cpuUs]: number[]): number => (count! * workUs) / Math.max(1, cpuUs!);
  const round2 = (value: number): number => Math.round(value * 100) / 100;
  const windows = perProcessWindows.flat();
  return {
    share: round2(Math.min(1, median(windows.map(shareOf)))),
    cpuSpeed: round2(Math.min(1, median(windows.map(speedOf)))),
    perProcess: perProcessWindows.map((list) => round2(median(list.map(shareOf)))),
  };
}
