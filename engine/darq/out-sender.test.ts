// Properties 5 and 6 of DESIGN §3 and the lazy routing protocol: out-messages reach their target
// exactly once and in order through loss, duplication, reordering and sender crashes; a gap is
// nacked, never dropped silently; nothing leaves, and no processor or producer learns of
// anything, before it is durable; a DARQ that does not host a target says notHere and the sender
// re-resolves.

import test from "ava";
import type { Result } from "../io/result.ts";
import type { Address } from "../io/transport.ts";
import { LogDeviceSim } from "../../sim/log-device-sim.ts";
import { Simulator } from "../../sim/simulator.ts";
import { bytes, DarqCluster, text, TransportChaos, type TransportFaults, transportFaultsNone } from "./darq-test-world.ts";
import { type Entry, EntryKind } from "./entry.ts";
import type { PhysicalDarq } from "./physical-darq.ts";
import type { WireMessage } from "./wire.ts";

function world(seed: string, faults: TransportFaults, flushLatencyUs = 200) {
  const sim = new Simulator({ seed, eventsMax: 5_000_000 });
  const transport = new TransportChaos(sim.clock, sim.random.fork("network"), faults);
  const cluster = new DarqCluster(sim.clock, transport, (address) => new LogDeviceSim({
    clock: sim.clock, random: sim.random.fork(`device/${address}`), flushLatencyUs,
  }), { commitPeriodUs: 100, retryUsMin: 2_000, retryUsMax: 50_000 });
  return { sim, transport, cluster };
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

/**
 * A processor for `logical` that forwards each input to `target` (one step per input), as the
 * runtime would: register, then handle what readUnconsumed returns, then each new input.
 */
function forwarder(darq: PhysicalDarq, logical: string, target: string): void {
  let incarnation = -1;
  const handle = (entry: Entry): void => {
    if (entry.kind !== EntryKind.in) return;
    value(darq.submitStep({ logicalDarq: logical, incarnation, consumed: [entry.lsn], self: [],
      out: [{ to: target, body: entry.body }] }, () => {}));
  };
  incarnation = value(darq.register(logical, handle, (failure) => {
    if (failure !== null) return;
    for (const entry of value(darq.readUnconsumed(logical))) handle(entry);
  }));
}

function inBodies(darq: PhysicalDarq, logical: string): string[] {
  return value(darq.readUnconsumed(logical)).filter((entry) => entry.kind === EntryKind.in).map((entry) => text(entry.body));
}

test("property 5: out-messages arrive exactly once and in order despite loss, duplication, reordering and sender crashes", (t) => {
  const faults = { lossChance: 0.2, duplicateChance: 0.2, delayUsMin: 50, delayUsMax: 3_000 };
  const exercised = { retries: 0, gaps: 0, duplicates: 0 };
  for (let seed = 0; seed < 8; seed++) {
    const { sim, cluster, transport } = world(`p5-${seed}`, faults);
    let a = cluster.add("A");
    const b = cluster.add("B");
    cluster.host("A", "a");
    cluster.host("B", "b");
    forwarder(a, "a", "b");
    // A producer enqueues one message every 100 µs and, after a crash, resends what was not acked.
    const count = 150;
    const acked = new Set<number>();
    const enqueue = (seq: number) => {
      const darq = a;
      value(darq.enqueue("a", "client", seq, bytes(String(seq)), (failure) => {
        if (failure === null) acked.add(seq);
      }));
    };
    for (let seq = 1; seq <= count; seq++) sim.clock.timerStart(seq * 100, () => enqueue(seq));
    for (let crash = 0; crash < 4; crash++) {
      sim.runFor(1_000 + sim.random.fork(`crash-${crash}`).int(4_000));
      exercised.retries += a.senderStats.retries;
      a = cluster.crash("A");
      forwarder(a, "a", "b");
      for (let seq = 1; seq <= count; seq++) if (!acked.has(seq) && seq * 100 <= sim.nowUs()) enqueue(seq);
    }
    sim.run();
    transport.faults = transportFaultsNone;
    sim.run();
    const expected = Array.from({ length: count }, (_, index) => String(index + 1));
    t.deepEqual(inBodies(b, "b"), expected, `seed ${seed}`);
    t.deepEqual(inBodies(a, "a"), [], `seed ${seed}: every input consumed`);
    exercised.retries += a.senderStats.retries;
    exercised.gaps += b.inboxStats.gaps;
    exercised.duplicates += b.inboxStats.dataDuplicates;
  }
  // The faults must have hit the protocol: resends, out-of-order arrivals and duplicates.
  t.log(JSON.stringify(exercised));
  t.true(exercised.retries > 0 && exercised.gaps > 0 && exercised.duplicates > 0, JSON.stringify(exercised));
});

test("property 5: an out-of-order arrival is nacked with the expected sequence number, not dropped", (t) => {
  const { sim, cluster, transport } = world("p5-gap", transportFaultsNone);
  const b = cluster.add("B");
  cluster.host("B", "b");
  const replies: WireMessage[] = [];
  transport.listen("probe", (_from, message) => replies.push(message as WireMessage));
  const data = (seqFirst: number, bodies: string[]) => ({
    kind: "data", source: "src", target: "b", seqFirst, bodies: bodies.map(bytes),
  });
  transport.send("probe", "B", data(3, ["three"]), 64);
  sim.run();
  t.deepEqual(replies, [{ kind: "nack", source: "src", target: "b", seqExpected: 1 }]);
  t.deepEqual(inBodies(b, "b"), []);
  transport.send("probe", "B", data(1, ["one", "two", "three"]), 64);
  sim.run();
  t.deepEqual(inBodies(b, "b"), ["one", "two", "three"]);
  t.like(replies[1], { kind: "ack", seq: 3 });
  transport.send("probe", "B", data(2, ["two"]), 64);
  sim.run();
  t.like(replies[2], { kind: "ack", seq: 3 }, "a duplicate of a durable message is acknowledged again");
  t.deepEqual(inBodies(b, "b"), ["one", "two", "three"]);
});

test("property 6: out-messages leave, entries become visible and producers are acked only once durable", (t) => {
  const flushLatencyUs = 5_000;
  const { sim, cluster } = world("p6", transportFaultsNone, flushLatencyUs);
  const a = cluster.add("A");
  const b = cluster.add("B");
  cluster.host("A", "a");
  cluster.host("B", "b");
  sim.run();
  const device = cluster.device("A");
  let incarnation = -1;
  value(a.register("a", () => {}, (_failure, value) => { incarnation = value; }));
  sim.run();
  let ackedAtDurableEnd = -1;
  value(a.enqueue("a", "client", 1, bytes("m"), () => { ackedAtDurableEnd = device.durableEnd(); }));
  const appendedEnd = () => device.end();
  sim.runFor(flushLatencyUs / 2);
  t.is(ackedAtDurableEnd, -1, "no producer ack before the flush completes");
  t.deepEqual(value(a.readUnconsumed("a")), [], "the processor does not see the non-durable entry");
  sim.run();
  t.true(ackedAtDurableEnd >= appendedEnd(), "the ack came after the entry was durable");
  const m = value(a.readUnconsumed("a"))[0]!;
  let stepDurable = false;
  value(a.submitStep({ logicalDarq: "a", incarnation, consumed: [m.lsn], self: [bytes("s")], out: [{ to: "b", body: bytes("o") }] },
    () => { stepDurable = true; }));
  sim.runFor(flushLatencyUs / 2);
  t.is(a.senderStats.dataSent, 0, "the out-message waits for durability");
  t.deepEqual(value(a.readUnconsumed("a")), [], "neither the new SELF nor the consumed input is visible");
  t.false(stepDurable);
  sim.run();
  t.true(stepDurable);
  t.true(a.senderStats.dataSent >= 1);
  t.deepEqual(inBodies(b, "b"), ["o"]);
});

test("routing: a DARQ that does not host the target answers notHere; the sender invalidates and re-resolves", (t) => {
  const { sim, cluster } = world("routing", transportFaultsNone);
  const a = cluster.add("A");
  const b = cluster.add("B");
  const c = cluster.add("C");
  cluster.host("A", "a");
  cluster.host("C", "c");
  cluster.router.routes.set("c", "B"); // stale cache: c lives on C
  sim.run();
  const incarnation = value(a.register("a", () => {}, () => {}));
  sim.run();
  value(a.submitStep({ logicalDarq: "a", incarnation, consumed: [], self: [], out: [{ to: "c", body: bytes("hi") }] }, () => {}));
  sim.runFor(1_000);
  t.is(b.inboxStats.notHere, 1);
  t.is(a.senderStats.notHere, 1);
  t.true(cluster.router.invalidations >= 1);
  cluster.router.routes.set("c", "C" as Address); // the catalog answers
  sim.run();
  t.deepEqual(inBodies(c, "c"), ["hi"]);
});
