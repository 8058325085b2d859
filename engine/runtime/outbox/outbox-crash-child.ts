// A child process for outbox-sqlite.test.ts: opens the inventory service's SQLite outbox at
// argv[2] and receives reserve messages (source "shop", seq 1, 2, 3, …, qty 1) forever, printing
// each committed seq on stdout, until the parent kills it with SIGKILL mid-stream.

import { inventoryHandler, inventorySchemaSql } from "./inventory-service.ts";
import { outboxSqliteOpen } from "./outbox-sqlite.ts";

const opened = outboxSqliteOpen({ path: process.argv[2] ?? "", handler: inventoryHandler, serviceSchemaSql: inventorySchemaSql });
if (!opened.ok) throw new Error(opened.reason);
const outbox = opened.value;
outbox.receive({ source: "admin", seq: 1, body: { kind: "release", sku: "bolt", qty: 1_000_000 } }, () => {});

// A plain loop: SQLite callbacks run inside each call, and stdout writes to a pipe are
// synchronous on Linux, so every printed seq was committed before it was printed.
for (let seq = 1; ; seq += 1) {
  outbox.receive({ source: "shop", seq, body: { kind: "reserve", sku: "bolt", qty: 1, replyTo: "order/x" } }, (r) => {
    if (!r.ok) throw new Error(r.reason);
    process.stdout.write(`${seq}\n`);
  });
}
