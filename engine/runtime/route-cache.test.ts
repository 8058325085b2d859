// RouteCache: cached id → DARQ address filled from the catalog, waiters queued while a lookup is
// in flight, activation asked for when the catalog has no row (rate-limited), fixed and client
// routes that bypass the catalog, bounded waiters — and the lazy invalidation protocol end to end:
// a DARQ whose cached route went stale after the automaton's catalog row moved gets "not here",
// invalidates, asks the catalog again and delivers to the new home, exactly once.

import test from "ava";
import { LogDeviceMemory } from "../io/log-device-memory.ts";
import { CatalogStoreMemory } from "../catalog/catalog-store-memory.ts";
import { ClockTest } from "../catalog/test-seams.ts";
import { EntryKind, PhysicalDarq } from "../darq/index.ts";
import { Simulator } from "../../sim/simulator.ts";
import { LinkModelConstant, TransportSim } from "../../sim/transport-sim.ts";
import type { Result } from "../io/result.ts";
import { clientReplyAddress, RouteCache } from "./route-cache.ts";

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

function catalogWith(nodes: readonly string[], types: readonly string[]): CatalogStoreMemory {
  const catalog = new CatalogStoreMemory();
  for (const type of types) catalog.typeRegister({ type, version: 1, module: type }, value);
  for (const id of [...nodes, "c1"]) {
    catalog.nodeUpsert({
      id, kind: id.startsWith("c") ? "compute" : "darq", pool: "p", zone: "z", cores: 1, memoryMiB: 1,
      address: `addr-${id}`, loadFraction: 0, state: "up",
    }, value);
  }
  return catalog;
}

function activate(catalog: CatalogStoreMemory, id: string, darqNode: string): number {
  let version = 0;
  catalog.activate({
    id, type: id.slice(0, id.indexOf("/")), typeVersion: 1, computeNode: "c1", darqNode, logicalDarq: id,
    incarnation: 0, state: "active",
  }, (row) => {
    version = value(row).version;
  });
  return version;
}

test("a miss looks the row up once, queues waiters, then serves hits from the cache", (t) => {
  const catalog = catalogWith(["d1"], ["counter"]);
  activate(catalog, "counter/a", "d1");
  const clock = new ClockTest();
  const routes = new RouteCache({ catalog, clock, activationRequest: () => t.fail("no activation expected") });
  const got: string[] = [];
  value(routes.resolveThen("counter/a", (address) => got.push(address)));
  t.deepEqual(got, ["addr-d1"]);
  t.is(routes.resolve("counter/a"), "addr-d1");
  t.is(routes.resolve("counter/a"), "addr-d1");
  t.deepEqual({ hits: routes.stats.hits, lookups: routes.stats.lookups }, { hits: 2, lookups: 1 });
  routes.invalidate("counter/a");
  t.is(routes.size, 0);
});

test("no catalog row: activation is asked for, rate-limited, and waiters get the route once it exists", (t) => {
  const catalog = catalogWith(["d1"], ["counter"]);
  const clock = new ClockTest();
  const asked: string[] = [];
  const routes = new RouteCache({ catalog, clock, activationRequest: (id) => asked.push(id), activationRetryUs: 50_000 });
  const got: string[] = [];
  value(routes.resolveThen("counter/b", (address) => got.push(address)));
  value(routes.resolveThen("counter/b", (address) => got.push(`second ${address}`)));
  t.deepEqual(asked, ["counter/b"]);
  clock.advance(20_000); // lookups retry with backoff while someone waits; activation is not re-asked yet
  t.deepEqual(asked, ["counter/b"]);
  t.deepEqual(got, []);
  activate(catalog, "counter/b", "d1");
  clock.advance(200_000);
  t.deepEqual(got, ["addr-d1", "second addr-d1"]);
  t.is(clock.pendingCount(), 0, "no retry timer is left once nobody waits");
});

test("fixed routes, fixed types and client reply ids bypass the catalog", (t) => {
  const catalog = catalogWith([], []);
  const routes = new RouteCache({
    catalog, clock: new ClockTest(), activationRequest: () => t.fail("no activation expected"),
    fixed: new Map([["ssms.meta/main", "meta-addr"]]), fixedTypes: new Map([["sink", "sink-addr"]]),
  });
  t.is(routes.resolve("ssms.meta/main"), "meta-addr");
  t.is(routes.resolve("sink/out"), "sink-addr");
  t.is(routes.resolve("ssms.client/client:a/17"), "client:a");
  t.is(clientReplyAddress("ssms.client/x"), "x");
  t.is(clientReplyAddress("counter/x"), undefined);
  t.is(routes.stats.lookups, 0);
});

test("waiters are bounded: past waitersMax, resolveThen fails with limitExceeded", (t) => {
  const catalog = catalogWith(["d1"], ["counter"]);
  const routes = new RouteCache({ catalog, clock: new ClockTest(), activationRequest: () => undefined, waitersMax: 2 });
  t.true(routes.resolveThen("counter/x", () => undefined).ok);
  t.true(routes.resolveThen("counter/y", () => undefined).ok);
  const third = routes.resolveThen("counter/z", () => undefined);
  t.false(third.ok);
  if (!third.ok) t.is(third.code, "SSMS_ERR_LIMIT_EXCEEDED");
});

test("a stale cached route after the catalog row moved: notHere, invalidate, re-resolve, delivered once", (t) => {
  const sim = new Simulator({ seed: "stale-route" });
  const transport = new TransportSim(sim.queue, new LinkModelConstant({ latencyUsDefault: 100 }));
  const catalog = catalogWith(["src", "old", "new"], ["counter", "sender"]);
  activate(catalog, "sender/s", "src");
  const version = activate(catalog, "counter/x", "old");
  const routes = new RouteCache({ catalog, clock: sim.clock, activationRequest: () => t.fail("no activation expected") });
  const open = (name: string, router: RouteCache | { resolve: () => undefined; invalidate: () => void }): PhysicalDarq =>
    PhysicalDarq.open({ device: new LogDeviceMemory(), clock: sim.clock, transport, router, address: `addr-${name}`,
      config: { retryUsMin: 1_000, retriesBeforeResolve: 1_000 } });
  const noRoutes = { resolve: () => undefined, invalidate: () => undefined };
  const source = open("src", routes);
  open("old", noRoutes); // the old home: it does not host counter/x (any more)
  const target = open("new", noRoutes);
  value(source.host("sender/s"));
  value(target.host("counter/x"));
  let incarnation = 0;
  value(source.register("sender/s", () => undefined, (_failure, registered) => {
    incarnation = registered;
  }));
  sim.runFor(10_000);
  // The sender resolves counter/x to its old home and caches it, then the row moves.
  t.is(routes.resolve("counter/x"), "addr-old");
  catalog.update("counter/x", version, { darqNode: "new" }, value);
  const body = new TextEncoder().encode("hello");
  value(source.submitStep({ logicalDarq: "sender/s", incarnation, consumed: [], self: [], out: [{ to: "counter/x", body }] }, () => undefined));
  sim.runFor(200_000);
  const arrived = value(target.readUnconsumed("counter/x")).filter((entry) => entry.kind === EntryKind.in);
  t.is(arrived.length, 1, "delivered exactly once at the new home");
  t.deepEqual(arrived[0]!.body, body);
  t.true(source.senderStats.notHere >= 1, "the old home answered not here");
  t.true(routes.stats.invalidations >= 1);
  t.is(routes.resolve("counter/x"), "addr-new");
});
