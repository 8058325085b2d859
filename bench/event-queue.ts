// Event-queue throughput: the hold model (pop the next event; its callback schedules one more at
// now + a random delay), so the queue stays at a fixed number of pending events. Reports
// events/s at 1k pending (`value`), and as context at 100k pending and through the whole
// Simulator loop (limits + fingerprint) at 1k pending. Args: [eventsPerRun] (default 5,000,000).

import { performance } from "node:perf_hooks";
import { EventQueue } from "../sim/event-queue.ts";
import { RandomSim } from "../sim/random-sim.ts";
import { Simulator } from "../sim/simulator.ts";
import type { BenchResult } from "./run.ts";

const delayCount = 1 << 16;

/** Delays drawn once up front so the loop measures the queue, not the random generator. */
function delayTable(seed: string): Int32Array {
  const random = new RandomSim(seed);
  const delays = new Int32Array(delayCount);
  for (let index = 0; index < delayCount; index++) delays[index] = 1 + random.int(2000);
  return delays;
}

function holdQueue(pending: number, events: number, delays: Int32Array): number {
  const queue = new EventQueue({ countMax: pending + 1 });
  let draw = 0;
  const tick = (): void => {
    queue.schedule(queue.nowUs + delays[draw++ & (delayCount - 1)]!, tick);
  };
  for (let index = 0; index < pending; index++) queue.schedule(delays[draw++ & (delayCount - 1)]!, tick);
  const startMs = performance.now();
  for (let index = 0; index < events; index++) queue.popNext();
  const elapsedMs = performance.now() - startMs;
  if (queue.size !== pending) throw new Error(`hold model lost events: ${queue.size} pending`);
  return events / (elapsedMs / 1000);
}

function holdSimulator(pending: number, events: number, delays: Int32Array): number {
  const simulator = new Simulator({ seed: "bench", eventsMax: events });
  const clock = simulator.clock;
  let draw = 0;
  const tick = (): void => {
    if (simulator.eventsProcessed + pending < events) clock.timerStart(delays[draw++ & (delayCount - 1)]!, tick);
  };
  for (let index = 0; index < pending; index++) clock.timerStart(delays[draw++ & (delayCount - 1)]!, tick);
  const startMs = performance.now();
  const processed = simulator.run();
  const elapsedMs = performance.now() - startMs;
  return processed / (elapsedMs / 1000);
}

function best(runs: number, measure: () => number): number {
  let top = 0;
  for (let index = 0; index < runs; index++) top = Math.max(top, measure());
  return top;
}

export async function run(args: string[]): Promise<BenchResult> {
  const events = args[0] === undefined ? 5_000_000 : Number(args[0]);
  if (!(Number.isInteger(events) && events > 0)) throw new Error(`eventsPerRun must be a positive integer, got ${args[0]}`);
  const delays = delayTable("event-queue-bench");
  holdQueue(1000, Math.min(events, 1_000_000), delays); // warm-up: let the JIT settle
  const perSecond1k = best(3, () => holdQueue(1000, events, delays));
  const perSecond100k = best(3, () => holdQueue(100_000, events, delays));
  const perSecondSimulator1k = best(3, () => holdSimulator(1000, events, delays));
  const round = (value: number): number => Math.round(value);
  process.stdout.write(`event queue hold model, ${events} events per run, best of 3\n` +
    `  1k pending:   ${(perSecond1k / 1e6).toFixed(2)} M events/s\n` +
    `  100k pending: ${(perSecond100k / 1e6).toFixed(2)} M events/s\n` +
    `  Simulator.run, 1k pending: ${(perSecondSimulator1k / 1e6).toFixed(2)} M events/s\n`);
  return {
    bench: "event-queue",
    value: round(perSecond1k),
    unit: "events/s",
    pending: 1000,
    eventsPerRun: events,
    eventsPerSecondAt100kPending: round(perSecond100k),
    eventsPerSecondSimulatorAt1kPending: round(perSecondSimulator1k),
    node: process.version,
  };
}
