// An example external service behind the transactional outbox: an inventory of stock counts.
//
//   reserve {sku, qty, replyTo}  → takes qty from sku if there is enough and sends
//                                   `reserved` to replyTo, else sends `rejected` (with what is left)
//   release {sku, qty}           → puts qty back (creating the sku if it is new); no reply message
//
// The handler is written in callback style so the same code runs on SQLite (synchronously) and
// PostgreSQL. Its reply (recorded with the inbound message, returned to duplicates) says what
// happened. A malformed message is recorded as `invalid` rather than failed: failing it would
// make its sender retry it forever.

import { ok } from "../../io/result.ts";
import type { Done, OutboxHandler, OutboxInbound, OutboxTx } from "./outbox.ts";

export const inventorySchemaSql: readonly string[] = [
  "CREATE TABLE IF NOT EXISTS inventory (sku TEXT PRIMARY KEY, count INTEGER NOT NULL CHECK (count >= 0))",
];

export type InventoryRequest =
  | { readonly kind: "reserve"; readonly sku: string; readonly qty: number; readonly replyTo: string }
  | { readonly kind: "release"; readonly sku: string; readonly qty: number };

/** Sent to `replyTo` through the outbox; `request` names the inbound message it answers. */
export type InventoryAnswer = {
  readonly kind: "reserved" | "rejected";
  readonly sku: string;
  readonly qty: number;
  readonly request: { readonly source: string; readonly seq: number };
  /** For `rejected`: what was available. */
  readonly available?: number;
};

/** Recorded with the inbound message and returned by `receive`. */
export type InventoryReply =
  | { readonly kind: "reserved" | "released" }
  | { readonly kind: "rejected"; readonly available: number }
  | { readonly kind: "invalid"; readonly reason: string };

function requestProblem(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return "the body is not an object";
  const b = body as Record<string, unknown>;
  if (b["kind"] !== "reserve" && b["kind"] !== "release") return "kind must be reserve or release";
  if (typeof b["sku"] !== "string" || b["sku"].length === 0) return "sku must be a non-empty string";
  if (!Number.isSafeInteger(b["qty"]) || (b["qty"] as number) <= 0) return "qty must be a positive integer";
  if (b["kind"] === "reserve" && (typeof b["replyTo"] !== "string" || b["replyTo"].length === 0)) {
    return "replyTo must name who gets the answer";
  }
  return null;
}

export const inventoryHandler: OutboxHandler = (tx, message, done) => {
  const problem = requestProblem(message.body);
  if (problem !== null) return done(ok({ kind: "invalid", reason: problem } satisfies InventoryReply));
  const request = message.body as InventoryRequest;
  if (request.kind === "release") {
    tx.query(`INSERT INTO inventory (sku, count) VALUES (?, ?)
      ON CONFLICT (sku) DO UPDATE SET count = inventory.count + excluded.count`, [request.sku, request.qty],
    (released) => done(released.ok ? ok({ kind: "released" } satisfies InventoryReply) : released));
    return;
  }
  reserve(tx, message, request, done);
};

function reserve(tx: OutboxTx, message: OutboxInbound, request: InventoryRequest & { kind: "reserve" },
  done: Done<unknown>): void {
  const answer = { sku: request.sku, qty: request.qty, request: { source: message.source, seq: message.seq } };
  // One conditional update decides atomically, also under concurrent reservations.
  tx.query("UPDATE inventory SET count = count - ? WHERE sku = ? AND count >= ?",
    [request.qty, request.sku, request.qty], (taken) => {
      if (!taken.ok) return done(taken);
      if (taken.value.changes === 1) {
        tx.send(request.replyTo, { kind: "reserved", ...answer } satisfies InventoryAnswer);
        return done(ok({ kind: "reserved" } satisfies InventoryReply));
      }
      tx.query("SELECT count FROM inventory WHERE sku = ?", [request.sku], (found) => {
        if (!found.ok) return done(found);
        const available = Number(found.value.rows[0]?.["count"] ?? 0);
        tx.send(request.replyTo, { kind: "rejected", ...answer, available } satisfies InventoryAnswer);
        done(ok({ kind: "rejected", available } satisfies InventoryReply));
      });
    });
}
