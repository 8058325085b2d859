// Property 10's building blocks (the workflow around them is the runtime's): fence, export,
// adopt, catalog flip and release move a logical DARQ between physical DARQs with nothing lost
// or duplicated — its unconsumed SELF and IN entries in order, its producer and source dedup
// state, its incarnation, its unacknowledged out-messages — also when either side crashes
// between the steps, and senders that still aim at the old place are re-routed by notHere.

import test from "ava";
import { ErrorCode } from "../io/errors.ts";
import type { Result } from "../io/result.ts";
import { LogDeviceSim } from "../../sim/log-device-sim.ts";
import { Simulator } from "../../sim/simulator.ts";
import { bytes, DarqCluster, text, TransportChaos, transportFaultsNone } from "./darq-test-world.ts";
import { EntryKind } from "./entry.ts";
import type { PhysicalDarq } from "./physical-darq.ts";

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

function entries(darq: PhysicalDarq, logical: string): string[] {
  return value(darq.readUnconsumed(logical)).map((entry) => `${entry.kind === EntryKind.self ? "self" : "in"}:${text(entry.body)}`);
}

for (const crash of ["none", "source after fence", "target after adopt", "both"]) {
  test(`property 10: a logical DARQ moves with its entries, dedup state, incarnation and unacked outs (crash: ${crash})`, (t) => {
    const sim = new Simulator({ seed: `migrate-${crash}` });
    const transport = new TransportChaos(sim.clock, sim.random.fork("network"), transportFaultsNone);
    const cluster = new DarqCluster(sim.clock, transport, (address) => new LogDeviceSim({
      clock: sim.clock, random: sim.random.fork(`device/${address}`), flushLatencyUs: 100,
    }), { commitPeriodUs: 50, retryUsMin: 1_000, retryUsMax: 4_000 });
    let a = cluster.add("A");
    let b = cluster.add("B");
    const z = cluster.add("Z");
    cluster.host("A", "x");
    cluster.host("Z", "y");
    cluster.host("Z", "z");
    sim.run();
    // x: a SELF, two unconsumed INs from a producer, one from y (a source), an unacked OUT to z.
    const incarnation = value(a.register("x", () => {}, () => {}));
    for (const seq of [1, 2, 3]) value(a.enqueue("x", "client", seq, bytes(`p${seq}`), () => {}));
    const yIncarnation = value(z.register("y", () => {}, () => {}));
    sim.run();
    value(z.submitStep({ logicalDarq: "y", incarnation: yIncarnation, consumed: [], self: [],
      out: [{ to: "x", body: bytes("from-y-1") }] }, () => {}));
    sim.run();
    transport.partition("Z", true);
    const first = value(a.readUnconsumed("x"))[0]!.lsn;
    value(a.submitStep({ logicalDarq: "x", incarnation, consumed: [first], self: [bytes("state-1")],
      out: [{ to: "z", body: bytes("to-z") }] }, () => {}));
    sim.runFor(2_000);
    const before = entries(a, "x");
    t.deepEqual(before, ["self:state-1", "in:p2", "in:p3", "in:from-y-1"]);

    let fenced = false;
    value(a.migration.fence("x", (failure) => { fenced = failure === null; }));
    const refused = a.submitStep({ logicalDarq: "x", incarnation, consumed: [], self: [bytes("late")], out: [] }, () => {});
    t.false(refused.ok);
    if (!refused.ok) t.is(refused.code, ErrorCode.logicalDarqMigrating);
    sim.runFor(2_000);
    t.true(fenced);
    if (crash === "source after fence" || crash === "both") a = cluster.crash("A");
    sim.runFor(2_000);
    const state = value(a.migration.exportState("x"));
    let adopted = false;
    value(b.migration.adopt(state, (failure) => { adopted = failure === null; }));
    sim.runFor(2_000);
    t.true(adopted);
    if (crash === "target after adopt" || crash === "both") b = cluster.crash("B");
    cluster.router.routes.set("x", "B");
    value(a.migration.release("x", () => {}));
    sim.runFor(2_000);
    t.false(a.hosts("x"));

    const moved = value(b.register("x", () => {}, () => {}));
    t.is(moved, incarnation + 1, "the incarnation moved along");
    sim.runFor(2_000);
    t.deepEqual(entries(b, "x"), before, "the same unconsumed entries, in the same order");
    t.false(value(b.enqueue("x", "client", 2, bytes("p2"), () => {})), "producer dedup moved along");
    t.true(value(b.enqueue("x", "client", 4, bytes("p4"), () => {})));
    // y still believes x lives on A: A answers notHere, y re-resolves and reaches B.
    cluster.router.routes.set("x", "A");
    transport.partition("Z", false);
    value(z.submitStep({ logicalDarq: "y", incarnation: yIncarnation, consumed: [], self: [],
      out: [{ to: "x", body: bytes("from-y-2") }] }, () => {}));
    sim.runFor(3_000);
    cluster.router.routes.set("x", "B");
    sim.run();
    t.deepEqual(entries(b, "x"), [...before, "in:p4", "in:from-y-2"]);
    t.deepEqual(entries(z, "z"), ["in:to-z"], "the unacked out-message arrived exactly once");
  });
}
