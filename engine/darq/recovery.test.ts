// Properties 7 and 8 of DESIGN §3: recovery cuts the log at the last valid record (a torn frame
// or a checkpoint cut short), drops uncommitted steps as a unit, replays SELF messages in log
// order before IN, and rebuilds the committed state; registering a processor bumps a persisted
// incarnation that fences older ones.

import test from "ava";
import { ErrorCode } from "../io/errors.ts";
import type { Result } from "../io/result.ts";
import { LogDeviceSim } from "../../sim/log-device-sim.ts";
import { Simulator } from "../../sim/simulator.ts";
import { LogDeviceMemory } from "../io/log-device-memory.ts";
import { checkpointWrite } from "./checkpoint.ts";
import { bytes, DarqCluster, RouterStatic, text, TransportChaos, transportFaultsNone } from "./darq-test-world.ts";
import { type Entry, EntryKind } from "./entry.ts";
import { FrameBuffer } from "./frame-buffer.ts";
import { DarqState, hostApply } from "./logical-darq.ts";
import { PhysicalDarq } from "./physical-darq.ts";
import { hostEncode } from "./record-codec.ts";

function world(seed: string) {
  const sim = new Simulator({ seed, eventsMax: 2_000_000 });
  const transport = new TransportChaos(sim.clock, sim.random.fork("network"), transportFaultsNone);
  const devices: LogDeviceSim[] = [];
  const cluster = new DarqCluster(sim.clock, transport, (address) => {
    const device = new LogDeviceSim({ clock: sim.clock, random: sim.random.fork(`device/${address}`), flushLatencyUs: 300 });
    devices.push(device);
    return device;
  }, { commitPeriodUs: 50, batchRecordsMax: 4 });
  return { sim, cluster };
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

/**
 * A summing automaton: each IN holds a number; a step consumes it and writes a SELF holding the
 * same number (an event); the state is the sum of SELF events folded in log order. It records
 * the order in which recovery hands it entries.
 */
class Summer {
  state = 0;
  incarnation = -1;
  replayOrder: Entry[] = [];

  constructor(private readonly darq: PhysicalDarq, private readonly logical: string) {
    this.incarnation = value(darq.register(logical, (entry) => this.handle(entry), (failure) => {
      if (failure !== null) return;
      this.replayOrder = value(darq.readUnconsumed(logical));
      for (const entry of this.replayOrder) {
        if (entry.kind === EntryKind.self) this.state += Number(text(entry.body));
        else this.handle(entry);
      }
    }));
  }

  private handle(entry: Entry): void {
    const amount = Number(text(entry.body));
    const result = this.darq.submitStep({ logicalDarq: this.logical, incarnation: this.incarnation,
      consumed: [entry.lsn], self: [bytes(String(amount))], out: [] }, () => {});
    if (result.ok) this.state += amount;
  }
}

test("property 7: after crashes at random points the log is cut at the last valid record, SELF replays first in log order, and the state equals the committed one", (t) => {
  const seen = { torn: 0, cut: 0 };
  for (let seed = 0; seed < 30; seed++) {
    const { sim, cluster } = world(`p7-${seed}`);
    let darq = cluster.add("A");
    cluster.host("A", "sum");
    let summer = new Summer(darq, "sum");
    sim.run(); // the HOST record is durable (as a registration's callback says) before the test crashes
    let total = 0;
    const acked = new Map<number, number>();
    const random = sim.random.fork("amounts");
    for (let round = 0; round < 5; round++) {
      for (let seq = 1; seq <= 40; seq++) {
        const key = round * 100 + seq;
        const amount = random.intRange(1, 1_000);
        if (acked.has(key)) continue;
        acked.set(key, amount);
        total += amount;
        value(darq.enqueue("sum", "client", key, bytes(String(amount)), () => {}));
      }
      sim.runFor(random.int(2_000));
      darq = cluster.crash("A");
      if (darq.recovery.torn) seen.torn++;
      if (darq.recovery.bytesCut > 0) seen.cut++;
      summer = new Summer(darq, "sum");
      sim.run();
      // SELF entries come first, each group in LSN order.
      const order = summer.replayOrder;
      const firstIn = order.findIndex((entry) => entry.kind === EntryKind.in);
      t.true(firstIn === -1 || order.slice(firstIn).every((entry) => entry.kind === EntryKind.in));
      t.true(order.every((entry, index) => index === 0 || order[index - 1]!.kind !== entry.kind || order[index - 1]!.lsn < entry.lsn));
      // Enqueues the crash lost were never acknowledged; the producer sends them again.
      for (const [key, amount] of acked) value(darq.enqueue("sum", "client", key, bytes(String(amount)), () => {}));
      sim.run();
      // Conservation: every amount is folded into the state exactly once, and nothing is left.
      t.is(summer.state, total, `seed ${seed} round ${round}`);
      t.deepEqual(value(darq.readUnconsumed("sum")).filter((entry) => entry.kind === EntryKind.in), []);
    }
    // A fresh recovery of the settled log rebuilds the same state from SELF messages alone.
    darq = cluster.crash("A");
    summer = new Summer(darq, "sum");
    sim.run();
    t.is(summer.state, total);
  }
  t.true(seen.torn > 0 && seen.cut > 0, `torn tails must occur: ${JSON.stringify(seen)}`);
});

test("property 8: registering bumps a persisted incarnation and steps of older processors are refused without effect", (t) => {
  const { sim, cluster } = world("p8");
  let darq = cluster.add("A");
  cluster.host("A", "x");
  const first = value(darq.register("x", () => {}, () => {}));
  const second = value(darq.register("x", () => {}, () => {}));
  t.is(second, first + 1);
  sim.run();
  value(darq.enqueue("x", "client", 1, bytes("m"), () => {}));
  sim.run();
  const m = value(darq.readUnconsumed("x"))[0]!.lsn;
  const endBefore = cluster.device("A").end();
  const stale = darq.submitStep({ logicalDarq: "x", incarnation: first, consumed: [m], self: [bytes("old")], out: [] }, () => {});
  t.false(stale.ok);
  if (!stale.ok) t.is(stale.code, ErrorCode.stepStaleIncarnation);
  t.is(cluster.device("A").end(), endBefore);
  darq = cluster.crash("A");
  sim.run();
  const third = value(darq.register("x", () => {}, () => {}));
  t.is(third, second + 1, "the incarnation survived the crash");
  const older = darq.submitStep({ logicalDarq: "x", incarnation: second, consumed: [m], self: [], out: [] }, () => {});
  t.false(older.ok);
  if (!older.ok) t.is(older.code, ErrorCode.stepStaleIncarnation);
  sim.run();
  t.deepEqual(value(darq.readUnconsumed("x")).map((entry) => text(entry.body)), ["m"]);
});

test("recovery: a registration is durable before its callback, and notifications start after it", (t) => {
  const { sim, cluster } = world("register-order");
  const darq = cluster.add("A");
  cluster.host("A", "x");
  sim.run();
  value(darq.enqueue("x", "client", 1, bytes("before"), () => {}));
  const notified: string[] = [];
  let seenAtReady: string[] = [];
  value(darq.register("x", (entry) => notified.push(text(entry.body)), () => {
    seenAtReady = value(darq.readUnconsumed("x")).map((entry) => text(entry.body));
  }));
  value(darq.enqueue("x", "client", 2, bytes("same-batch"), () => {}));
  sim.run();
  value(darq.enqueue("x", "client", 3, bytes("later"), () => {}));
  sim.run();
  t.deepEqual(seenAtReady, ["before", "same-batch"], "everything durable with the registration is read");
  t.deepEqual(notified, ["later"], "each entry reaches the processor exactly one way");
});

test("recovery: a checkpoint cut short by a crash is cut off, so records appended later are not lost", (t) => {
  // A log whose tail is a checkpoint without its END (the batch holding it was only partly durable).
  const device = new LogDeviceMemory();
  const buffer = new FrameBuffer();
  const state = new DarqState();
  hostApply(state, "x", 0);
  hostEncode(buffer, 0, "x");
  const written = checkpointWrite(buffer, state, 1024);
  const frames = buffer.take();
  device.append(frames.subarray(0, frames.length - written + 40)); // BEGIN and part of the rest only
  device.flush(() => {});
  const sim = new Simulator({ seed: "cut-checkpoint" });
  const transport = new TransportChaos(sim.clock, sim.random.fork("network"), transportFaultsNone);
  const open = () => PhysicalDarq.open({ device, clock: sim.clock, transport, router: new RouterStatic(), address: "A" });
  let darq = open();
  t.true(darq.recovery.bytesCut > 0, "the incomplete checkpoint was cut");
  value(darq.enqueue("x", "client", 1, bytes("after"), () => {}));
  sim.run();
  darq.stop();
  darq = open();
  sim.run();
  t.deepEqual(value(darq.readUnconsumed("x")).map((entry) => text(entry.body)), ["after"]);
});
