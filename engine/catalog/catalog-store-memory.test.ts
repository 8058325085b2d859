// CatalogStoreMemory beyond the shared contract: the modelled latency and outages the simulator
// relies on. Time here is virtual (ClockTest), so the tests check modelled time, not wall time.

import test from "ava";
import { ErrorCode } from "../io/errors.ts";
import type { Result } from "../io/result.ts";
import type { ActiveAutomatonRow } from "./catalog-rows.ts";
import { CatalogStoreMemory, catalogLatencyUsCloudSql } from "./catalog-store-memory.ts";
import { activationFixture, nodeFixture } from "./catalog-store.fixtures.ts";
import { ClockTest, RandomTest } from "./test-seams.ts";

function seeded(store: CatalogStoreMemory): void {
  store.typeRegister({ type: "pi", version: 1, module: "workloads/pi.ts" }, () => {});
  store.nodeUpsert(nodeFixture("c1", "compute", "vm:D8s_v3"), () => {});
  store.nodeUpsert(nodeFixture("d1", "darq", "darq:ssd"), () => {});
}

test("without a latency model every callback runs synchronously", (t) => {
  const store = new CatalogStoreMemory();
  seeded(store);
  let answer: Result<ActiveAutomatonRow> | undefined;
  store.activate(activationFixture("a"), (r) => (answer = r));
  t.true(answer?.ok);
});

test("with a latency model callbacks fire after 1–4 ms of modelled time, never inside the call", (t) => {
  const clock = new ClockTest();
  const store = new CatalogStoreMemory({ clock, random: new RandomTest("lat"), latencyUs: catalogLatencyUsCloudSql });
  seeded(store);
  const firedAtUs: number[] = [];
  for (let i = 0; i < 50; i += 1) store.lookup(`pi/${i}`, () => firedAtUs.push(clock.nowUs()));
  t.is(firedAtUs.length, 0, "nothing fires before time passes");
  t.is(store.pendingCount, 53);
  clock.runAll();
  t.is(firedAtUs.length, 50);
  t.is(store.pendingCount, 0);
  t.true(firedAtUs.every((us) => us >= 1_000 && us <= 4_000), `latencies ${firedAtUs.join(",")}`);
  t.true(new Set(firedAtUs).size > 10, "latencies vary with the random stream");
});

test("the same seed gives the same completion times and order", (t) => {
  const run = (seed: string): string[] => {
    const clock = new ClockTest();
    const store = new CatalogStoreMemory({ clock, random: new RandomTest(seed), latencyUs: catalogLatencyUsCloudSql });
    const log: string[] = [];
    for (let i = 0; i < 20; i += 1) store.count(() => log.push(`${i}@${clock.nowUs()}`));
    clock.runAll();
    return log;
  };
  t.deepEqual(run("x"), run("x"));
  t.notDeepEqual(run("x"), run("y"));
});

test("operations take effect when their round trip completes: a faster second activation wins", (t) => {
  const clock = new ClockTest();
  const delays = [1_000, 1_000, 1_000, 3_000, 1_000]; // three seed operations, then slow, fast
  const store = new CatalogStoreMemory({ clock, random: new RandomTest("z"), latencyUs: () => delays.shift() ?? 1 });
  seeded(store);
  clock.runAll();
  const outcomes: string[] = [];
  store.activate({ ...activationFixture("a"), logicalDarq: "1" }, (r) => outcomes.push(`slow:${r.ok}`));
  store.activate({ ...activationFixture("a"), logicalDarq: "2" }, (r) => outcomes.push(`fast:${r.ok}`));
  clock.runAll();
  t.deepEqual(outcomes, ["fast:true", "slow:false"]);
});

test("an outage fails operations with catalogUnavailable and changes nothing; afterwards it works", (t) => {
  t.plan(3);
  const store = new CatalogStoreMemory();
  seeded(store);
  store.unavailableSet(true);
  store.activate(activationFixture("a"), (r) => t.is(r.ok ? "ok" : r.code, ErrorCode.catalogUnavailable));
  store.unavailableSet(false);
  store.lookup("pi/a", (r) => t.deepEqual(r, { ok: true, value: null }));
  store.activate(activationFixture("a"), (r) => t.true(r.ok));
});
