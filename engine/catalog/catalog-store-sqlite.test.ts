// CatalogStoreSqlite beyond the shared contract: durability across a reopen, WAL mode, errors on
// an unusable path, and two real processes racing to activate the same automata on one file.

import test from "ava";
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ErrorCode } from "../io/errors.ts";
import type { Result } from "../io/result.ts";
import { CatalogStoreSqlite } from "./catalog-store-sqlite.ts";
import { activationFixture, nodeFixture } from "./catalog-store.fixtures.ts";

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

function seededAt(path: string): CatalogStoreSqlite {
  const store = value(CatalogStoreSqlite.open({ path }));
  store.typeRegister({ type: "pi", version: 1, module: "workloads/pi.ts" }, value);
  store.nodeUpsert(nodeFixture("c1", "compute", "vm:D8s_v3"), value);
  store.nodeUpsert(nodeFixture("d1", "darq", "darq:ssd"), value);
  return store;
}

test.serial("rows survive closing and reopening the file, and the file is in WAL mode", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ssms-catalog-"));
  const path = join(dir, "catalog.sqlite");
  const first = seededAt(path);
  let activated: unknown;
  first.activate(activationFixture("a"), (r) => (activated = value(r)));
  first.close(value);
  const again = value(CatalogStoreSqlite.open({ path }));
  again.lookup("pi/a", (r) => t.deepEqual(value(r), activated));
  again.typeList((r) => t.is(value(r).length, 1));
  again.close(value);
  const raw = new Database(path, { readonly: true });
  t.is(raw.pragma("journal_mode", { simple: true }), "wal");
  raw.close();
  rmSync(dir, { recursive: true, force: true });
});

test.serial("\":memory:\" opens a private catalog", (t) => {
  const store = seededAt(":memory:");
  store.activate(activationFixture("a"), (r) => t.true(r.ok));
  store.count((r) => t.is(value(r), 1));
  store.close(value);
});

test.serial("a path that cannot be opened gives catalogUnavailable naming the path", (t) => {
  const opened = CatalogStoreSqlite.open({ path: "/nonexistent-dir/for-sure/catalog.sqlite" });
  t.false(opened.ok);
  if (!opened.ok) {
    t.is(opened.code, ErrorCode.catalogUnavailable);
    t.true(opened.reason.includes("/nonexistent-dir/for-sure/catalog.sqlite"));
  }
});

type Racer = { ready: Promise<void>; go: () => void; result: Promise<{ won: string[]; failures: string[] }> };

function racer(path: string, count: number, offset: number): Racer {
  const script = fileURLToPath(new URL("./catalog-sqlite-racer.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import=tsx", script, path, String(count), String(offset)],
    { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  let readyResolve = (): void => {};
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith("ready\n")) readyResolve();
  });
  const result = new Promise<{ won: string[]; failures: string[] }>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.slice("ready\n".length))) : reject(new Error(`racer exited ${code}`))));
  });
  return { ready, go: () => child.stdin.write("go\n"), result };
}

test.serial("two processes activating the same 300 ids on one file: every id is won exactly once", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ssms-catalog-"));
  const path = join(dir, "catalog.sqlite");
  seededAt(path).close(value);
  const count = 300;
  const racers = [racer(path, count, 0), racer(path, count, 1_000)];
  await Promise.all(racers.map((r) => r.ready));
  for (const r of racers) r.go();
  const [a, b] = await Promise.all(racers.map((r) => r.result));
  if (a === undefined || b === undefined) return t.fail("racers missing");
  t.deepEqual([...a.failures, ...b.failures], [], "no storage failures, only conflicts");
  const winners = [...a.won, ...b.won];
  t.is(winners.length, count, "one winner per id");
  t.is(new Set(winners).size, count, "no id won twice");
  const check = value(CatalogStoreSqlite.open({ path }));
  check.count((r) => t.is(value(r), count));
  check.close(value);
  t.log(`process A won ${a.won.length}, process B won ${b.won.length}`);
  rmSync(dir, { recursive: true, force: true });
});
