// Runs the CatalogStore contract (catalog-store.contract.ts) against every implementation: the
// memory store synchronously and with modelled cloud-SQL latency, SQLite on a real file in a temp
// directory, and PostgreSQL at 127.0.0.1:5432 in a fresh schema that is dropped afterwards. If
// the PostgreSQL server cannot be reached its cases are registered as skipped with the reason
// printed, never silently dropped.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Result } from "../io/result.ts";
import { CatalogStoreMemory, catalogLatencyUsCloudSql } from "./catalog-store-memory.ts";
import { CatalogStorePostgres } from "./catalog-store-postgres.ts";
import { CatalogStoreSqlite } from "./catalog-store-sqlite.ts";
import { catalogStoreContract, catalogStoreContractSkipped } from "./catalog-store.contract.ts";
import type { CatalogEnv } from "./catalog-store.fixtures.ts";
import { postgresConnection, postgresProbeCommand, postgresProbeVerdict } from "./postgres-probe.ts";
import { ClockTest, RandomTest } from "./test-seams.ts";

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

function closeBoth(first: { close(done: (r: Result<void>) => void): void }, second?: typeof first): Promise<void> {
  return new Promise((resolve) => first.close(() => (second === undefined ? resolve() : second.close(() => resolve()))));
}

catalogStoreContract({
  name: "memory",
  open: async (): Promise<CatalogEnv> => {
    const store = new CatalogStoreMemory();
    return { store, second: store, drive: () => {}, close: () => closeBoth(store) };
  },
});

catalogStoreContract({
  name: "memory with modelled latency",
  open: async (): Promise<CatalogEnv> => {
    const clock = new ClockTest();
    const store = new CatalogStoreMemory({ clock, random: new RandomTest("catalog"), latencyUs: catalogLatencyUsCloudSql });
    return { store, second: store, drive: () => clock.runAll(), close: () => closeBoth(store) };
  },
});

catalogStoreContract({
  name: "sqlite",
  open: async (): Promise<CatalogEnv> => {
    const dir = mkdtempSync(join(tmpdir(), "ssms-catalog-"));
    const path = join(dir, "catalog.sqlite");
    const store = value(CatalogStoreSqlite.open({ path }));
    const second = value(CatalogStoreSqlite.open({ path }));
    return {
      store, second, drive: () => {},
      close: async () => {
        await closeBoth(store, second);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

let schemaCount = 0;

async function postgresEnv(): Promise<CatalogEnv> {
  schemaCount += 1;
  const schema = `ssms_catalog_test_${process.pid}_${schemaCount}`;
  const open = (): Promise<CatalogStorePostgres> => new Promise((resolve, reject) =>
    CatalogStorePostgres.open({ connection: postgresConnection, schema },
      (r) => (r.ok ? resolve(r.value) : reject(new Error(r.reason)))));
  // Two stores with their own pools: the concurrency case then races two connections, as two
  // machines of a cluster would.
  const store = await open();
  const second = await open();
  return {
    store, second, drive: () => {},
    close: async () => {
      await closeBoth(store, second);
      const client = new pg.Client(postgresConnection);
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

const probe = postgresProbeCommand();
const unreachable = postgresProbeVerdict(spawnSync(process.execPath, probe.args, probe.options));
if (unreachable === null) catalogStoreContract({ name: "postgres", open: postgresEnv });
else catalogStoreContractSkipped("postgres", unreachable);
