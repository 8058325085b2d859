// The outbox's tables and statements, shared by the SQLite and PostgreSQL implementations, and
// the small database interface (OutboxSqlDatabase) each of them adapts its driver to. The
// receive logic (outbox-core.ts) is written once against that interface.
//
// Tables (prefixed ssms_ so they never clash with the service's own):
// - ssms_inbox (source, seq) → reply: one row per processed inbound message.
// - ssms_inbox_floor source → seq_floor: everything below the floor was processed and pruned.
// - ssms_outbox id → (target, seq, body): unacknowledged outbound messages.
// - ssms_outbox_target target → seq_last: per-target sequence numbers.
// - ssms_outbox_counter: the last id handed out. A transaction takes it just before commit, so
//   on PostgreSQL concurrent transactions get their ids in commit order (the row lock is held
//   until commit) and a relay reading "id > cursor" can never skip a later-committed lower id.

import type { Done, SqlOutcome } from "./outbox.ts";

/** One connection's view: run a statement with `?` placeholders. */
export interface OutboxSqlConnection {
  query(sql: string, params: readonly unknown[], done: Done<SqlOutcome>): void;
}

/** A transaction on a connection of its own; exactly one of commit or rollback ends it. */
export interface OutboxSqlTransaction extends OutboxSqlConnection {
  commit(done: Done<void>): void;
  rollback(done: Done<void>): void;
}

export interface OutboxSqlDatabase extends OutboxSqlConnection {
  /** True when every callback runs before the call returns (SQLite). */
  readonly synchronous: boolean;
  /** Names the database in error messages, e.g. "outbox (SQLite at /srv/inventory.db)". */
  readonly where: string;
  readonly dialect: OutboxSqlDialect;
  begin(done: Done<OutboxSqlTransaction>): void;
  close(done: Done<void>): void;
}

export type OutboxSqlDialect = {
  readonly binary: string;
  /** Deletes the ids named by one parameter, made by `ackParam`. */
  readonly ackSql: string;
  readonly ackParam: (ids: readonly number[]) => unknown;
};

export const outboxDialectSqlite: OutboxSqlDialect = {
  binary: "BLOB",
  ackSql: "DELETE FROM ssms_outbox WHERE id IN (SELECT value FROM json_each(?))",
  ackParam: (ids) => JSON.stringify(ids),
};

export const outboxDialectPostgres: OutboxSqlDialect = {
  binary: "BYTEA",
  ackSql: "DELETE FROM ssms_outbox WHERE id = ANY(CAST(? AS BIGINT[]))",
  ackParam: (ids) => [...ids],
};

export function outboxSchemaSql(dialect: OutboxSqlDialect): string[] {
  const bin = dialect.binary;
  return [
    `CREATE TABLE IF NOT EXISTS ssms_inbox (
      source TEXT NOT NULL, seq BIGINT NOT NULL, reply ${bin}, PRIMARY KEY (source, seq))`,
    "CREATE TABLE IF NOT EXISTS ssms_inbox_floor (source TEXT PRIMARY KEY, seq_floor BIGINT NOT NULL)",
    `CREATE TABLE IF NOT EXISTS ssms_outbox (
      id BIGINT PRIMARY KEY, target TEXT NOT NULL, seq BIGINT NOT NULL, body ${bin} NOT NULL)`,
    "CREATE TABLE IF NOT EXISTS ssms_outbox_target (target TEXT PRIMARY KEY, seq_last BIGINT NOT NULL)",
    `CREATE TABLE IF NOT EXISTS ssms_outbox_counter (
      one INTEGER PRIMARY KEY CHECK (one = 1), id_last BIGINT NOT NULL)`,
    "INSERT INTO ssms_outbox_counter (one, id_last) VALUES (1, 0) ON CONFLICT DO NOTHING",
  ];
}

export const outboxSql = {
  floorGet: "SELECT seq_floor FROM ssms_inbox_floor WHERE source = ?",
  inboxClaim: "INSERT INTO ssms_inbox (source, seq, reply) VALUES (?, ?, NULL) ON CONFLICT DO NOTHING",
  inboxReplyGet: "SELECT reply FROM ssms_inbox WHERE source = ? AND seq = ?",
  inboxReplySet: "UPDATE ssms_inbox SET reply = ? WHERE source = ? AND seq = ?",
  inboxPrune: "DELETE FROM ssms_inbox WHERE source = ? AND seq < ?",
  floorRaise: `INSERT INTO ssms_inbox_floor (source, seq_floor) VALUES (?, ?)
    ON CONFLICT (source) DO UPDATE SET seq_floor = CASE
      WHEN excluded.seq_floor > ssms_inbox_floor.seq_floor THEN excluded.seq_floor
      ELSE ssms_inbox_floor.seq_floor END`,
  idsTake: "UPDATE ssms_outbox_counter SET id_last = id_last + ? WHERE one = 1 RETURNING id_last",
  targetSeqTake: `INSERT INTO ssms_outbox_target (target, seq_last) VALUES (?, 1)
    ON CONFLICT (target) DO UPDATE SET seq_last = ssms_outbox_target.seq_last + 1 RETURNING seq_last`,
  outboxInsert: "INSERT INTO ssms_outbox (id, target, seq, body) VALUES (?, ?, ?, ?)",
  outboxRead: "SELECT id, target, seq, body FROM ssms_outbox WHERE id > ? ORDER BY id LIMIT ?",
} as const;
