// The outbox on PostgreSQL (`pg` Pool): each receive takes a pool client for its transaction, so
// receives run in parallel and the database's locks order them (outbox-sql.ts explains why ids
// still follow commit order). All tables, the service's included, live in one schema, set as
// the search_path of every connection, so the service writes unqualified SQL. Callbacks run
// after the driver's promise settles. Driver and server failures become outboxUnavailable
// results; nothing throws into the caller.

import { postgresSchemaCreate } from "../../io/postgres-schema.ts";
import pg from "pg";
import { ErrorCode } from "../../io/errors.ts";
import { err, ok, type Result } from "../../io/result.ts";
import { sqlPlaceholdersNumbered } from "../../catalog/sql-placeholders.ts";
import type { Done, Outbox, OutboxHandler, SqlOutcome, SqlRow } from "./outbox.ts";
import { OutboxSql } from "./outbox-core.ts";
import {
  outboxDialectPostgres, outboxSchemaSql, type OutboxSqlDatabase, type OutboxSqlTransaction,
} from "./outbox-sql.ts";

export type OutboxPostgresOptions = {
  /** Where the server is (host, port, user, database, …); see pg's PoolConfig. */
  readonly connection: pg.PoolConfig;
  /** Schema for the outbox and service tables; a lower-case SQL identifier. */
  readonly schema: string;
  readonly handler: OutboxHandler;
  /** The service's own DDL, run on open inside the schema (use IF NOT EXISTS). */
  readonly serviceSchemaSql?: readonly string[];
};

const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;
const connectTimeoutMsDefault = 5_000;
/** Rewritten SQL texts kept; the cache is emptied when it reaches this size. */
const textCacheCountMax = 512;

type Failure = { readonly code?: string; readonly message: string };

class OutboxPostgresDatabase implements OutboxSqlDatabase {
  readonly synchronous = false;
  readonly dialect = outboxDialectPostgres;
  readonly where: string;
  private readonly texts = new Map<string, string>();

  constructor(private readonly pool: pg.Pool, schema: string) {
    this.where = `outbox (PostgreSQL schema ${schema})`;
  }

  query(sql: string, params: readonly unknown[], done: Done<SqlOutcome>): void {
    this.run(this.pool, sql, params, done);
  }

  begin(done: Done<OutboxSqlTransaction>): void {
    this.pool.connect().then((client) => {
      client.query("BEGIN").then(() => done(ok(this.transaction(client))), (error: Failure) => {
        client.release(error as Error);
        done(this.failure(error, "BEGIN"));
      });
    }, (error: Failure) => done(this.failure(error, "connect")));
  }

  close(done: Done<void>): void {
    this.pool.end().then(() => done(ok(undefined)), (error: Failure) => done(this.failure(error, "close")));
  }

  /** A transaction on `client`; ending it releases the client (destroying it after a failure). */
  private transaction(client: pg.PoolClient): OutboxSqlTransaction {
    const end = (sql: "COMMIT" | "ROLLBACK", done: Done<void>): void => {
      client.query(sql).then(() => {
        client.release();
        done(ok(undefined));
      }, (error: Failure) => {
        client.release(error as Error);
        done(this.failure(error, sql));
      });
    };
    return {
      query: (sql, params, done) => this.run(client, sql, params, done),
      commit: (done) => end("COMMIT", done),
      rollback: (done) => end("ROLLBACK", done),
    };
  }

  private run(on: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[], done: Done<SqlOutcome>): void {
    on.query<SqlRow>(this.text(sql), [...params]).then(
      (result) => done(ok({ rows: result.rows, changes: result.rowCount ?? result.rows.length })),
      (error: Failure) => done(this.failure(error, sql)));
  }

  private text(sql: string): string {
    let text = this.texts.get(sql);
    if (text === undefined) {
      if (this.texts.size >= textCacheCountMax) this.texts.clear();
      text = sqlPlaceholdersNumbered(sql);
      this.texts.set(sql, text);
    }
    return text;
  }

  private failure(error: Failure, sql: string): Result<never> {
    return err(ErrorCode.outboxUnavailable,
      `${this.where} failed${error.code === undefined ? "" : ` (${error.code})`} running ${sql.slice(0, 80)}: ${error.message}`);
  }
}

/** Connects, creates the schema and tables if absent, and answers the outbox. */
export function outboxPostgresOpen(options: OutboxPostgresOptions, done: Done<Outbox>): void {
  const { schema } = options;
  if (!schemaPattern.test(schema)) {
    return done(err(ErrorCode.argumentInvalid, `outbox schema "${schema}" must match ${schemaPattern.source}`));
  }
  const pool = new pg.Pool({
    connectionTimeoutMillis: connectTimeoutMsDefault,
    ...options.connection,
    options: `-c search_path=${schema}`,
  });
  // An idle client losing its connection is reported here; the next query then fails and
  // reports outboxUnavailable, so the event only needs to be absorbed.
  pool.on("error", () => {});
  const ddl = [`CREATE SCHEMA IF NOT EXISTS "${schema}"`, ...outboxSchemaSql(outboxDialectPostgres),
    ...(options.serviceSchemaSql ?? [])];
  postgresSchemaCreate(pool, `ssms.outbox.${schema}`, ddl).then(
    () => done(ok(new OutboxSql(new OutboxPostgresDatabase(pool, schema), options.handler))),
    (error: Failure) => {
      void pool.end().catch(() => {});
      done(err(ErrorCode.outboxUnavailable, `cannot open outbox (PostgreSQL schema ${schema}): ${error.message}`));
    });
}

