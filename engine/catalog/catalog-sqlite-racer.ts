// A child process for catalog-store-sqlite.test.ts: opens the SQLite catalog at argv[2] and
// activates automata pi/0 … pi/(count-1) as fast as it can, each on logical DARQ `offset + i`,
// then prints one JSON line: the ids it won. Two of these racing on one file show that SQLite's
// locking and the schema's keys refuse double activation between processes. Each prints "ready"
// once open and starts on the first line from stdin, so the parent can start both at once.

import { CatalogStoreSqlite } from "./catalog-store-sqlite.ts";

const [path, countText, offsetText] = process.argv.slice(2);
const count = Number(countText);
const offset = Number(offsetText);
const opened = CatalogStoreSqlite.open({ path: path ?? "", busyTimeoutMs: 10_000 });
if (!opened.ok) throw new Error(opened.reason);
function race(store: CatalogStoreSqlite): void {
  const won: string[] = [];
  const failures: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const row = { id: `pi/${i}`, type: "pi", typeVersion: 1, computeNode: "c1", darqNode: "d1",
      logicalDarq: `${offset}-${i}`, incarnation: 0, state: "active" as const };
    store.activate(row, (r) => {
      if (r.ok) won.push(row.id);
      else if (r.code !== "SSMS_ERR_CATALOG_CONFLICT") failures.push(r.reason);
    });
  }
  store.close(() => {});
  process.stdout.write(`${JSON.stringify({ won, failures })}\n`);
  process.stdin.destroy();
}

const store = opened.value;
process.stdin.once("data", () => race(store));
process.stdout.write("ready\n");
