// The PostgreSQL outbox beyond the shared contract: parallel transactions still number the outbox
// without gaps (ids 1..n, per-target seqs 1..k in id order); server failures and refused
// connections come back as outboxUnavailable results; bad schema names are refused.

import { spawnSync } from "node:child_process";
import test from "ava";
import pg from "pg";
import { ErrorCode } from "../../io/errors.ts";
import type { Result } from "../../io/result.ts";
import { postgresConnection, postgresProbeCommand, postgresProbeVerdict } from "../../catalog/postgres-probe.ts";
import { inventoryHandler, inventorySchemaSql } from "./inventory-service.ts";
import type { Outbox, OutboxMessage, OutboxReceipt } from "./outbox.ts";
import { outboxPostgresOpen, type OutboxPostgresOptions } from "./outbox-postgres.ts";

function open(options: OutboxPostgresOptions): Promise<Result<Outbox>> {
  return new Promise((resolve) => outboxPostgresOpen(options, resolve));
}

function promised<T>(op: (done: (r: Result<T>) => void) => void): Promise<Result<T>> {
  return new Promise((resolve) => op(resolve));
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client(postgresConnection);
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

test("a server that refuses connections gives outboxUnavailable from open", async (t) => {
  const opened = await open({ connection: { ...postgresConnection, port: 1 }, schema: "ssms_nowhere", handler: inventoryHandler });
  t.is(opened.ok ? "ok" : opened.code, ErrorCode.outboxUnavailable);
});

test("a schema name that is not a plain identifier is refused", async (t) => {
  const opened = await open({ connection: postgresConnection, schema: "Bad-Name", handler: inventoryHandler });
  t.is(opened.ok ? "ok" : opened.code, ErrorCode.argumentInvalid);
});

const probe = postgresProbeCommand();
const unreachable = postgresProbeVerdict(spawnSync(process.execPath, probe.args, probe.options));
const serverTest = unreachable === null ? test.serial : test.serial.skip;
if (unreachable !== null) console.log(`[outbox postgres] server cases skipped: ${unreachable}`);

serverTest("40 parallel reserves: ids 1..40 without gaps, per-target seqs 1..k in id order", async (t) => {
  const schema = `ssms_outbox_pg_${process.pid}_a`;
  const opened = await open({ connection: { ...postgresConnection, max: 8 }, schema, handler: inventoryHandler,
    serviceSchemaSql: inventorySchemaSql });
  if (!opened.ok) return t.fail(opened.reason);
  const outbox = opened.value;
  await promised<OutboxReceipt>((d) => outbox.receive({ source: "admin", seq: 1, body: { kind: "release", sku: "s", qty: 100 } }, d));
  const receipts = await Promise.all(Array.from({ length: 40 }, (_, i) => promised<OutboxReceipt>((d) => outbox.receive(
    { source: "shop", seq: i + 1, body: { kind: "reserve", sku: "s", qty: 1, replyTo: `t/${i % 3}` } }, d))));
  t.true(receipts.every((r) => r.ok && !r.value.duplicate));
  const read = await promised<readonly OutboxMessage[]>((d) => outbox.outboxRead(0, 100, d));
  if (!read.ok) return t.fail(read.reason);
  t.deepEqual(read.value.map((m) => m.id), Array.from({ length: 40 }, (_, i) => i + 1));
  for (const target of ["t/0", "t/1", "t/2"]) {
    const seqs = read.value.filter((m) => m.to === target).map((m) => m.seq);
    t.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), `${target} seqs`);
  }
  await promised<void>((d) => outbox.close(d));
  await dropSchema(schema);
});

serverTest("tables dropped underneath: receive and read answer outboxUnavailable, never throw", async (t) => {
  const schema = `ssms_outbox_pg_${process.pid}_b`;
  const opened = await open({ connection: postgresConnection, schema, handler: inventoryHandler, serviceSchemaSql: inventorySchemaSql });
  if (!opened.ok) return t.fail(opened.reason);
  await dropSchema(schema);
  const received = await promised<OutboxReceipt>((d) => opened.value.receive({ source: "a", seq: 1, body: null }, d));
  t.is(received.ok ? "ok" : received.code, ErrorCode.outboxUnavailable);
  const read = await promised<readonly OutboxMessage[]>((d) => opened.value.outboxRead(0, 10, d));
  t.is(read.ok ? "ok" : read.code, ErrorCode.outboxUnavailable);
  t.true(!read.ok && read.reason.includes(schema));
  await promised<void>((d) => opened.value.close(d));
});
