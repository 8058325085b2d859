// The outbox on SQLite (better-sqlite3): everything runs synchronously inside the call, so a
// receive is one BEGIN IMMEDIATE … COMMIT on the caller's stack. BEGIN IMMEDIATE takes the write
// lock up front, so two processes sharing the file serialise cleanly (waiting up to
// `busyTimeoutMs`) instead of failing a lock upgrade half-way. WAL mode; committed rows survive
// a crash or a reopen. Driver failures become outboxUnavailable results naming the file.

import Database from "better-sqlite3";
import { assert } from "../../io/assert.ts";
import { ErrorCode } from "../../io/errors.ts";
import { err, ok, type Result } from "../../io/result.ts";
import type { Done, Outbox, OutboxHandler, SqlOutcome, SqlRow } from "./outbox.ts";
import { OutboxSql } from "./outbox-core.ts";
import {
  outboxDialectSqlite, outboxSchemaSql, type OutboxSqlDatabase, type OutboxSqlTransaction,
} from "./outbox-sql.ts";

export type OutboxSqliteOptions = {
  /** Database file (or ":memory:", which does not survive a reopen). */
  readonly path: string;
  readonly handler: OutboxHandler;
  /** The service's own DDL, run on open (use IF NOT EXISTS). */
  readonly serviceSchemaSql?: readonly string[];
  /** How long to wait for another connection's write lock; default 5000 ms. */
  readonly busyTimeoutMs?: number;
};

/** Prepared statements kept per connection; the cache is emptied when it reaches this size. */
const statementCacheCountMax = 512;

/** better-sqlite3 binds Buffers, not bare Uint8Arrays. */
function bindable(value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
}

class OutboxSqliteDatabase implements OutboxSqlDatabase, OutboxSqlTransaction {
  readonly synchronous = true;
  readonly dialect = outboxDialectSqlite;
  readonly where: string;
  private readonly statements = new Map<string, Database.Statement<unknown[], SqlRow>>();

  constructor(private readonly db: Database.Database, path: string) {
    this.where = `outbox (SQLite at ${path})`;
  }

  query(sql: string, params: readonly unknown[], done: Done<SqlOutcome>): void {
    // The callback runs outside the try: an exception thrown by the caller's code must not be
    // mistaken for a database failure (and must not call `done` twice).
    done(this.execute(sql, params));
  }

  begin(done: Done<OutboxSqlTransaction>): void {
    assert(!this.db.inTransaction, `${this.where}: a transaction began inside another (a handler called receive?)`);
    const begun = this.exec("BEGIN IMMEDIATE");
    done(begun.ok ? ok(this) : begun);
  }

  commit(done: Done<void>): void {
    done(this.exec("COMMIT"));
  }

  rollback(done: Done<void>): void {
    done(this.db.inTransaction ? this.exec("ROLLBACK") : ok(undefined));
  }

  close(done: Done<void>): void {
    done(this.exec(null));
  }

  private execute(sql: string, params: readonly unknown[]): Result<SqlOutcome> {
    try {
      const statement = this.prepared(sql);
      const values = params.map(bindable);
      if (statement.reader) {
        const rows = statement.all(...values);
        return ok({ rows, changes: rows.length });
      }
      return ok({ rows: [], changes: statement.run(...values).changes });
    } catch (error) {
      return this.failure(error, sql);
    }
  }

  /** Runs a bare statement, or closes the database when `sql` is null. */
  private exec(sql: string | null): Result<void> {
    try {
      if (sql === null) this.db.close();
      else this.db.exec(sql);
      return ok(undefined);
    } catch (error) {
      return this.failure(error, sql ?? "close");
    }
  }

  private prepared(sql: string): Database.Statement<unknown[], SqlRow> {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size >= statementCacheCountMax) this.statements.clear();
      statement = this.db.prepare<unknown[], SqlRow>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private failure(error: unknown, sql: string): Result<never> {
    const code = (error as { code?: unknown }).code;
    return err(ErrorCode.outboxUnavailable,
      `${this.where} failed${typeof code === "string" ? ` (${code})` : ""} running ${sql.slice(0, 80)}: ${(error as Error).message}`);
  }
}

/** Opens (creating if needed) an outbox-wrapped SQLite service database. */
export function outboxSqliteOpen(options: OutboxSqliteOptions): Result<Outbox> {
  let db: Database.Database | undefined;
  try {
    db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5_000 });
    db.pragma("journal_mode = WAL");
    for (const ddl of [...outboxSchemaSql(outboxDialectSqlite), ...(options.serviceSchemaSql ?? [])]) db.exec(ddl);
    return ok(new OutboxSql(new OutboxSqliteDatabase(db, options.path), options.handler));
  } catch (error) {
    db?.close();
    return err(ErrorCode.outboxUnavailable, `cannot open outbox (SQLite at ${options.path}): ${(error as Error).message}`);
  }
}
