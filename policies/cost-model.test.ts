// Tests of the cost model: its numbers against hand arithmetic on the round-number test prices
// (observation.fixtures.ts), and its directions: co-location cuts latency and raises closed-loop
// throughput, group commit keeps blob cheap, serverless is billed per step, overload is a finite
// penalty that grows with the overload, and the calibration factors scale what they name.

import test from "ava";
import { calibrationIdentity } from "./calibration.ts";
import { CostModel, costModelFromObservation } from "./cost-model.ts";
import { busyAutomaton, darqNode, edge, observationOf, serverlessNode, spareNode, testPrices, vmNode } from "./observation.fixtures.ts";

const close = (actual: number, expected: number, relative = 1e-9) => Math.abs(actual - expected) <= relative * Math.max(1, Math.abs(expected));

function oneAutomaton() {
  return observationOf({
    nodes: [vmNode("vm-1"), darqNode("darq-1")],
    automata: [busyAutomaton("pi/0", "vm-1", "darq-1", 100, { computeCoreUsPerStep: 1000 })],
  });
}

test("cost: a vm4 (0.2 USD/h) and a 3-replica memory DARQ on a vm4 cost 730 h × (0.2 + 3 × 0.2) = 584 USD/month", (t) => {
  const model = costModelFromObservation(oneAutomaton());
  const prediction = model.predict(model.assignmentNow());
  t.true(close(prediction.cost.computeUsdPerMonth, 146));
  t.true(close(prediction.cost.storageCapacityUsdPerMonth, 438));
  t.is(prediction.cost.storageOperationsUsdPerMonth, 0);
  t.is(prediction.cost.serverlessUsdPerMonth, 0);
  t.true(close(prediction.costUsdPerMonth, 584));
});

test("throughput: 100 steps/s of 1000 core-µs keep 0.1 of 4 cores busy: headroom 40, the compute node is the bottleneck", (t) => {
  const model = costModelFromObservation(oneAutomaton());
  const prediction = model.predict(model.assignmentNow());
  t.true(close(prediction.headroom, 40));
  t.is(prediction.bottleneck, "compute vm-1");
  t.true(close(prediction.throughputStepsPerS, 100));
  t.true(close(prediction.offeredStepsPerS, 100));
});

test("latency: components add up as worked out by hand (group commit wait, flush, links, service)", (t) => {
  const model = costModelFromObservation(oneAutomaton());
  const prediction = model.predict(model.assignmentNow());
  // Records R = 100 in + 100 out + 2·100 = 400/s, T = 1 ms: batch wait mean T(1 + RT/2)/(1 + RT) = 857.142857 µs.
  const waitUs = (1000 * 1.2) / 1.4;
  const commitP50 = waitUs + 100;
  const commitP99 = 1000 + 200;
  // In: client hop (50/150) + IN commit; DARQ↔compute two same-zone hops (100/300); service 1000 µs;
  // M/M/4 at 0.1 busy cores waits with chance ≈ 4e-6: no wait at p50 or p99.
  const p50 = 50 + commitP50 + 100 + 1000 + commitP50;
  const tail = Math.hypot(150 + commitP99 - (50 + commitP50), 200, commitP99 - commitP50);
  t.true(close(model.automatonLatencyUsP50[0]!, p50, 1e-12), `p50 ${model.automatonLatencyUsP50[0]} vs ${p50}`);
  t.true(close(model.automatonLatencyUsP99[0]!, p50 + tail, 1e-12));
  t.true(close(prediction.latencyUsP50, p50, 1e-6), "one automaton: the mixture's median is its median");
  t.true(close(prediction.latencyUsP99, p50 + tail, 1e-4));
});

test("co-location: the same two-automaton chain is faster on one DARQ with compute on its spare cores", (t) => {
  const automata = (onOne: boolean) => [
    busyAutomaton("chain/a", onOne ? "spare-1" : "vm-1", "darq-1", 500),
    busyAutomaton("chain/b", onOne ? "spare-1" : "vm-2", onOne ? "darq-1" : "darq-2", 500),
  ];
  const nodes = [vmNode("vm-1"), vmNode("vm-2"), darqNode("darq-1"), darqNode("darq-2"), spareNode("spare-1", "darq-1")];
  const talk = [edge("chain/a", "chain/b", 500), edge("chain/b", "chain/a", 500)];
  const options = { closedLoopMessages: 1 };
  const apart = costModelFromObservation(observationOf({ nodes, automata: automata(false), talk }), options);
  const together = costModelFromObservation(observationOf({ nodes, automata: automata(true), talk }), options);
  const apartPrediction = apart.predict(apart.assignmentNow());
  const togetherPrediction = together.predict(together.assignmentNow());
  t.true(togetherPrediction.latencyUsP50 < apartPrediction.latencyUsP50 - 900, "saves a hop, an IN commit and two DARQ↔compute hops");
  t.true(togetherPrediction.throughputStepsPerS > apartPrediction.throughputStepsPerS * 1.3, "closed loop: Little's law");
  t.is(togetherPrediction.bottleneck, "closed loop");
});

test("blob: one write request per group-commit flush; batching caps the request rate at one per commit period", (t) => {
  const observation = (stepsPerS: number) => observationOf({
    nodes: [vmNode("vm-1", { cores: 8, size: "vm8" }), darqNode("blob-1", { storageTier: "blob", size: null })],
    automata: [busyAutomaton("log/0", "vm-1", "blob-1", stepsPerS, { computeCoreUsPerStep: 10 })],
  });
  const secondsPerMonth = 730 * 3600;
  for (const stepsPerS of [10, 10_000]) {
    const model = costModelFromObservation(observation(stepsPerS));
    const prediction = model.predict(model.assignmentNow());
    const records = 4 * stepsPerS;
    const flushes = Math.max(records / (1 + records * 0.001), records / 1024);
    t.true(close(prediction.cost.storageOperationsUsdPerMonth, flushes * 5.5e-6 * secondsPerMonth, 1e-9), `${stepsPerS} steps/s`);
    t.true(flushes <= 1000);
  }
});

test("serverless: 10 steps/s of 50 ms at 1 GB bill 10 × (2e-7 + 0.05 × 1.6667e-5) USD per second", (t) => {
  const model = costModelFromObservation(observationOf({
    nodes: [serverlessNode("fn"), darqNode("darq-1")],
    automata: [busyAutomaton("job/0", "fn", "darq-1", 10, { computeCoreUsPerStep: 50_000 })],
  }));
  const prediction = model.predict(model.assignmentNow());
  t.true(close(prediction.cost.serverlessUsdPerMonth, 10 * (2e-7 + 0.05 * 1.6667e-5) * 730 * 3600, 1e-12));
  t.is(prediction.cost.computeUsdPerMonth, 0, "no VM");
});

test("cross-zone bytes are billed at the link price; same-zone ones are free", (t) => {
  const nodes = [vmNode("vm-1"), darqNode("darq-1"), darqNode("darq-2", { zone: "z2" }), vmNode("vm-2", { zone: "z2" })];
  const automata = [busyAutomaton("a/0", "vm-1", "darq-1", 100), busyAutomaton("b/0", "vm-2", "darq-2", 100)];
  const model = costModelFromObservation(observationOf({ nodes, automata, talk: [edge("a/0", "b/0", 100, 1e6)] }));
  const prediction = model.predict(model.assignmentNow());
  t.true(close(prediction.cost.networkUsdPerMonth, (1e6 / 1e9) * 0.02 * 730 * 3600, 1e-12));
});

test("overload: past capacity the latency is finite and grows with the load; throughput is capped", (t) => {
  const model = costModelFromObservation(oneAutomaton());
  const assignment = model.assignmentNow();
  const over = model.predict(assignment, 50);
  const worse = model.predict(assignment, 80);
  t.true(Number.isFinite(over.latencyUsP99) && Number.isFinite(worse.latencyUsP99));
  t.true(worse.latencyUsP99 > over.latencyUsP99);
  t.true(close(over.throughputStepsPerS, 4000), "4 cores ÷ 1000 core-µs per step");
  t.true(over.headroom < 1);
});

test("disk: under a 1 ms commit period a 500-IOPS disk saturates at 1000 records/s; under 10 ms only full batches cap it", (t) => {
  const observation = (stepsPerS: number) => observationOf({
    nodes: [vmNode("vm-1", { size: "vm8", cores: 8 }), darqNode("disk-1", { storageTier: "disk" })],
    automata: [busyAutomaton("w/0", "vm-1", "disk-1", stepsPerS, { computeCoreUsPerStep: 1 })],
  });
  // 100 steps/s write R = 400 records/s: flushes 400 ÷ 1.4 = 286/s of the disk's 500.
  const light = costModelFromObservation(observation(100));
  const lightPrediction = light.predict(light.assignmentNow());
  t.true(close(lightPrediction.headroom, 1000 / 400), "R = 500 ÷ (1 − 500 × 0.001) = 1000 records/s");
  t.is(lightPrediction.bottleneck, "darq disk-1 flushes");
  const slowTimer = costModelFromObservation(observation(100), { commitPeriodUs: 10_000 });
  t.true(close(slowTimer.predict(slowTimer.assignmentNow()).headroom, (500 * 1024) / 400), "full batches of 1024 records");
  const heavier = costModelFromObservation(observation(200));
  t.true(heavier.predict(heavier.assignmentNow()).latencyUsP50 > lightPrediction.latencyUsP50, "a busier device flushes slower");
});

test("calibration factors multiply the terms they name", (t) => {
  const observation = oneAutomaton();
  const plain = costModelFromObservation(observation);
  const tuned = costModelFromObservation(observation, { calibration: { ...calibrationIdentity, latencyP99: 2, costCompute: 0.5 } });
  const before = plain.predict(plain.assignmentNow());
  const after = tuned.predict(tuned.assignmentNow());
  t.true(close(after.latencyUsP99, 2 * before.latencyUsP99));
  t.true(close(after.cost.computeUsdPerMonth, 73));
  t.is(after.latencyUsP50, before.latencyUsP50);
});

test("unplaced automata are not served and cost nothing; an unknown VM size is a named error", (t) => {
  const observation = observationOf({
    nodes: [vmNode("vm-1"), darqNode("darq-1")],
    automata: [busyAutomaton("a/0", "vm-1", "darq-1", 10), busyAutomaton("b/0", null, null, 30)],
  });
  const model = costModelFromObservation(observation);
  const prediction = model.predict(model.assignmentNow());
  t.is(prediction.unplacedStepsPerS, 30);
  t.is(prediction.offeredStepsPerS, 10);
  const error = t.throws(() => new CostModel({ nodes: [vmNode("vm-x", { size: "huge" })], automata: [], talk: [], prices: testPrices }));
  t.regex(error.message, /SSMS_ERR_ARGUMENT_INVALID.*vm-x.*'huge'/);
});
