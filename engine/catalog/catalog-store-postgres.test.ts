// CatalogStorePostgres beyond the shared contract: failures of the server come back as
// catalogUnavailable results (never exceptions into the engine), bad schema names are refused,
// and a second store opening the same schema sees the first one's rows.

import { spawnSync } from "node:child_process";
import test from "ava";
import pg from "pg";
import { ErrorCode } from "../io/errors.ts";
import type { Result } from "../io/result.ts";
import { CatalogStorePostgres, type CatalogStorePostgresOptions } from "./catalog-store-postgres.ts";
import { activationFixture, nodeFixture } from "./catalog-store.fixtures.ts";
import { postgresConnection, postgresProbeCommand, postgresProbeVerdict } from "./postgres-probe.ts";

function open(options: CatalogStorePostgresOptions): Promise<Result<CatalogStorePostgres>> {
  return new Promise((resolve) => CatalogStorePostgres.open(options, resolve));
}

function promise<T>(op: (done: (r: Result<T>) => void) => void): Promise<Result<T>> {
  return new Promise((resolve) => op(resolve));
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client(postgresConnection);
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

test("a server that refuses connections gives catalogUnavailable from open, not an exception", async (t) => {
  // Port 1 on loopback has no listener, so the connection is refused at once.
  const opened = await open({ connection: { ...postgresConnection, port: 1 }, schema: "ssms_nowhere" });
  t.false(opened.ok);
  if (!opened.ok) {
    t.is(opened.code, ErrorCode.catalogUnavailable);
    t.true(opened.reason.includes("ssms_nowhere"), opened.reason);
  }
});

test("a schema name that is not a plain identifier is refused with argumentInvalid", async (t) => {
  const opened = await open({ connection: postgresConnection, schema: 'x"; DROP TABLE y; --' });
  t.is(opened.ok ? "ok" : opened.code, ErrorCode.argumentInvalid);
});

const probe = postgresProbeCommand();
const unreachable = postgresProbeVerdict(spawnSync(process.execPath, probe.args, probe.options));
const serverTest = unreachable === null ? test.serial : test.serial.skip;
if (unreachable !== null) console.log(`[catalog postgres] server cases skipped: ${unreachable}`);

serverTest("two stores on one schema share rows; tables dropped underneath give results, not throws", async (t) => {
  const schema = `ssms_catalog_pg_${process.pid}`;
  const first = value(await open({ connection: postgresConnection, schema }));
  value(await promise((d) => first.typeRegister({ type: "pi", version: 1, module: "workloads/pi.ts" }, d)));
  value(await promise((d) => first.nodeUpsert(nodeFixture("c1", "compute", "vm:D8s_v3"), d)));
  value(await promise((d) => first.nodeUpsert(nodeFixture("d1", "darq", "darq:ssd"), d)));
  const row = value(await promise((d) => first.activate(activationFixture("a"), d)));
  const second = value(await open({ connection: postgresConnection, schema }));
  t.deepEqual(value(await promise((d) => second.lookup("pi/a", d))), row);
  await dropSchema(schema);
  const after = await promise((d) => second.lookup("pi/a", d));
  t.is(after.ok ? "ok" : after.code, ErrorCode.catalogUnavailable);
  t.true(!after.ok && after.reason.includes(schema), after.ok ? "" : after.reason);
  await promise((d) => first.close(d));
  await promise((d) => second.close(d));
});
