// The CatalogStore contract (catalog-store.ts) as ava tests, registered once per implementation
// (STYLE 14): memory without and with modelled latency, SQLite, PostgreSQL. Every case opens a
// fresh, empty catalog; each title says what it proves.

import test from "ava";
import type { ExecutionContext } from "ava";
import { ErrorCode } from "../io/errors.ts";
import {
  activationFixture, must, nodeFixture, promised, refused, seed, type CatalogEnv, type CatalogHarness,
} from "./catalog-store.fixtures.ts";

type Case = (t: ExecutionContext, env: CatalogEnv) => Promise<void>;

const conflict = ErrorCode.catalogConflict;
const invalid = ErrorCode.argumentInvalid;

const cases: Readonly<Record<string, Case>> = {
  "types: register is idempotent per version, refuses a new module at an old version, lists in order":
    async (t, env) => {
      const s = promised(env);
      const v1 = { type: "pi", version: 1, module: "workloads/pi.ts" };
      t.deepEqual(must(t, await s.typeRegister(v1)), v1);
      t.deepEqual(must(t, await s.typeRegister({ ...v1 })), v1);
      refused(t, await s.typeRegister({ ...v1, module: "other.ts" }), conflict, "pi");
      const v2 = { type: "pi", version: 2, module: "workloads/pi-v2.ts" };
      const saga = { type: "saga", version: 1, module: "workloads/saga.ts" };
      must(t, await s.typeRegister(v2));
      must(t, await s.typeRegister(saga));
      t.deepEqual(must(t, await s.typeGet("pi", 1)), v1);
      t.deepEqual(must(t, await s.typeGet("pi", "latest")), v2);
      t.is(must(t, await s.typeGet("pi", 3)), null);
      t.is(must(t, await s.typeGet("nope", "latest")), null);
      t.deepEqual(must(t, await s.typeList()), [v1, v2, saga]);
      refused(t, await s.typeRegister({ type: "a/b", version: 1, module: "m" }), invalid, "a/b");
      refused(t, await s.typeRegister({ type: "x", version: 0, module: "m" }), invalid, "version");
    },

  "nodes: upsert inserts then replaces, get and list filter by kind and pool in id order": async (t, env) => {
    const s = promised(env);
    const c2 = nodeFixture("c2", "compute", "serverless");
    const c1 = nodeFixture("c1", "compute", "vm:D8s_v3");
    const d1 = nodeFixture("d1", "darq", "darq:ssd");
    for (const node of [c2, c1, d1]) t.deepEqual(must(t, await s.nodeUpsert(node)), node);
    const c1Draining = { ...c1, state: "draining" as const, address: "addr-new" };
    t.deepEqual(must(t, await s.nodeUpsert(c1Draining)), c1Draining);
    t.deepEqual(must(t, await s.nodeGet("c1")), c1Draining);
    t.is(must(t, await s.nodeGet("zz")), null);
    t.deepEqual(must(t, await s.nodeList({})), [c1Draining, c2, d1]);
    t.deepEqual(must(t, await s.nodeList({ kind: "compute" })), [c1Draining, c2]);
    t.deepEqual(must(t, await s.nodeList({ pool: "darq:ssd" })), [d1]);
    t.deepEqual(must(t, await s.nodeList({ kind: "darq", pool: "serverless" })), []);
    refused(t, await s.nodeUpsert({ ...c1, cores: -1 }), invalid, "cores");
  },

  "nodes: load update changes only the load; unknown nodes conflict; removal refuses nodes in use":
    async (t, env) => {
      const s = promised(env);
      await seed(t, env);
      const loaded = must(t, await s.nodeLoadUpdate("c2", 0.75));
      t.deepEqual(loaded, { ...nodeFixture("c2", "compute", "serverless"), loadFraction: 0.75 });
      refused(t, await s.nodeLoadUpdate("ghost", 0.5), conflict, "ghost");
      refused(t, await s.nodeLoadUpdate("c2", Number.NaN), invalid, "loadFraction");
      must(t, await s.activate(activationFixture("a")));
      refused(t, await s.nodeRemove("c1"), conflict, "c1");
      refused(t, await s.nodeRemove("d1"), conflict, "d1");
      t.true(must(t, await s.nodeRemove("c2")));
      t.false(must(t, await s.nodeRemove("c2")));
      t.is(must(t, await s.nodeGet("c2")), null);
    },

  "activate: inserts the row; activating an active id conflicts and leaves the first placement":
    async (t, env) => {
      const s = promised(env);
      await seed(t, env);
      const row = must(t, await s.activate(activationFixture("a")));
      t.deepEqual(row, { ...activationFixture("a"), version: row.version });
      t.true(Number.isSafeInteger(row.version) && row.version >= 1);
      t.deepEqual(must(t, await s.lookup("pi/a")), row);
      refused(t, await s.activate({ ...activationFixture("a", "d2", "7"), computeNode: "c2" }),
        conflict, "pi/a");
      t.deepEqual(must(t, await s.lookup("pi/a")), row);
      t.is(must(t, await s.lookup("pi/none")), null);
      t.is(must(t, await s.count()), 1);
    },

  "activate: refuses unknown type versions and nodes, a taken logical DARQ, and malformed ids":
    async (t, env) => {
      const s = promised(env);
      await seed(t, env);
      must(t, await s.activate(activationFixture("a", "d1", "1")));
      refused(t, await s.activate({ ...activationFixture("b", "d1", "2"), typeVersion: 9 }), conflict, "version 9");
      refused(t, await s.activate({ ...activationFixture("b", "d1", "2"), computeNode: "cx" }), conflict, "cx");
      refused(t, await s.activate(activationFixture("b", "dx", "2")), conflict, "dx");
      refused(t, await s.activate(activationFixture("b", "d1", "1")), conflict, "d1#1");
      refused(t, await s.activate({ ...activationFixture("b"), id: "saga/b" }), invalid, "saga/b");
      refused(t, await s.activate({ ...activationFixture("b"), id: "pi/" }), invalid, "pi/");
      refused(t, await s.activate({ ...activationFixture("b"), incarnation: 1.5 }), invalid, "incarnation");
      t.is(must(t, await s.count()), 1);
      must(t, await s.activate(activationFixture("b", "d2", "1")));
      t.is(must(t, await s.count()), 2);
    },

  "update: compare-and-set flips a migration once; stale versions and taken targets change nothing":
    async (t, env) => {
      const s = promised(env);
      await seed(t, env);
      const a = must(t, await s.activate(activationFixture("a", "d1", "1")));
      must(t, await s.activate(activationFixture("b", "d2", "5")));
      const flip = { darqNode: "d2", logicalDarq: "6", computeNode: "c2", incarnation: 1 } as const;
      const moved = must(t, await s.update("pi/a", a.version, flip));
      t.deepEqual(moved, { ...a, ...flip, version: moved.version });
      t.true(moved.version > a.version, "update gives a newer version");
      refused(t, await s.update("pi/a", a.version, { darqNode: "d1" }), conflict, `version ${a.version}`);
      refused(t, await s.update("pi/a", moved.version, { logicalDarq: "5" }), conflict, "d2#5");
      refused(t, await s.update("pi/a", moved.version, { computeNode: "cx" }), conflict, "cx");
      refused(t, await s.update("pi/none", 1, { state: "migrating" }), conflict, "not active");
      refused(t, await s.update("pi/a", moved.version, { state: "bogus" as "active" }), invalid, "state");
      t.deepEqual(must(t, await s.lookup("pi/a")), moved);
      t.deepEqual(must(t, await s.listByDarqNode("d1")), []);
      t.deepEqual((must(t, await s.listByDarqNode("d2"))).map((r) => r.id), ["pi/a", "pi/b"]);
      t.deepEqual((must(t, await s.listByComputeNode("c1"))).map((r) => r.id), ["pi/b"]);
      t.deepEqual(must(t, await s.listByComputeNode("c2")), [moved]);
    },

  "deactivate: compare-and-set removes the row; a reactivation never reuses an old version":
    async (t, env) => {
      const s = promised(env);
      await seed(t, env);
      const a = must(t, await s.activate(activationFixture("a")));
      const a2 = must(t, await s.update("pi/a", a.version, { state: "deactivating" }));
      refused(t, await s.deactivate("pi/a", a.version), conflict, "pi/a");
      t.deepEqual(must(t, await s.deactivate("pi/a", a2.version)), a2);
      t.is(must(t, await s.lookup("pi/a")), null);
      t.is(must(t, await s.count()), 0);
      refused(t, await s.deactivate("pi/a", a2.version), conflict, "not active");
      const again = must(t, await s.activate(activationFixture("a")));
      t.true(again.version > a2.version, "a new activation gets a version above every earlier one");
      refused(t, await s.update("pi/a", a.version, { incarnation: 9 }), conflict, "pi/a");
      t.true(must(t, await s.nodeRemove("c2")), "an unused node can go");
    },

  "concurrency: two activations of one id at once, from two handles, exactly one succeeds": async (t, env) => {
    await seed(t, env);
    const ids = Array.from({ length: 12 }, (_, i) => `k${i}`);
    const results = await new Promise<boolean[]>((resolve) => {
      const outcomes: boolean[] = [];
      let pending = ids.length * 2;
      ids.forEach((key, i) => {
        for (const [handle, logicalDarq] of [[env.store, `a${i}`], [env.second, `b${i}`]] as const) {
          handle.activate(activationFixture(key, "d1", logicalDarq), (r) => {
            if (!r.ok) t.is(r.code, conflict, r.reason);
            outcomes.push(r.ok);
            pending -= 1;
            if (pending === 0) resolve(outcomes);
          });
        }
      });
      env.drive();
    });
    t.is(results.filter((won) => won).length, ids.length, "one winner per id");
    t.is(must(t, await promised(env, env.second).count()), ids.length);
    const rows = must(t, await promised(env).listByDarqNode("d1"));
    t.deepEqual(rows.map((r) => r.id), ids.map((k) => `pi/${k}`).sort());
  },

  "rows are frozen copies: changing an input or an answer never changes the catalog": async (t, env) => {
    const s = promised(env);
    await seed(t, env);
    const input = { ...activationFixture("a") };
    const row = must(t, await s.activate(input));
    t.true(Object.isFrozen(row));
    (input as { computeNode: string }).computeNode = "c2";
    t.is(must(t, await s.lookup("pi/a"))?.computeNode, "c1");
  },
};

/** Registers every contract case for one implementation. */
export function catalogStoreContract(harness: CatalogHarness): void {
  for (const [title, body] of Object.entries(cases)) {
    test.serial(`${harness.name}: ${title}`, async (t) => {
      const env = await harness.open();
      try {
        await body(t, env);
      } finally {
        await env.close();
      }
    });
  }
}

/** Registers the cases as skipped, saying why (a store that cannot run here is never silent). */
export function catalogStoreContractSkipped(name: string, why: string): void {
  console.log(`[catalog contract] ${name} cases skipped: ${why}`);
  for (const title of Object.keys(cases)) test.skip(`${name}: ${title} (skipped: ${why})`, () => {});
}
