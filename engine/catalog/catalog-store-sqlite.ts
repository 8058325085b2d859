// CatalogStoreSqlite: the catalog in an embedded SQLite database (better-sqlite3), the default on
// one machine. Synchronous: every callback runs before the call returns.
//
// The file is opened in WAL mode (readers do not block the writer, and a crash never corrupts
// committed rows) with foreign keys on, the schema is created if absent, and every statement is
// prepared once. Several processes may share one file: SQLite serialises writers, waiting up to
// `busyTimeoutMs` for the lock, and the schema's keys refuse a double activation across them.
// Storage faults (locked past the timeout, I/O error, disk full) become catalogUnavailable
// results; constraint failures become catalogConflict results with the reason looked up.

import Database from "better-sqlite3";
import { ErrorCode } from "../io/errors.ts";
import { err, ok, type Result } from "../io/result.ts";
import {
  conflictAlreadyActive, conflictLogicalDarqTaken, conflictNodeInUse, conflictNodeUnknown,
  conflictTypeRedefined, conflictTypeUnknown, conflictVersion,
} from "./catalog-conflicts.ts";
import {
  activationInvalid, changesInvalid, loadInvalid, nodeRowInvalid, typeRowInvalid,
  type ActiveAutomatonRow, type AutomatonActivation, type AutomatonChanges, type AutomatonTypeRow,
  type NodeFilter, type NodeRow,
} from "./catalog-rows.ts";
import {
  automatonRowFromSql, catalogDialectSqlite, catalogSchemaSql, catalogStatementsSql, nodeParams, nodeRowFromSql,
  typeRowFromSql, type CatalogStatementName, type SqlRecord,
} from "./catalog-sql.ts";
import type { CatalogStore, Done } from "./catalog-store.ts";

export type CatalogStoreSqliteOptions = {
  /** Database file, or ":memory:" for a private in-memory database. */
  readonly path: string;
  /** How long a write waits for another connection's lock before failing; default 5000 ms. */
  readonly busyTimeoutMs?: number;
};

type Statements = Record<CatalogStatementName, Database.Statement<unknown[], SqlRecord>>;

function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : "";
}

type VersionedWrite = (write: () => SqlRecord | undefined) => SqlRecord | undefined;

export class CatalogStoreSqlite implements CatalogStore {
  private readonly versionedTransaction: Database.Transaction<VersionedWrite>;

  private constructor(
    private readonly db: Database.Database,
    private readonly s: Statements,
    private readonly path: string,
  ) {
    this.versionedTransaction = db.transaction<VersionedWrite>((write) => {
      this.s.versionBump.run();
      return write();
    });
  }

  /** Opens (creating if needed) the catalog at `options.path`. */
  static open(options: CatalogStoreSqliteOptions): Result<CatalogStoreSqlite> {
    let db: Database.Database | undefined;
    try {
      db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5_000 });
      db.pragma("journal_mode = WAL");
      db.pragma("foreign_keys = ON");
      const dialect = catalogDialectSqlite;
      for (const ddl of catalogSchemaSql(dialect)) db.exec(ddl);
      const sql = catalogStatementsSql(dialect);
      const statements = {} as Record<string, Database.Statement<unknown[], SqlRecord>>;
      for (const [name, text] of Object.entries(sql)) statements[name] = db.prepare<unknown[], SqlRecord>(text);
      return ok(new CatalogStoreSqlite(db, statements as Statements, options.path));
    } catch (error) {
      db?.close();
      return err(ErrorCode.catalogUnavailable,
        `cannot open SQLite catalog at ${options.path}: ${(error as Error).message}`);
    }
  }

  typeRegister(row: AutomatonTypeRow, done: Done<AutomatonTypeRow>): void {
    const invalid = typeRowInvalid(row);
    if (invalid !== null) return done(invalid);
    done(this.run(() => {
      const inserted = this.s.typeInsert.get(row.type, row.version, row.module);
      if (inserted !== undefined) return ok(typeRowFromSql(inserted));
      const existing = typeRowFromSql(this.s.typeGet.get(row.type, row.version) as SqlRecord);
      return existing.module === row.module ? ok(existing) : conflictTypeRedefined(row, existing);
    }));
  }

  typeGet(type: string, version: number | "latest", done: Done<AutomatonTypeRow | null>): void {
    done(this.run(() => {
      const found = version === "latest" ? this.s.typeLatest.get(type) : this.s.typeGet.get(type, version);
      return ok(found === undefined ? null : typeRowFromSql(found));
    }));
  }

  typeList(done: Done<readonly AutomatonTypeRow[]>): void {
    done(this.run(() => ok(this.s.typeList.all().map(typeRowFromSql))));
  }

  nodeUpsert(row: NodeRow, done: Done<NodeRow>): void {
    const invalid = nodeRowInvalid(row);
    if (invalid !== null) return done(invalid);
    done(this.run(() => ok(nodeRowFromSql(this.s.nodeUpsert.get(...nodeParams(row)) as SqlRecord))));
  }

  nodeRemove(id: string, done: Done<boolean>): void {
    done(this.run(() => ok(this.s.nodeRemove.get(id) !== undefined), () => conflictNodeInUse(id)));
  }

  nodeGet(id: string, done: Done<NodeRow | null>): void {
    done(this.run(() => {
      const found = this.s.nodeGet.get(id);
      return ok(found === undefined ? null : nodeRowFromSql(found));
    }));
  }

  nodeList(filter: NodeFilter, done: Done<readonly NodeRow[]>): void {
    const kind = filter.kind ?? null;
    const pool = filter.pool ?? null;
    done(this.run(() => ok(this.s.nodeList.all(kind, kind, pool, pool).map(nodeRowFromSql))));
  }

  nodeLoadUpdate(id: string, loadFraction: number, done: Done<NodeRow>): void {
    const invalid = loadInvalid(id, loadFraction);
    if (invalid !== null) return done(invalid);
    done(this.run(() => {
      const updated = this.s.nodeLoadUpdate.get(loadFraction, id);
      return updated === undefined ? conflictNodeUnknown("load update", id) : ok(nodeRowFromSql(updated));
    }));
  }

  activate(row: AutomatonActivation, done: Done<ActiveAutomatonRow>): void {
    const invalid = activationInvalid(row);
    if (invalid !== null) return done(invalid);
    done(this.run(() => {
      const inserted = this.versioned(() => this.s.activate.get(row.id, row.type, row.typeVersion,
        row.computeNode, row.darqNode, row.logicalDarq, row.incarnation, row.state));
      if (inserted !== undefined) return ok(automatonRowFromSql(inserted));
      const existing = this.s.lookup.get(row.id);
      if (existing !== undefined) return conflictAlreadyActive(automatonRowFromSql(existing));
      return conflictLogicalDarqTaken(row.id, row.darqNode, row.logicalDarq);
    }, () => this.whyRefused(row.id, row)));
  }

  lookup(id: string, done: Done<ActiveAutomatonRow | null>): void {
    done(this.run(() => {
      const found = this.s.lookup.get(id);
      return ok(found === undefined ? null : automatonRowFromSql(found));
    }));
  }

  update(id: string, expectedVersion: number, changes: AutomatonChanges, done: Done<ActiveAutomatonRow>): void {
    const invalid = changesInvalid(id, expectedVersion, changes);
    if (invalid !== null) return done(invalid);
    done(this.run(() => {
      const updated = this.versioned(() => this.s.update.get(changes.typeVersion ?? null,
        changes.computeNode ?? null, changes.darqNode ?? null, changes.logicalDarq ?? null,
        changes.incarnation ?? null, changes.state ?? null, id, expectedVersion));
      if (updated !== undefined) return ok(automatonRowFromSql(updated));
      return this.versionConflict(id, expectedVersion);
    }, () => this.whyUpdateRefused(id, expectedVersion, changes)));
  }

  deactivate(id: string, expectedVersion: number, done: Done<ActiveAutomatonRow>): void {
    const invalid = changesInvalid(id, expectedVersion, {});
    if (invalid !== null) return done(invalid);
    done(this.run(() => {
      const removed = this.s.deactivate.get(id, expectedVersion);
      if (removed !== undefined) return ok(automatonRowFromSql(removed));
      return this.versionConflict(id, expectedVersion);
    }));
  }

  listByComputeNode(nodeId: string, done: Done<readonly ActiveAutomatonRow[]>): void {
    done(this.run(() => ok(this.s.listByComputeNode.all(nodeId).map(automatonRowFromSql))));
  }

  listByDarqNode(nodeId: string, done: Done<readonly ActiveAutomatonRow[]>): void {
    done(this.run(() => ok(this.s.listByDarqNode.all(nodeId).map(automatonRowFromSql))));
  }

  count(done: Done<number>): void {
    done(this.run(() => ok(Number((this.s.count.get() as SqlRecord)["n"]))));
  }

  close(done: Done<void>): void {
    done(this.run(() => {
      this.db.close();
      return ok(undefined);
    }));
  }

  /**
   * Runs one operation, turning SQLite exceptions into results: constraint failures go to
   * `onConstraint` (which looks up the reason), everything else means the storage failed.
   */
  private run<T>(operation: () => Result<T>, onConstraint?: () => Result<never>): Result<T> {
    try {
      return operation();
    } catch (error) {
      const code = sqliteCode(error);
      if (onConstraint !== undefined && code.startsWith("SQLITE_CONSTRAINT")) {
        try {
          return onConstraint();
        } catch (inner) {
          return this.unavailable(inner);
        }
      }
      return this.unavailable(error);
    }
  }

  /**
   * Runs a row write in one transaction after bumping the version counter it reads. A write
   * that throws rolls the bump back; one that changes nothing leaves a harmless gap.
   */
  private versioned(write: () => SqlRecord | undefined): SqlRecord | undefined {
    return this.versionedTransaction.immediate(write);
  }

  private unavailable(error: unknown): Result<never> {
    const code = sqliteCode(error);
    return err(ErrorCode.catalogUnavailable,
      `SQLite catalog at ${this.path} failed${code === "" ? "" : ` (${code})`}: ${(error as Error).message}`);
  }

  private versionConflict(id: string, expectedVersion: number): Result<never> {
    const existing = this.s.lookup.get(id);
    return conflictVersion(id, expectedVersion, existing === undefined ? null : Number(existing["version"]));
  }

  /** Which reference of an activation the foreign keys refused. */
  private whyRefused(id: string, row: Pick<AutomatonActivation, "type" | "typeVersion" | "computeNode" | "darqNode" | "logicalDarq">): Result<never> {
    if (this.s.typeGet.get(row.type, row.typeVersion) === undefined) {
      return conflictTypeUnknown(id, row.type, row.typeVersion);
    }
    if (this.s.nodeGet.get(row.computeNode) === undefined) return conflictNodeUnknown(`automaton ${id}`, row.computeNode);
    if (this.s.nodeGet.get(row.darqNode) === undefined) return conflictNodeUnknown(`automaton ${id}`, row.darqNode);
    return conflictLogicalDarqTaken(id, row.darqNode, row.logicalDarq);
  }

  private whyUpdateRefused(id: string, expectedVersion: number, changes: AutomatonChanges): Result<never> {
    const existing = this.s.lookup.get(id);
    if (existing === undefined) return conflictVersion(id, expectedVersion, null);
    return this.whyRefused(id, { ...automatonRowFromSql(existing), ...changes });
  }
}
