// Simulator: one seed reproduces a run (same fingerprint), another seed gives another run, the
// run limits stop a livelocked model with a clear error, and runUntil/runFor/step move virtual
// time as documented. The workload is a small gossip over TransportSim with random peers, random
// think times and a jittery, lossy link model, so a broken fork or ordering shows up as a
// different fingerprint.

import test from "ava";
import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import type { Random } from "../engine/io/random.ts";
import { exponential } from "./distributions.ts";
import { Simulator } from "./simulator.ts";
import { TransportSim, type LinkModel } from "./transport-sim.ts";

/** Latency 100–600us, 5% loss, 5% duplicates: reorders and drops so order matters. */
class LinkModelJitter implements LinkModel {
  private readonly delays: number[] = [];
  constructor(private readonly random: Random) {}
  deliveries(): readonly number[] {
    this.delays.length = 0;
    if (this.random.chance(0.05)) return this.delays;
    const copies = this.random.chance(0.05) ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) this.delays.push(this.random.intRange(100, 600));
    return this.delays;
  }
}

function gossip(seed: string, nodeCount = 8, roundsPerNode = 40): Simulator {
  const simulator = new Simulator({ seed, eventsMax: 1_000_000 });
  const transport = new TransportSim(simulator.queue, new LinkModelJitter(simulator.random.fork("network")));
  const peers = simulator.random.fork("peers");
  const think = simulator.random.fork("think");
  for (let node = 0; node < nodeCount; node++) {
    const self = `node-${node}`;
    let rounds = 0;
    transport.listen(self, (from, message) => {
      simulator.fingerprintMixString(from);
      simulator.fingerprintMix(message as number);
    });
    const tick = (): void => {
      transport.send(self, `node-${peers.int(nodeCount)}`, rounds * 1000 + node, 64);
      if (++rounds < roundsPerNode) simulator.clock.timerStart(Math.round(exponential(think, 1000)), tick);
    };
    simulator.clock.timerStart(node, tick);
  }
  simulator.run();
  return simulator;
}

test("the same seed gives the same fingerprint; a different seed a different one", (t) => {
  const first = gossip("seed-a");
  const again = gossip("seed-a");
  const other = gossip("seed-b");
  t.true(first.eventsProcessed > 300, "the workload did something");
  t.is(again.fingerprint(), first.fingerprint());
  t.is(again.eventsProcessed, first.eventsProcessed);
  t.is(again.nowUs(), first.nowUs());
  t.not(other.fingerprint(), first.fingerprint());
});

test("a different workload under the same seed gives a different fingerprint", (t) => {
  t.not(gossip("seed-a", 8, 40).fingerprint(), gossip("seed-a", 8, 41).fingerprint());
});

test("timers and deliveries due at the same instant run in scheduling order", (t) => {
  const simulator = new Simulator({ seed: "same-instant" });
  const transport = new TransportSim(simulator.queue, { deliveries: () => [100] });
  const seen: string[] = [];
  transport.listen("b", (_from, message) => seen.push(message as string));
  simulator.clock.timerStart(100, () => seen.push("timer-1"));
  transport.send("a", "b", "message-1", 1);
  simulator.clock.timerStart(100, () => seen.push("timer-2"));
  transport.send("a", "b", "message-2", 1);
  simulator.run();
  t.deepEqual(seen, ["timer-1", "message-1", "timer-2", "message-2"]);
  t.is(simulator.nowUs(), 100);
});

test("a run that never goes idle stops at eventsMax with a simulationLimit error", (t) => {
  const simulator = new Simulator({ seed: "livelock", eventsMax: 1000 });
  const rearm = (): void => {
    simulator.clock.timerStart(10, rearm);
  };
  simulator.clock.timerStart(0, rearm);
  const error = t.throws(() => simulator.run(), { instanceOf: SsmsError });
  t.is(error?.code, ErrorCode.simulationLimit);
  t.regex(error?.message ?? "", /eventsMax=1000.*raise eventsMax/);
  t.is(simulator.eventsProcessed, 1000);
});

test("a run stops at timeUsMax before processing an event due later", (t) => {
  const simulator = new Simulator({ seed: "far", timeUsMax: 5000 });
  const fired: number[] = [];
  simulator.clock.timerStart(4000, () => fired.push(4000));
  simulator.clock.timerStart(6000, () => fired.push(6000));
  const error = t.throws(() => simulator.run(), { instanceOf: SsmsError });
  t.is(error?.code, ErrorCode.simulationLimit);
  t.regex(error?.message ?? "", /timeUsMax=5000us.*6000us.*raise timeUsMax/);
  t.deepEqual(fired, [4000]);
  t.is(simulator.nowUs(), 4000);
  t.throws(() => new Simulator({ seed: "x", timeUsMax: 10 }).runUntil(11), { instanceOf: SsmsError });
});

test("a run that goes idle exactly at eventsMax is not an error", (t) => {
  const simulator = new Simulator({ seed: "exact", eventsMax: 3 });
  for (let index = 0; index < 3; index++) simulator.clock.timerStart(index, () => {});
  t.is(simulator.run(), 3);
  t.false(simulator.step());
  t.is(simulator.runUntil(100), 0);
});

test("runUntil runs events due at or before the target, then moves the clock to it", (t) => {
  const simulator = new Simulator({ seed: "until" });
  const fired: number[] = [];
  for (const timeUs of [10, 20, 30]) simulator.clock.timerStart(timeUs, () => fired.push(timeUs));
  t.is(simulator.runUntil(20), 2);
  t.deepEqual(fired, [10, 20]);
  t.is(simulator.nowUs(), 20);
  t.is(simulator.runFor(5), 0);
  t.is(simulator.nowUs(), 25);
  t.true(simulator.step());
  t.false(simulator.step());
  t.is(simulator.nowUs(), 30);
  t.throws(() => simulator.runUntil(29), { instanceOf: SsmsError, message: /integer time ≥ now/ });
});

test("invalid limits are rejected with configInvalid", (t) => {
  for (const options of [{ eventsMax: 0 }, { timeUsMax: -1 }, { eventsMax: 1.5 }]) {
    const error = t.throws(() => new Simulator({ seed: "bad", ...options }), { instanceOf: SsmsError });
    t.is(error?.code, ErrorCode.configInvalid);
  }
});

test("fingerprintMix changes the fingerprint; the seed alone is part of it", (t) => {
  const plain = new Simulator({ seed: "mix" });
  const mixed = new Simulator({ seed: "mix" });
  mixed.fingerprintMix(1);
  t.not(mixed.fingerprint(), plain.fingerprint());
  t.not(new Simulator({ seed: "other" }).fingerprint(), plain.fingerprint());
  t.is(new Simulator({ seed: "mix" }).fingerprint(), plain.fingerprint());
});
