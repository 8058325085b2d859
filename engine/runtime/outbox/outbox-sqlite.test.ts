// The SQLite outbox beyond the shared contract: a process killed with SIGKILL mid-stream leaves
// state, inbox and outbox consistent (each committed message is in all three or in none);
// handler bugs surface as exceptions with their writes undone; unusable paths are results.

import test from "ava";
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ErrorCode } from "../../io/errors.ts";
import { ok } from "../../io/result.ts";
import { outboxPackr } from "./outbox-receive.ts";
import { inventoryHandler, inventorySchemaSql, type InventoryAnswer } from "./inventory-service.ts";
import { outboxSqliteOpen } from "./outbox-sqlite.ts";

function tempPath(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "ssms-outbox-"));
  return { dir, path: join(dir, "inventory.sqlite") };
}

test.serial("SIGKILL mid-stream: every committed reserve is in stock, inbox and outbox together, none half", async (t) => {
  const { dir, path } = tempPath();
  const child = spawn(process.execPath, ["--import=tsx", fileURLToPath(new URL("./outbox-crash-child.ts", import.meta.url)), path],
    { stdio: ["ignore", "pipe", "inherit"] });
  let reported = 0;
  await new Promise<void>((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      const lines = chunk.toString().trim().split("\n");
      reported = Math.max(reported, Number(lines[lines.length - 1]));
      if (reported >= 300) resolve();
    });
  });
  child.kill("SIGKILL");
  await new Promise((resolve) => child.on("exit", resolve));

  const db = new Database(path, { readonly: true });
  const inbox = db.prepare<[], { seq: number }>("SELECT seq FROM ssms_inbox WHERE source = 'shop' ORDER BY seq").all().map((r) => r.seq);
  const outbox = db.prepare<[], { seq: number; body: Buffer }>("SELECT seq, body FROM ssms_outbox ORDER BY id").all();
  const stock = db.prepare<[], { count: number }>("SELECT count FROM inventory WHERE sku = 'bolt'").get()?.count;
  db.close();
  t.true(inbox.length >= reported, `all ${reported} reported commits are durable (found ${inbox.length})`);
  t.deepEqual(inbox, Array.from({ length: inbox.length }, (_, i) => i + 1), "no gaps: commits are whole and in order");
  t.is(stock, 1_000_000 - inbox.length, "stock taken exactly once per recorded message");
  t.deepEqual(outbox.map((row) => (outboxPackr.unpack(row.body) as InventoryAnswer).request.seq), inbox,
    "one reply per recorded message");
  t.deepEqual(outbox.map((row) => row.seq), inbox, "per-target seqs 1, 2, 3, …");
  t.log(`killed after ${reported} reported commits; ${inbox.length} durable`);
  rmSync(dir, { recursive: true, force: true });
});

test.serial("a handler that throws has its writes undone and the exception surfaces", (t) => {
  const { dir, path } = tempPath();
  const opened = outboxSqliteOpen({ path, serviceSchemaSql: inventorySchemaSql, handler: (tx, m, done) => {
    if (m.seq === 2) {
      tx.query("DELETE FROM inventory", [], () => {});
      throw new Error("handler bug");
    }
    inventoryHandler(tx, m, done);
  } });
  if (!opened.ok) return t.fail(opened.reason);
  const outbox = opened.value;
  outbox.receive({ source: "admin", seq: 1, body: { kind: "release", sku: "nut", qty: 3 } }, (r) => t.true(r.ok));
  t.throws(() => outbox.receive({ source: "admin", seq: 2, body: null }, () => t.fail("no answer after a throw")),
    { message: "handler bug" });
  outbox.receive({ source: "admin", seq: 3, body: { kind: "release", sku: "nut", qty: 1 } }, (r) => t.true(r.ok));
  const db = new Database(path, { readonly: true });
  t.is(db.prepare<[], { count: number }>("SELECT count FROM inventory").get()?.count, 4);
  db.close();
  outbox.close(() => {});
  rmSync(dir, { recursive: true, force: true });
});

test.serial("a handler that answers later is refused on SQLite, and its transaction is not left open", (t) => {
  const { dir, path } = tempPath();
  let later: (() => void) | undefined;
  const opened = outboxSqliteOpen({ path, handler: (_tx, _m, done) => { later = () => done(ok(null)); } });
  if (!opened.ok) return t.fail(opened.reason);
  t.throws(() => opened.value.receive({ source: "s", seq: 1, body: null }, () => {}), { message: /must call done before it returns/ });
  t.throws(() => later?.(), { message: /after its transaction was abandoned/ });
  // Another connection can take the write lock at once: no transaction was left open.
  const other = new Database(path, { timeout: 0 });
  t.notThrows(() => other.exec("BEGIN IMMEDIATE; ROLLBACK"));
  other.close();
  opened.value.outboxRead(0, 10, (r) => t.deepEqual(r, ok([]), "nothing written"));
  opened.value.close(() => {});
  rmSync(dir, { recursive: true, force: true });
});

test("a path that cannot be opened gives outboxUnavailable naming the path", (t) => {
  const opened = outboxSqliteOpen({ path: "/nonexistent-dir/for-sure/x.sqlite", handler: inventoryHandler });
  t.is(opened.ok ? "ok" : opened.code, ErrorCode.outboxUnavailable);
  t.true(!opened.ok && opened.reason.includes("/nonexistent-dir/for-sure/x.sqlite"));
});
