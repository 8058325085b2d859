// Property 9 of DESIGN §3: a step may consume old SELF messages and write a snapshot in their
// place, and the log prefix is reclaimed; whatever the prefix still held that is live — an
// unconsumed IN, an unacknowledged OUT, producer and source dedup state, incarnations — is
// carried forward by the checkpoint, so recovery from the truncated log loses and duplicates
// nothing.

import test from "ava";
import type { Result } from "../io/result.ts";
import { LogDeviceSim } from "../../sim/log-device-sim.ts";
import { Simulator } from "../../sim/simulator.ts";
import { bytes, DarqCluster, text, TransportChaos, transportFaultsNone } from "./darq-test-world.ts";
import { type Entry, EntryKind } from "./entry.ts";
import type { PhysicalDarq } from "./physical-darq.ts";

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

/** A counter whose every step consumes its input and its previous snapshot, writing a new one. */
function snapshotter(darq: PhysicalDarq, logical: string): { count: () => number } {
  let count = 0;
  let snapshotLsn = 0;
  let incarnation = -1;
  const handle = (entry: Entry): void => {
    const consumed = snapshotLsn === 0 ? [entry.lsn] : [entry.lsn, snapshotLsn];
    const lsn = value(darq.submitStep({ logicalDarq: logical, incarnation, consumed,
      self: [bytes(String(count + 1))], out: [] }, () => {}));
    count++;
    snapshotLsn = lsn;
  };
  incarnation = value(darq.register(logical, handle, (failure) => {
    if (failure !== null) return;
    const entries = value(darq.readUnconsumed(logical));
    for (const entry of entries) {
      if (entry.kind !== EntryKind.self) continue;
      count = Number(text(entry.body));
      snapshotLsn = entry.lsn;
    }
    for (const entry of entries) if (entry.kind === EntryKind.in && entry.from === "client") handle(entry);
  }));
  return { count: () => count };
}

test("property 9: snapshots replace old SELF messages and the prefix is reclaimed without losing live state", (t) => {
  const sim = new Simulator({ seed: "p9", eventsMax: 5_000_000 });
  const transport = new TransportChaos(sim.clock, sim.random.fork("network"), transportFaultsNone);
  const cluster = new DarqCluster(sim.clock, transport, (address) => new LogDeviceSim({
    clock: sim.clock, random: sim.random.fork(`device/${address}`), flushLatencyUs: 100,
  }), { commitPeriodUs: 50, compactBytesMin: 16 * 1024, checkpointChunkBytes: 2048, retryUsMin: 1_000, retryUsMax: 5_000 });
  let darq = cluster.add("A");
  const remote = cluster.add("B");
  cluster.host("A", "counter");
  cluster.host("A", "idle");
  cluster.host("B", "far");
  sim.run();
  // Live state the prefix will hold: an IN nobody consumes, and an OUT that cannot be acked yet.
  value(darq.enqueue("idle", "keeper", 1, bytes("keep me"), () => {}));
  transport.partition("B", true);
  const idle = value(darq.register("idle", () => {}, () => {}));
  sim.run();
  value(darq.submitStep({ logicalDarq: "idle", incarnation: idle, consumed: [], self: [bytes("idle-state")],
    out: [{ to: "far", body: bytes("unacked") }] }, () => {}));
  let counter = snapshotter(darq, "counter");
  sim.runFor(5_000); // not run(): the out-sender retries "far" for as long as B is cut off
  const payload = new Uint8Array(200).fill(1);
  for (let seq = 1; seq <= 600; seq++) {
    value(darq.enqueue("counter", "client", seq, payload, () => {}));
    if (seq % 50 === 0) sim.runFor(200);
  }
  sim.runFor(10_000);
  t.is(counter.count(), 600);
  t.true(darq.stats.checkpoints >= 1, "a checkpoint was written");
  t.true(cluster.device("A").begin() > 0, "the prefix was reclaimed");
  t.true(darq.stats.bytesReclaimed > 16 * 1024);

  darq = cluster.crash("A");
  t.true(darq.recovery.fromCheckpoint, "recovery starts from the checkpoint");
  counter = snapshotter(darq, "counter");
  sim.runFor(10_000);
  t.is(counter.count(), 600, "the snapshot carries the state");
  t.deepEqual(value(darq.readUnconsumed("idle")).map((entry) => text(entry.body)), ["idle-state", "keep me"]);
  t.false(value(darq.enqueue("counter", "client", 17, payload, () => {})), "producer dedup survived compaction");
  t.false(value(darq.enqueue("idle", "keeper", 1, bytes("keep me"), () => {})));
  const again = value(darq.register("idle", () => {}, () => {}));
  t.is(again, idle + 1, "the incarnation survived compaction");

  transport.partition("B", false);
  sim.run();
  t.deepEqual(value(remote.readUnconsumed("far")).map((entry) => text(entry.body)), ["unacked"],
    "the unacked OUT from the reclaimed prefix is delivered exactly once");
});

test("property 9: the log is not reclaimed while live bytes dominate it", (t) => {
  const sim = new Simulator({ seed: "p9-live", eventsMax: 5_000_000 });
  const transport = new TransportChaos(sim.clock, sim.random.fork("network"), transportFaultsNone);
  const cluster = new DarqCluster(sim.clock, transport, (address) => new LogDeviceSim({
    clock: sim.clock, random: sim.random.fork(`device/${address}`), flushLatencyUs: 100,
  }), { commitPeriodUs: 50, compactBytesMin: 8 * 1024 });
  const darq = cluster.add("A");
  cluster.host("A", "backlog");
  for (let seq = 1; seq <= 300; seq++) value(darq.enqueue("backlog", "client", seq, new Uint8Array(100), () => {}));
  sim.run();
  t.is(darq.stats.checkpoints, 0, "nothing consumed: copying would reclaim nothing");
  t.is(cluster.device("A").begin(), 0);
});
