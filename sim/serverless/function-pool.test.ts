// Tests of the serverless model: the first invocation cold-starts and the next reuses the warm
// instance, instances expire lazily after the plan's idle expiry, cold starts follow the plan's
// distribution, the concurrency limit queues or rejects as configured, timeouts cut and discard,
// and a hand-computed usage costs exactly what each provider's rounding says.

import test, { type ExecutionContext } from "ava";
import { quantileSorted } from "simple-statistics";
import { UsageLedger } from "../ledger.ts";
import { priceLedger } from "../pricing/price-ledger.ts";
import { latencyQuantileUs } from "../profiles/latency.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import type { ServerlessPlanProfile } from "../profiles/schema.ts";
import { Simulator } from "../simulator.ts";
import { FunctionPool, functionPoolFromProfile, type FunctionPoolOptions } from "./function-pool.ts";

const azure = loadCloudProfile("azure-2024");
const aws = loadCloudProfile("aws-2024");
const second = 1_000_000;

/** A plan with a constant cold start, so latencies are exact. */
function plan(overrides: Partial<ServerlessPlanProfile> = {}): ServerlessPlanProfile {
  return { ...aws.serverless.plans["lambda"]!, coldStart: { kind: "constant", valueUs: 200_000 }, memoryMbPerVcpu: undefined, ...overrides } as ServerlessPlanProfile;
}

function setup(options: Partial<FunctionPoolOptions> = {}) {
  const sim = new Simulator({ seed: "serverless" });
  const ledger = new UsageLedger({ clock: sim.clock });
  const pool = new FunctionPool({ clock: sim.clock, random: sim.random.fork("serverless"), plan: plan(), functionId: "fn", memoryMb: 1024, ledger, ...options });
  const done: [string, number, boolean][] = [];
  const call = (name: string, workCoreUs: number) => pool.invoke(workCoreUs, (completed) => done.push([name, sim.nowUs(), completed]));
  return { sim, ledger, pool, done, call };
}

test("cold start first, then the warm instance is reused; after the idle expiry it is cold again", (t) => {
  const { sim, pool, done, call } = setup();
  call("a", 10_000); // cold: 200 ms + 10 ms
  sim.run();
  call("b", 10_000); // warm
  sim.run();
  t.is(pool.warmInstances(), 1);
  sim.runFor(600 * second - 1); // Lambda: idle for 600 s expires the instance
  t.is(pool.warmInstances(), 1, "still warm 1 µs before expiry");
  sim.runFor(1);
  t.is(pool.warmInstances(), 0);
  call("c", 10_000);
  sim.run();
  t.deepEqual(done.map(([name, atUs]) => [name, atUs]), [["a", 210_000], ["b", 220_000], ["c", 220_000 + 600 * second + 210_000]]);
  t.is(pool.stats.coldStarts, 2);
});

test("concurrent invocations each need an instance: two at once are two cold starts", (t) => {
  const { sim, pool, call } = setup();
  call("a", 1000);
  call("b", 1000);
  sim.run();
  t.is(pool.stats.coldStarts, 2);
  t.is(pool.warmInstances(), 2);
});

test("over the concurrency limit: 'queue' waits FIFO for a slot (and reuses its warm instance), 'reject' refuses", (t) => {
  const queued = setup({ concurrencyMax: 1 });
  queued.call("a", 10_000);
  t.true(queued.call("b", 10_000));
  t.is(queued.pool.queued(), 1);
  queued.sim.run();
  t.deepEqual(queued.done.map(([name, atUs]) => [name, atUs]), [["a", 210_000], ["b", 220_000]]);
  const rejecting = setup({ concurrencyMax: 1, throttle: "reject" });
  t.true(rejecting.call("a", 10_000));
  t.false(rejecting.call("b", 10_000));
  t.is(rejecting.pool.stats.rejected, 1);
  const bounded = setup({ concurrencyMax: 1, queueLengthMax: 1 });
  bounded.call("a", 1);
  t.true(bounded.call("b", 1));
  t.false(bounded.call("c", 1), "the queue is full");
});

test("an invocation over the timeout is cut there, reported not completed, and its instance discarded", (t) => {
  const { sim, pool, done, call } = setup({ plan: plan({ executionTimeoutUsMax: 1 * second }) });
  call("slow", 5 * second);
  sim.run();
  t.deepEqual(done, [["slow", 200_000 + second, false]]);
  t.is(pool.stats.timeouts, 1);
  t.is(pool.warmInstances(), 0);
});

test("cold-start latency follows the plan's distribution (Lambda: median and p99 within tolerance)", (t) => {
  const sim = new Simulator({ seed: "cold" });
  const pool = functionPoolFromProfile(aws, { clock: sim.clock, random: sim.random.fork("serverless"), functionId: "fn", memoryMb: 1769, concurrencyMax: 10_000 });
  const latencies: number[] = [];
  for (let i = 0; i < 8000; i++) pool.invoke(0, () => latencies.push(sim.nowUs()));
  sim.run();
  latencies.sort((a, b) => a - b);
  const coldStart = aws.serverless.plans["lambda"]!.coldStart;
  const near = (actual: number, expected: number, tolerance: number) =>
    t.true(Math.abs(actual - expected) <= tolerance * expected, `got ${actual}, expected ${expected}`);
  near(quantileSorted(latencies, 0.5), latencyQuantileUs(coldStart, 0.5), 0.04);
  near(quantileSorted(latencies, 0.99), latencyQuantileUs(coldStart, 0.99), 0.12);
});

test("Lambda ties CPU to memory: 884.5 MB runs at half a vCPU", (t) => {
  const sim = new Simulator({ seed: "vcpu" });
  const pool = functionPoolFromProfile(aws, { clock: sim.clock, random: sim.random, functionId: "fn", memoryMb: 884.5 });
  t.is(pool.speed, 0.5);
});

function near(t: ExecutionContext, actual: number, expected: number, what: string): void {
  t.true(Math.abs(actual - expected) <= 1e-12 * Math.max(1, expected), `${what}: got ${actual}, expected ${expected}`);
}

test("billing, hand-computed: Azure bills 3 × 30 ms at 256 MB as 3 × 100 ms; Lambda rounds 10.2 ms up to 11 ms", (t) => {
  for (const [profile, memoryMb, workUs, expectedGbSeconds, gbSecondUsd] of [
    [azure, 256, 30_000, 3 * 0.1 * 0.25, 0.000016],
    [aws, 1769, 10_200, 3 * 0.011 * (1769 / 1024), 0.0000166667],
  ] as const) {
    const sim = new Simulator({ seed: "billing" });
    const ledger = new UsageLedger({ clock: sim.clock });
    const pool = functionPoolFromProfile(profile, { clock: sim.clock, random: sim.random, functionId: "fn", memoryMb, ledger });
    for (let i = 0; i < 3; i++) {
      pool.invoke(workUs * pool.speed, () => {});
      sim.run();
    }
    sim.runFor(second);
    const report = priceLedger(ledger.toData(), profile);
    const gbSeconds = report.lines.find((line) => line.item === "GB-seconds")!;
    const invocations = report.lines.find((line) => line.item === "invocations")!;
    near(t, gbSeconds.quantity, expectedGbSeconds, `${profile.name} GB-s`);
    near(t, gbSeconds.runUsd, expectedGbSeconds * gbSecondUsd, `${profile.name} GB-s cost`);
    near(t, invocations.runUsd, (3 / 1e6) * 0.2, `${profile.name} invocation cost`);
    t.is(ledger.toData().functions[0]!.coldStarts, 1);
  }
});
