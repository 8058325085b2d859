// The pi chain: each task declares its calibrated work and enqueues the next task on the next
// automaton of its ring (another logical DARQ), the last task of a job reports to the sink, live
// mode really computes pi, and the driver starts chains, counts every task exactly once and
// groups each chain's ring for co-location.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import { buildStep } from "../../engine/runtime/step-builder.ts";
import type { WorkloadDriver } from "../driver.ts";
import { piDigits } from "../pi/pi-digits.ts";
import { piDecimalsOfScale, piWorkCoreUs } from "../pi/pi-work.ts";
import type { SinkState } from "../sink.ts";
import { driveSources, TestHarness } from "../test-harness.ts";
import { piChainDriver, type PiChainConfig } from "./pi-chain-driver.ts";
import { piChainDefinition, piFirstTask, type PiChainOptions, type PiTask } from "./pi-chain.ts";

const base: PiChainOptions = { chainCount: 4, ringSize: 2, chainHops: 3, workCoreUs: 75, decimals: 100, computeForReal: false, payloadBytes: 0 };
const inputs = (nowUs: number) => ({ lsn: 1, nowUs, replyTo: undefined });

test("a task declares its work and enqueues the next hop on the next slot of its ring", (t) => {
  const pi = piChainDefinition(base);
  const step = buildStep(pi, pi.ref("2.0"), null, piFirstTask(6, 2, 100), inputs(500));
  t.deepEqual(step, {
    ok: true,
    value: {
      events: [],
      workUs: 75,
      sends: [{
        to: "pi/2.1",
        message: { type: "task", job: 6, chain: 2, slot: 1, hop: 1, startUs: 500, previousStartUs: 100, digitsTail: "" },
        replyTo: undefined,
      }],
    },
  });
});

test("the ring wraps around, and a ring of one re-enqueues on the same automaton", (t) => {
  const pi = piChainDefinition({ ...base, chainHops: 10 });
  const atSlot1: PiTask = { ...piFirstTask(0, 1, 0), slot: 1, hop: 1 };
  const wrapped = buildStep(pi, pi.ref("1.1"), null, atSlot1, inputs(9));
  t.is(wrapped.ok && wrapped.value.sends[0]?.to, "pi/1.0");
  const single = piChainDefinition({ ...base, ringSize: 1, chainHops: 10 });
  const same = buildStep(single, single.ref("1.0"), null, piFirstTask(0, 1, 0), inputs(9));
  t.is(same.ok && same.value.sends[0]?.to, "pi/1.0");
});

test("the last task of a job reports a completed task to the sink instead of enqueuing another", (t) => {
  const pi = piChainDefinition(base);
  const last: PiTask = { ...piFirstTask(0, 0, 0), hop: 2, startUs: 40 };
  const step = buildStep(pi, pi.ref("0.0"), null, last, inputs(90));
  t.deepEqual(step.ok && step.value.sends, [
    { to: "sink/pi-chain", message: { type: "completed", outcome: "task", startUs: 40, items: 1 }, replyTo: undefined },
  ]);
});

test("computing for real passes on the last digits of pi to the configured precision", (t) => {
  const pi = piChainDefinition({ ...base, computeForReal: true, decimals: 300, payloadBytes: 64 });
  const step = buildStep(pi, pi.ref("0.0"), null, piFirstTask(0, 0, 0), inputs(1));
  const next = step.ok ? (step.value.sends[0]?.message as PiTask) : undefined;
  t.is(next?.digitsTail, piDigits(300).slice(-8));
  t.is(next?.payload?.length, 64, "live messages carry real payload bytes");
});

/** Every completion the driver sees in the harness's outputs, by outcome. */
function completions(driver: WorkloadDriver, harness: TestHarness): { count: number; latencyUs: number[] } {
  const latencyUs: number[] = [];
  for (const sent of harness.sent) {
    const done = driver.completionOf(sent.to, sent.message);
    if (done !== undefined) latencyUs.push(sent.sentUs - done.startUs);
  }
  return { count: latencyUs.length, latencyUs };
}

const config: PiChainConfig = { kind: "pi-chain", chainCount: 3, computeScale: 10, chainHops: 10 };

test("without arrivals every chain starts at time 0 and each of its tasks counts once as completed", (t) => {
  const driver = piChainDriver(config, { random: new RandomNode("pi"), mode: "sim" });
  const harness = new TestHarness({ definitions: driver.definitions, random: new RandomNode("order"), stepUs: 10 });
  t.deepEqual(driveSources(driver, harness, 1), [3], "one job per chain, all at time 0");
  const done = completions(driver, harness);
  t.is(done.count, 30, "3 chains × 10 hops");
  t.true(done.latencyUs.every((latencyUs) => latencyUs > 0));
  t.deepEqual([...driver.automata()], ["pi/0.0", "pi/0.1", "pi/1.0", "pi/1.1", "pi/2.0", "pi/2.1"]);
  const hops = harness.sent.filter((sent) => sent.to.startsWith("pi/")).map((sent) => [sent.from, sent.to]);
  t.true(hops.every(([from, to]) => from !== to), "every hop goes to another automaton");
  const tally = harness.stateOf<SinkState>("sink/pi-chain").outcomes["task"];
  t.is(tally?.completions, 3, "one end-of-job completion per chain reaches the sink");
});

test("the driver declares calibrated work, per-chain co-location groups and modelled message bytes", (t) => {
  const driver = piChainDriver({ ...config, messageBytes: 1000 }, { random: new RandomNode("pi"), mode: "sim" });
  const [pi] = driver.definitions;
  const step = pi === undefined ? undefined : buildStep(pi, "pi/0.0", null as never, piFirstTask(0, 0, 0), inputs(1));
  t.is(step?.ok && step.value.workUs, piWorkCoreUs(10));
  t.is(piDecimalsOfScale(10), 316);
  t.like(driver.placementHint("pi/7.1" as AutomatonId), { group: "chain-7", role: "task" });
  t.is(driver.placementHint("pi/7.0" as AutomatonId).group, driver.placementHint("pi/7.1" as AutomatonId).group);
  t.is(driver.messageCost("pi/7.0" as AutomatonId, {}).payloadBytes, 1000);
  const live = piChainDriver({ ...config, messageBytes: 1000 }, { random: new RandomNode("pi"), mode: "live" });
  t.is(live.messageCost("pi/7.0" as AutomatonId, {}).payloadBytes, 0, "live messages carry their bytes for real");
});

test("with an arrival process jobs arrive at the job rate and round-robin over the chains", (t) => {
  const driver = piChainDriver({ ...config, arrival: { kind: "constant" } }, { random: new RandomNode("pi"), mode: "sim" }, { jobsPerS: 100 });
  const [source] = driver.sources;
  if (source === undefined) return t.fail("one source");
  t.is(source.arrivalsMax, Number.POSITIVE_INFINITY);
  const first = source.process.nextArrivalUs(0);
  t.is(first, 10_000, "100 jobs per second");
  t.deepEqual([1, 2, 3, 4].map((seq) => source.inject(seq, first).to), ["pi/0.0", "pi/1.0", "pi/2.0", "pi/0.0"]);
  const endless = piChainDriver({ kind: "pi-chain", chainCount: 5, computeScale: 1, arrival: { kind: "poisson" } }, { random: new RandomNode("pi"), mode: "sim" });
  t.is(endless.sources[0]?.arrivalsMax, 5, "endless chains are started once each");
});
