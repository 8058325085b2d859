// The transactional outbox: how an external SQL service joins SSMS as if it were an automaton
// (paper §3.2, DESIGN §4; the pattern of microservices.io "Transactional Outbox").
//
// The service keeps its state in its own tables. For each inbound message the wrapper runs the
// service's handler inside ONE database transaction that also records the message as processed
// (dedup by (source, seq)) and writes the handler's outbound messages to an outbox table. Either
// all three happen or none. A relay (outbox-relay.ts) then reads the outbox in order and hands
// each message to a sender, deleting it only after the sender acknowledges. Together these give
// the same guarantees a DARQ step gives an automaton: a message's effects happen exactly once,
// and every outbound message is delivered at least once, in order, with (producer, seq) numbers
// that let the receiver drop duplicates, so it appears there exactly once.
//
// Contract (every implementation; proved by outbox.contract.ts):
// - `receive` runs the handler at most once per (source, seq) that commits: a duplicate, also one
//   that arrives concurrently or after a restart, is answered with the reply the first run
//   recorded (`duplicate: true`) without running the handler. A handler that answers an error
//   rolls back its state changes and sends, records nothing, and the error is returned; the
//   message then counts as not processed and a redelivery runs the handler again.
// - Outbound messages get an `id` that increases in commit order and is never reused, and a
//   `seq` that counts 1, 2, 3, … per target, so a DARQ's (producer, seq) dedup stays compact.
// - `outboxRead(afterId)` answers unacknowledged messages with id > afterId in id order;
//   `outboxAck` deletes them (idempotent). Messages survive closing and reopening the database.
// - `inboxPrune(source, seqBelow)` forgets replies below `seqBelow` to bound the inbox; later
//   arrivals below it are still recognised as duplicates, answered with reply null.
// - `watch` listeners run after each commit that wrote outbound messages (the relay's cue).
// - Every operation completes through its callback exactly once; database failures come back
//   as outboxUnavailable results, never as exceptions. Callbacks are synchronous on SQLite and
//   asynchronous on PostgreSQL; handlers must work with both (call `done` from callbacks).

import type { Result } from "../../io/result.ts";

/** A completion callback; called exactly once per operation. */
export type Done<T> = (result: Result<T>) => void;

/** A message for the service: `seq` is the producer's sequence number (integer ≥ 0). */
export type OutboxInbound = { readonly source: string; readonly seq: number; readonly body: unknown };

/** A message waiting in the outbox: `to` gets it as (producer = the service, `seq`). */
export type OutboxMessage = {
  /** Position in the outbox: increasing in commit order, never reused; acks name it. */
  readonly id: number;
  readonly to: string;
  /** 1, 2, 3, … per target. */
  readonly seq: number;
  readonly body: unknown;
};

/** What `receive` answers: the handler's reply, recorded with the message. */
export type OutboxReceipt = { readonly duplicate: boolean; readonly reply: unknown };

export type SqlValue = string | number | bigint | Uint8Array | null;
export type SqlRow = Readonly<Record<string, unknown>>;
/** Rows of a query (or of RETURNING), and how many rows a write changed. */
export type SqlOutcome = { readonly rows: readonly SqlRow[]; readonly changes: number };

/** What a handler may do inside the transaction. */
export interface OutboxTx {
  /**
   * Runs one statement of the service. Placeholders are `?` on every database (rewritten to
   * `$n` for PostgreSQL); write SQL both accept (standard SQL, `ON CONFLICT`, `RETURNING`).
   * Integer columns declared BIGINT come back as strings from PostgreSQL; prefer INTEGER.
   */
  query(sql: string, params: readonly SqlValue[], done: Done<SqlOutcome>): void;
  /** Stages an outbound message (msgpack-encodable body), written with the transaction. */
  send(to: string, body: unknown): void;
}

/**
 * The service's logic for one inbound message. Answers the reply to record (msgpack-encodable;
 * duplicates get it back) or an error to roll everything back. PostgreSQL runs handlers at READ
 * COMMITTED: use conditional updates or SELECT … FOR UPDATE for read-modify-write.
 */
export type OutboxHandler = (tx: OutboxTx, message: OutboxInbound, done: Done<unknown>) => void;

export interface Outbox {
  receive(message: OutboxInbound, done: Done<OutboxReceipt>): void;
  outboxRead(afterId: number, countMax: number, done: Done<readonly OutboxMessage[]>): void;
  /** Deletes acknowledged messages; answers how many were still there. */
  outboxAck(ids: readonly number[], done: Done<number>): void;
  /** Forgets the replies of `source` below `seqBelow`; answers how many were dropped. */
  inboxPrune(source: string, seqBelow: number, done: Done<number>): void;
  /** Calls `listener` after each commit that wrote outbound messages; returns the unsubscribe. */
  watch(listener: () => void): () => void;
  close(done: Done<void>): void;
}

/** Most outbound messages one handler run may stage. */
export const outboxSendsPerReceiveMax = 1_000;
/** Most messages one `outboxRead` or `outboxAck` may name. */
export const outboxBatchCountMax = 10_000;
