// Tests of the compute model: FIFO service over c cores exactly as hand-computed, the family
// speed factor, exact utilisation mid-job, an M/M/2 queue's mean wait against Erlang C, crash
// and pause semantics, VM time billed from start to stop, and spot preemption with its notice.

import test from "ava";
import { mean } from "simple-statistics";
import { exponential } from "../distributions.ts";
import { UsageLedger } from "../ledger.ts";
import { priceLedger } from "../pricing/price-ledger.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import { Simulator } from "../simulator.ts";
import { ComputeNode, computeNodeFromProfile, type ComputeNodeOptions } from "./compute-node.ts";

const azure = loadCloudProfile("azure-2024");
const second = 1_000_000;
const hour = 3600 * second;

function node(options: Partial<ComputeNodeOptions> = {}) {
  const sim = new Simulator({ seed: "compute" });
  const compute = new ComputeNode({ clock: sim.clock, nodeId: "n1", cores: 2, speedFactor: 1, ...options });
  compute.start();
  const done: [string, number][] = [];
  const job = (name: string, workCoreUs: number) => compute.submit(workCoreUs, () => done.push([name, sim.nowUs()]));
  return { sim, compute, done, job };
}

test("FIFO over two cores: each job takes the core that frees first, in submission order", (t) => {
  const { sim, compute, done, job } = node();
  job("a", 100); // core 0: 0–100
  job("b", 50);  // core 1: 0–50
  job("c", 70);  // core 1 frees first: 50–120
  job("d", 30);  // core 0: 100–130
  sim.runUntil(60);
  t.is(compute.busyCoreUs(), 120, "at 60 µs: 60 on core 0, 50 + 10 on core 1");
  t.is(compute.jobsInSystem(), 3);
  sim.run();
  t.deepEqual(done, [["b", 50], ["a", 100], ["c", 120], ["d", 130]]);
  t.is(compute.busyCoreUs(), 250);
  t.like(compute.stats, { jobsStarted: 4, jobsQueued: 2 }, "c and d found both cores busy");
  job("e", 10); // an idle node: no wait
  t.like(compute.stats, { jobsStarted: 5, jobsQueued: 2 });
});

test("the speed factor scales service time; a profile VM size sets cores and family speed", (t) => {
  const { sim, done, job } = node({ cores: 1, speedFactor: 2 });
  job("a", 100);
  job("b", 101); // 50.5 µs, rounded up to 51
  sim.run();
  t.deepEqual(done, [["a", 50], ["b", 101]]);
  const f4 = computeNodeFromProfile(azure, "Standard_F4s_v2", { clock: sim.clock, nodeId: "f4" });
  t.is(f4.cores, 4);
  t.is(f4.speedFactor, 1.1571);
  t.throws(() => computeNodeFromProfile(azure, "Standard_X1", { clock: sim.clock, nodeId: "x" }), { message: /VM size 'Standard_X1'/ });
});

test("M/M/2 at 80% load: the mean wait in queue matches Erlang C within 6%", (t) => {
  const sim = new Simulator({ seed: "mm2" });
  const compute = new ComputeNode({ clock: sim.clock, nodeId: "q", cores: 2, speedFactor: 1 });
  compute.start();
  const random = sim.random.fork("workload");
  const serviceMeanUs = 1000;
  const arrivalMeanUs = 625; // λ = 1.6 per ms, μ = 1 per ms, c = 2: ρ = 0.8
  const waits: number[] = [];
  let arrivals = 0;
  const arrive = (): void => {
    const submittedUs = sim.nowUs();
    const serviceUs = Math.max(1, Math.round(exponential(random, serviceMeanUs)));
    compute.submit(serviceUs, () => waits.push(sim.nowUs() - submittedUs - serviceUs));
    if (++arrivals < 200_000) sim.clock.timerStart(Math.round(exponential(random, arrivalMeanUs)), arrive);
  };
  arrive();
  sim.run();
  // Erlang C for c = 2, offered load a = λ/μ = 1.6: P(wait) = a²/(2(1−ρ)) ÷ (1 + a + a²/(2(1−ρ))).
  const a = serviceMeanUs / arrivalMeanUs;
  const tail = (a * a) / (2 * (1 - a / 2));
  const waitProbability = tail / (1 + a + tail);
  const expectedWaitUs = (waitProbability * serviceMeanUs) / (2 - a);
  const measured = mean(waits);
  t.true(Math.abs(measured - expectedWaitUs) <= 0.06 * expectedWaitUs, `mean wait ${measured} µs, Erlang C ${expectedWaitUs} µs`);
});

test("a crash drops queued and running work for good; after restart the node serves new work", (t) => {
  const { sim, compute, done, job } = node({ cores: 1 });
  job("a", 100);
  job("b", 100);
  sim.runUntil(40);
  compute.crash();
  t.false(job("lost", 10), "a crashed node refuses work");
  sim.runUntil(500);
  t.deepEqual(done, []);
  t.is(compute.busyCoreUs(), 40, "only the served 40 µs count");
  t.is(compute.stats.jobsDropped, 2);
  compute.restart();
  job("c", 10);
  sim.run();
  t.deepEqual(done, [["c", 510]]);
});

test("pause freezes progress: completions shift by the pause, work submitted meanwhile queues", (t) => {
  const { sim, compute, done, job } = node({ cores: 1 });
  job("a", 100);
  sim.runUntil(30);
  compute.pause();
  job("b", 10);
  sim.runUntil(1030);
  t.deepEqual(done, []);
  t.is(compute.busyCoreUs(), 30);
  compute.resume();
  sim.run();
  t.deepEqual(done, [["a", 1100], ["b", 1110]]);
});

test("VM time from start to stop is billed at the size's price (D8s v3, 1 h = 0.384 USD)", (t) => {
  const sim = new Simulator({ seed: "bill" });
  const ledger = new UsageLedger({ clock: sim.clock });
  const compute = computeNodeFromProfile(azure, "Standard_D8s_v3", { clock: sim.clock, nodeId: "vm-1", ledger });
  compute.start();
  sim.runFor(hour);
  compute.stop();
  sim.runFor(hour);
  const data = ledger.toData();
  t.deepEqual(data.vms[0]!.segmentsUs, [[0, hour]]);
  t.true(Math.abs(priceLedger(data, azure).components.compute.runUsd - 0.384) < 1e-12);
});

test("spot preemption: notice now, kill after the profile's 30 s; work then is lost and billing stops", (t) => {
  const sim = new Simulator({ seed: "spot" });
  const ledger = new UsageLedger({ clock: sim.clock });
  const events: [string, number][] = [];
  const compute = computeNodeFromProfile(azure, "Standard_D2s_v3", {
    clock: sim.clock, nodeId: "spot-1", spot: true, ledger,
    onPreemptNotice: () => events.push(["notice", sim.nowUs()]),
    onPreempted: () => events.push(["killed", sim.nowUs()]),
  });
  compute.start();
  sim.runUntil(10 * second);
  t.true(compute.preempt());
  t.false(compute.preempt(), "one notice at a time");
  compute.submit(5 * second, () => events.push(["short job", sim.nowUs()]));
  compute.submit(60 * second, () => events.push(["long job", sim.nowUs()]));
  sim.run();
  t.deepEqual(events, [["notice", 10 * second], ["short job", 15 * second], ["killed", 40 * second]]);
  t.is(compute.state, "stopped");
  t.deepEqual(ledger.toData().vms[0]!.segmentsUs, [[0, 40 * second]]);
  const normal = new ComputeNode({ clock: sim.clock, nodeId: "n", cores: 1, speedFactor: 1 });
  t.throws(() => normal.preempt(), { message: /not a spot VM/ });
});

test("freeAtUs: now while a core is idle, else when the first core frees; a down node counts as free", (t) => {
  const { sim, compute, job } = node({ cores: 2 });
  t.is(compute.freeAtUs(), 0);
  job("a", 100);
  t.is(compute.freeAtUs(), 0, "the second core is idle");
  job("b", 300);
  job("c", 50); // queued behind a, on core 0: 100–150
  t.is(compute.freeAtUs(), 150);
  sim.runUntil(120);
  t.is(compute.freeAtUs(), 150);
  compute.crash();
  t.is(compute.freeAtUs(), sim.nowUs());
});
