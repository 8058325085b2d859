// Benchmark: committed steps per second of one physical DARQ on a log device, many logical DARQs.
// Each logical DARQ's processor, on each input, submits one step that consumes the input and its
// previous SELF message (a snapshot, so memory stays flat), writes one new SELF message and sends
// one OUT message to the next logical DARQ on the same physical DARQ, so the ring never runs dry.
// `npm run bench -- darq-memory [--logicals 1000] [--steps 2000000] [--batch 256] [--body 32]
//   [--commit-us 1000] [--inflight 1] [--compact-bytes 16777216] [--rate 0]`
// The batch is smaller than the number of logical DARQs, so each published batch yields enough
// new steps to fill the next one at once: the ring never waits for the commit timer.
// This file also exports the ring driver that darq-file and darq-vs-sqlite reuse.

import { performance } from "node:perf_hooks";
import type { LogDevice } from "../engine/io/log-device.ts";
import { LogDeviceMemory } from "../engine/io/log-device-memory.ts";
import { ClockNode } from "../engine/io/node/clock-node.ts";
import type { Transport } from "../engine/io/transport.ts";
import type { Entry, Step } from "../engine/darq/entry.ts";
import { PhysicalDarq } from "../engine/darq/physical-darq.ts";
import type { BenchResult } from "./run.ts";

export type RingOptions = {
  logicals: number;
  steps: number;
  batchRecordsMax: number;
  bodyBytes: number;
  commitPeriodUs: number;
  /** Most steps submitted per second (0: as fast as possible); for latency at a given load. */
  stepsPerSecondMax: number;
  /** Messages circulating per logical DARQ (more keeps a slow device's pipeline full). */
  inflight: number;
  /** Stored log size that allows a checkpoint (DarqConfig.compactBytesMin). */
  compactBytesMin: number;
};

export type RingResult = {
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  /** Steps per second of this process's CPU time (user + system): robust on a shared machine. */
  stepsPerCpuSecond: number;
  /** Submit-to-durable latencies in µs: every step when rate-limited, else every 64th. */
  commitLatencyUs: Float64Array;
  logBytes: number;
  checkpoints: number;
};

export function ringOptions(args: string[], defaults: Partial<RingOptions> = {}): RingOptions {
  const options: RingOptions = {
    logicals: 1000, steps: 2_000_000, batchRecordsMax: 256, bodyBytes: 32, commitPeriodUs: 1000,
    stepsPerSecondMax: 0, inflight: 1, compactBytesMin: 64 * 1024 * 1024, ...defaults,
  };
  const names: Record<string, keyof RingOptions> = {
    "--logicals": "logicals", "--steps": "steps", "--batch": "batchRecordsMax", "--body": "bodyBytes",
    "--commit-us": "commitPeriodUs", "--rate": "stepsPerSecondMax", "--inflight": "inflight",
    "--compact-bytes": "compactBytesMin",
  };
  for (let index = 0; index < args.length; index += 2) {
    const key = names[args[index]!];
    const value = Number(args[index + 1]);
    if (key === undefined || !Number.isFinite(value)) throw new Error(`unknown or invalid argument ${args[index]} ${args[index + 1]}`);
    options[key] = value;
  }
  return options;
}

const transportNone: Transport = { send() {}, listen() {}, unlisten() {} };

/** Runs the ring on `device` until `steps` steps are durable. */
export function ringRun(device: LogDevice, options: RingOptions): Promise<RingResult> {
  const clock = new ClockNode();
  const darq = PhysicalDarq.open({
    device, clock, transport: transportNone, router: { resolve: () => undefined, invalidate: () => {} },
    address: "bench", config: { batchRecordsMax: options.batchRecordsMax, commitPeriodUs: options.commitPeriodUs,
      batchBytesMax: 64 * 1024 * 1024, compactBytesMin: options.compactBytesMin },
  });
  const names = Array.from({ length: options.logicals }, (_, index) => `ring/${index}`);
  for (const name of names) darq.host(name);
  const selfBody = new Uint8Array(options.bodyBytes).fill(1);
  const outBody = new Uint8Array(options.bodyBytes).fill(2);
  const latencyUs = new Float64Array(options.steps);
  let submitted = 0;
  let durable = 0;
  let started = 0;
  let cpuStarted = process.cpuUsage();
  return new Promise((resolve) => {
    const finish = (): void => {
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuStarted);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      darq.stop();
      clock.close();
      const sampled = options.stepsPerSecondMax > 0 ? latencyUs : latencyUs.filter((_, index) => index % 64 === 0);
      resolve({ steps: durable, seconds, stepsPerSecond: durable / seconds, stepsPerCpuSecond: durable / cpuSeconds,
        commitLatencyUs: sampled,
        logBytes: device.end() - device.begin(), checkpoints: darq.stats.checkpoints });
    };
    const done = (failure: unknown, step: Step): void => {
      if (failure !== null) throw new Error(`step failed: ${String(failure)}`);
      const index = (step as Step & { index: number }).index;
      if (index >= 0) latencyUs[index] = performance.now() * 1000 - latencyUs[index]!;
      if (++durable === options.steps) finish();
    };
    let registered = 0;
    const processors = names.map((name, index) => {
      const next = names[(index + 1) % names.length]!;
      let self = 0;
      let incarnation = 0;
      const handle = (entry: Entry): void => {
        if (submitted >= options.steps) return;
        const at = submitted++;
        const rateLimited = options.stepsPerSecondMax > 0;
        const step = { logicalDarq: name, incarnation, consumed: self === 0 ? [entry.lsn] : [entry.lsn, self],
          self: [selfBody], out: [{ to: next, body: outBody }], index: rateLimited || at % 64 === 0 ? at : -1 };
        if (step.index >= 0) latencyUs[at] = performance.now() * 1000;
        const result = darq.submitStep(step, done);
        if (!result.ok) throw new Error(result.reason);
        self = result.value;
      };
      return { name, handle, setIncarnation: (value: number) => { incarnation = value; } };
    });
    for (const processor of processors) {
      const onInput = options.stepsPerSecondMax > 0 ? (entry: Entry) => pace(() => processor.handle(entry)) : processor.handle;
      const result = darq.register(processor.name, onInput, () => {
        if (++registered < names.length) return;
        started = performance.now();
        cpuStarted = process.cpuUsage();
        let seq = 1;
        for (let round = 0; round < options.inflight; round++) {
          for (let index = 0; index < names.length; index++) darq.enqueue(names[index]!, "bench", seq++, outBody, () => {});
        }
      });
      if (!result.ok) throw new Error(result.reason);
      processor.setIncarnation(result.value);
    }
    // Rate limiting (for latency at partial load): hold inputs until their time slot.
    const waiting: (() => void)[] = [];
    let slotUs = 0;
    const pace = (work: () => void): void => {
      waiting.push(work);
      if (waiting.length === 1) clock.timerStart(0, drain);
    };
    const drain = (): void => {
      const nowUs = performance.now() * 1000;
      if (slotUs < nowUs - 100_000) slotUs = nowUs;
      const intervalUs = 1e6 / options.stepsPerSecondMax;
      while (waiting.length > 0 && slotUs <= nowUs) {
        waiting.shift()!();
        slotUs += intervalUs;
      }
      if (waiting.length > 0) clock.timerStart(Math.max(0, Math.ceil(slotUs - nowUs)), drain);
    };
  });
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: Float64Array, p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function run(args: string[]): Promise<BenchResult> {
  // A memory log compacts earlier than the 64 MiB default: a smaller buffer stays in cache.
  const options = ringOptions(args, { compactBytesMin: 16 * 1024 * 1024 });
  const result = await ringRun(new LogDeviceMemory(), options);
  process.stderr.write(`darq-memory: ${result.steps} steps in ${result.seconds.toFixed(2)} s over ` +
    `${options.logicals} logical DARQs, ${result.checkpoints} checkpoints\n`);
  return {
    bench: "darq-memory", value: Math.round(result.stepsPerSecond), unit: "steps/s",
    stepsPerCpuSecond: Math.round(result.stepsPerCpuSecond), logicals: options.logicals,
    steps: result.steps, batchRecordsMax: options.batchRecordsMax, bodyBytes: options.bodyBytes,
    compactBytesMin: options.compactBytesMin, checkpoints: result.checkpoints, floor: 400_000, aim: 1_000_000,
  };
}
