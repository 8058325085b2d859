// Creates a PostgreSQL schema's tables in one transaction, serialised between processes by an
// advisory lock on `lockName`, so nodes opening the same catalog or outbox at once do not race
// on CREATE. Shared by the PostgreSQL catalog store and the PostgreSQL outbox.

import type pg from "pg";

export async function postgresSchemaCreate(pool: pg.Pool, lockName: string, ddl: readonly string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [lockName]);
    for (const statement of ddl) await client.query(statement);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
