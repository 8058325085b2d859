// Properties 1–4 of DESIGN §3 on a simulated device with simulated crashes: all-or-nothing
// steps, invalid steps without effect, one winner among conflicting steps, consumption at most
// once with redelivery until consumed, exactly-once external enqueue.

import test from "ava";
import { ErrorCode } from "../io/errors.ts";
import type { Result } from "../io/result.ts";
import { LogDeviceSim } from "../../sim/log-device-sim.ts";
import { Simulator } from "../../sim/simulator.ts";
import { bytes, DarqCluster, text, TransportChaos, transportFaultsNone } from "./darq-test-world.ts";
import { EntryKind, type Step } from "./entry.ts";
import type { PhysicalDarq } from "./physical-darq.ts";

function world(seed: string, config: Record<string, unknown> = {}) {
  const sim = new Simulator({ seed, eventsMax: 2_000_000 });
  const transport = new TransportChaos(sim.clock, sim.random.fork("network"), transportFaultsNone);
  const cluster = new DarqCluster(sim.clock, transport, (address) => new LogDeviceSim({
    clock: sim.clock, random: sim.random.fork(`device/${address}`), flushLatencyUs: 200,
  }), { commitPeriodUs: 100, ...config });
  return { sim, cluster };
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

function register(sim: Simulator, darq: PhysicalDarq, logical: string): number {
  let incarnation = -1;
  value(darq.register(logical, () => {}, (failure, value) => {
    if (failure === null) incarnation = value;
  }));
  sim.run();
  return incarnation;
}

function enqueue(sim: Simulator, darq: PhysicalDarq, logical: string, producer: string, seq: number, body: string): boolean {
  const fresh = value(darq.enqueue(logical, producer, seq, bytes(body), () => {}));
  sim.run();
  return fresh;
}

/** "self:…" / "in:…" for each durable unconsumed entry, in the order readUnconsumed gives. */
function unconsumed(darq: PhysicalDarq, logical: string): string[] {
  return value(darq.readUnconsumed(logical)).map((entry) =>
    `${entry.kind === EntryKind.self ? "self" : "in"}:${text(entry.body)}`);
}

function lsnOf(darq: PhysicalDarq, logical: string, body: string): number {
  const entry = value(darq.readUnconsumed(logical)).find((candidate) => text(candidate.body) === body);
  if (entry === undefined) throw new Error(`no unconsumed '${body}' in ${logical}`);
  return entry.lsn;
}

test("property 1: a step commits all-or-nothing across a crash at any point", (t) => {
  const outcomes = { committed: 0, vanished: 0 };
  for (let seed = 0; seed < 60; seed++) {
    const { sim, cluster } = world(`p1-${seed}`);
    let darq = cluster.add("A");
    cluster.host("A", "x");
    cluster.host("A", "y");
    const incarnation = register(sim, darq, "x");
    enqueue(sim, darq, "x", "client", 1, "in-1");
    const step: Step = {
      logicalDarq: "x", incarnation, consumed: [lsnOf(darq, "x", "in-1")],
      self: [bytes("s-1"), bytes("s-2")], out: [{ to: "y", body: bytes("o-1") }],
    };
    value(darq.submitStep(step, () => {}));
    sim.runFor(sim.random.fork("crash-at").int(600));
    darq = cluster.crash("A");
    sim.run();
    const x = unconsumed(darq, "x");
    const y = unconsumed(darq, "y");
    if (y.length === 1) {
      t.deepEqual(x, ["self:s-1", "self:s-2"]);
      t.deepEqual(y, ["in:o-1"]);
      outcomes.committed++;
    } else {
      t.deepEqual(x, ["in:in-1"]);
      t.deepEqual(y, []);
      outcomes.vanished++;
    }
  }
  // Both outcomes must occur, or the crash points did not exercise the property.
  t.true(outcomes.committed > 0 && outcomes.vanished > 0, JSON.stringify(outcomes));
});

test("property 1: an empty or invalid step changes nothing and says why", (t) => {
  const { sim, cluster } = world("p1-invalid");
  const darq = cluster.add("A");
  cluster.host("A", "x");
  cluster.host("A", "z");
  const incarnation = register(sim, darq, "x");
  enqueue(sim, darq, "x", "client", 1, "in-1");
  enqueue(sim, darq, "z", "client", 1, "for-z");
  const input = lsnOf(darq, "x", "in-1");
  const consumedStep = value(darq.submitStep({ logicalDarq: "x", incarnation, consumed: [input], self: [bytes("s")], out: [] }, () => {}));
  sim.run();
  // A message enqueued but not yet durable: the processor cannot have seen it.
  value(darq.enqueue("x", "client", 2, bytes("in-2"), () => {}));
  const pendingLsn = consumedStep + 1;
  const base = { logicalDarq: "x", incarnation, consumed: [] as number[], self: [] as Uint8Array[], out: [] };
  const cases: [string, Step, ErrorCode][] = [
    ["empty", { ...base, consumed: [] }, ErrorCode.stepEmpty],
    ["never issued", { ...base, consumed: [9_999] }, ErrorCode.stepUnknownInput],
    ["not durable", { ...base, consumed: [pendingLsn] }, ErrorCode.stepUnknownInput],
    ["already consumed", { ...base, consumed: [input] }, ErrorCode.stepConflict],
    ["another logical DARQ's entry", { ...base, consumed: [lsnOf(darq, "z", "for-z")] }, ErrorCode.stepConflict],
    ["same input twice", { ...base, consumed: [consumedStep, consumedStep] }, ErrorCode.stepConflict],
    ["stale incarnation", { ...base, incarnation: incarnation - 1, self: [bytes("s")] }, ErrorCode.stepStaleIncarnation],
    ["unhosted logical DARQ", { ...base, logicalDarq: "nope", self: [bytes("s")] }, ErrorCode.logicalDarqUnknown],
  ];
  const before = unconsumed(darq, "x");
  const endBefore = cluster.device("A").end();
  for (const [name, step, code] of cases) {
    const result = darq.submitStep(step, () => t.fail(`${name}: refused step completed`));
    t.false(result.ok, name);
    if (!result.ok) {
      t.is(result.code, code, name);
      t.true(result.reason.length > 20, `${name}: the reason says why`);
    }
  }
  t.is(cluster.device("A").end(), endBefore, "nothing was appended");
  sim.run();
  t.deepEqual(unconsumed(darq, "x"), [...before, "in:in-2"], "state unchanged apart from the pending enqueue");
});

test("property 2: of two steps consuming the same message exactly one commits", (t) => {
  const { sim, cluster } = world("p2");
  let darq = cluster.add("A");
  cluster.host("A", "x");
  const incarnation = register(sim, darq, "x");
  enqueue(sim, darq, "x", "client", 1, "m");
  const m = lsnOf(darq, "x", "m");
  const done: string[] = [];
  const first = darq.submitStep({ logicalDarq: "x", incarnation, consumed: [m], self: [bytes("first")], out: [] },
    () => done.push("first"));
  const second = darq.submitStep({ logicalDarq: "x", incarnation, consumed: [m], self: [bytes("second")], out: [] },
    () => done.push("second"));
  t.true(first.ok);
  t.false(second.ok);
  if (!second.ok) t.is(second.code, ErrorCode.stepConflict);
  sim.run();
  t.deepEqual(done, ["first"]);
  darq = cluster.crash("A");
  const again = register(sim, darq, "x");
  const third = darq.submitStep({ logicalDarq: "x", incarnation: again, consumed: [m], self: [], out: [] }, () => {});
  t.false(third.ok, "after recovery the message is still consumed");
  t.deepEqual(unconsumed(darq, "x"), ["self:first"]);
});

test("property 3: a message is redelivered after every restart until a committed step consumes it, then never again", (t) => {
  const { sim, cluster } = world("p3");
  let darq = cluster.add("A");
  cluster.host("A", "x");
  register(sim, darq, "x");
  enqueue(sim, darq, "x", "client", 1, "m");
  const m = lsnOf(darq, "x", "m");
  for (let restart = 0; restart < 3; restart++) {
    darq = cluster.crash("A");
    register(sim, darq, "x");
    t.deepEqual(unconsumed(darq, "x"), ["in:m"], `restart ${restart}: still unconsumed`);
  }
  const incarnation = register(sim, darq, "x");
  let durable = false;
  value(darq.submitStep({ logicalDarq: "x", incarnation, consumed: [m], self: [], out: [{ to: "x", body: bytes("next") }] },
    () => { durable = true; }));
  sim.run();
  t.true(durable);
  for (let restart = 0; restart < 3; restart++) {
    darq = cluster.crash("A");
    const current = register(sim, darq, "x");
    t.deepEqual(unconsumed(darq, "x"), ["in:next"], `restart ${restart}: consumed once and for all`);
    const retry = darq.submitStep({ logicalDarq: "x", incarnation: current, consumed: [m], self: [], out: [] }, () => {});
    t.false(retry.ok);
  }
});

test("property 4: external enqueue is exactly once per (producer, seq), after crashes too, for many producers", (t) => {
  const { sim, cluster } = world("p4");
  let darq = cluster.add("A");
  cluster.host("A", "x");
  const producers = 2_000;
  const order: [number, number][] = [];
  for (let producer = 0; producer < producers; producer++) for (const seq of [1, 2, 3]) order.push([producer, seq]);
  const random = sim.random.fork("shuffle");
  for (let index = order.length - 1; index > 0; index--) {
    const other = random.int(index + 1);
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  let acks = 0;
  let fresh = 0;
  const send = () => {
    for (const [producer, seq] of order) {
      if (value(darq.enqueue("x", `p${producer}`, seq, bytes(`${producer}.${seq}`), (failure) => {
        if (failure === null) acks++;
      }))) fresh++;
    }
  };
  send();
  send(); // every message twice, the second copy before the first is durable
  sim.run();
  t.is(fresh, order.length);
  t.is(acks, 2 * order.length, "duplicates are acknowledged too, once durable");
  darq = cluster.crash("A");
  sim.run();
  send();
  sim.run();
  t.is(fresh, order.length, "after recovery every (producer, seq) is still known");
  const bodies = unconsumed(darq, "x");
  t.is(bodies.length, order.length);
  t.is(new Set(bodies).size, order.length);
});
