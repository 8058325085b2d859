// Runs the Outbox contract (outbox.contract.ts) on SQLite, on a real file in a temp directory,
// and on PostgreSQL at 127.0.0.1:5432 in a fresh schema dropped afterwards. If the PostgreSQL
// server cannot be reached its cases are registered as skipped with the reason printed.

import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Result } from "../../io/result.ts";
import { postgresConnection, postgresProbeCommand, postgresProbeVerdict } from "../../catalog/postgres-probe.ts";
import { inventorySchemaSql } from "./inventory-service.ts";
import type { Outbox } from "./outbox.ts";
import { outboxContract, outboxContractSkipped, type OutboxStorage } from "./outbox.contract.ts";
import { outboxPostgresOpen } from "./outbox-postgres.ts";
import { outboxSqliteOpen } from "./outbox-sqlite.ts";

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2));

outboxContract({
  name: "sqlite",
  pause,
  create: async (): Promise<OutboxStorage> => {
    const dir = mkdtempSync(join(tmpdir(), "ssms-outbox-"));
    const path = join(dir, "inventory.sqlite");
    return {
      open: async (handler) => value(outboxSqliteOpen({ path, handler, serviceSchemaSql: inventorySchemaSql })),
      stock: async (sku) => {
        const raw = new Database(path, { readonly: true });
        const row = raw.prepare<[string], { count: number }>("SELECT count FROM inventory WHERE sku = ?").get(sku);
        raw.close();
        return row === undefined ? null : row.count;
      },
      destroy: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
});

let schemaCount = 0;

async function postgresStorage(): Promise<OutboxStorage> {
  schemaCount += 1;
  const schema = `ssms_outbox_test_${process.pid}_${schemaCount}`;
  const admin = new pg.Client(postgresConnection);
  await admin.connect();
  return {
    open: (handler) => new Promise<Outbox>((resolve, reject) => outboxPostgresOpen(
      { connection: postgresConnection, schema, handler, serviceSchemaSql: inventorySchemaSql },
      (r) => (r.ok ? resolve(r.value) : reject(new Error(r.reason))))),
    stock: async (sku) => {
      const result = await admin.query<{ count: number }>(`SELECT count FROM "${schema}".inventory WHERE sku = $1`, [sku]);
      return result.rows[0]?.count ?? null;
    },
    destroy: async () => {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

const probe = postgresProbeCommand();
const unreachable = postgresProbeVerdict(spawnSync(process.execPath, probe.args, probe.options));
if (unreachable === null) outboxContract({ name: "postgres", create: postgresStorage, pause });
else outboxContractSkipped("postgres", unreachable);
