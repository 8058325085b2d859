// CatalogStorePostgres: the catalog in PostgreSQL (`pg` Pool), for clusters across machines.
// Callbacks run after the driver's promise settles, never inside the call.
//
// All tables live in one schema (configurable, so tests and clusters can share a server); the
// schema and tables are created on open under an advisory lock, so several nodes may open the
// same catalog at once. Statements are named prepared statements. The schema's keys make every
// guarantee hold between machines: two nodes activating the same automaton at once both reach
// the primary key, and exactly one insert wins. Any driver or server failure (refused
// connection, timeout, shutdown) becomes a catalogUnavailable result; nothing throws into the
// engine. Constraint failures become catalogConflict results with the reason looked up.

import { postgresSchemaCreate } from "../io/postgres-schema.ts";
import pg from "pg";
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
  automatonRowFromSql, catalogDialectPostgres, catalogSchemaSql, catalogStatementsSql, nodeParams, nodeRowFromSql,
  typeRowFromSql, type CatalogStatementName, type SqlRecord,
} from "./catalog-sql.ts";
import type { CatalogStore, Done } from "./catalog-store.ts";
import { sqlPlaceholdersNumbered } from "./sql-placeholders.ts";

export type CatalogStorePostgresOptions = {
  /** Where the server is (host, port, user, database, …); see pg's PoolConfig. */
  readonly connection: pg.PoolConfig;
  /** Schema holding the catalog tables; a lower-case SQL identifier. */
  readonly schema: string;
};

/** Connection attempts give up after this long unless `connection` says otherwise. */
const connectTimeoutMsDefault = 5_000;
const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;

type Failure = { readonly code?: string; readonly constraint?: string; readonly message: string };

export class CatalogStorePostgres implements CatalogStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly sql: Record<CatalogStatementName, string>,
  ) {}

  /** Connects, creates the schema and tables if absent, and answers the store. */
  static open(options: CatalogStorePostgresOptions, done: Done<CatalogStorePostgres>): void {
    const { schema } = options;
    if (!schemaPattern.test(schema)) {
      done(err(ErrorCode.argumentInvalid, `catalog schema "${schema}" must match ${schemaPattern.source}`));
      return;
    }
    const pool = new pg.Pool({ connectionTimeoutMillis: connectTimeoutMsDefault, ...options.connection });
    // An idle client losing its connection is reported here; the next query then fails and
    // reports catalogUnavailable, so the event only needs to be absorbed.
    pool.on("error", () => {});
    const dialect = catalogDialectPostgres(schema);
    const ddl = [`CREATE SCHEMA IF NOT EXISTS "${schema}"`, ...catalogSchemaSql(dialect)];
    const sql = catalogStatementsSql(dialect);
    for (const name of Object.keys(sql) as CatalogStatementName[]) sql[name] = sqlPlaceholdersNumbered(sql[name]);
    postgresSchemaCreate(pool, `ssms.catalog.${schema}`, ddl).then(
      () => done(ok(new CatalogStorePostgres(pool, schema, sql))),
      (error: Failure) => {
        void pool.end().catch(() => {});
        done(err(ErrorCode.catalogUnavailable, `cannot open PostgreSQL catalog (schema ${schema}): ${error.message}`));
      });
  }

  typeRegister(row: AutomatonTypeRow, done: Done<AutomatonTypeRow>): void {
    const invalid = typeRowInvalid(row);
    if (invalid !== null) return done(invalid);
    this.query("typeInsert", [row.type, row.version, row.module], done, (inserted) => {
      const first = inserted[0];
      if (first !== undefined) return done(ok(typeRowFromSql(first)));
      this.query("typeGet", [row.type, row.version], done, (rows) => {
        const existing = typeRowFromSql(rows[0] as SqlRecord);
        done(existing.module === row.module ? ok(existing) : conflictTypeRedefined(row, existing));
      });
    });
  }

  typeGet(type: string, version: number | "latest", done: Done<AutomatonTypeRow | null>): void {
    const [name, params]: [CatalogStatementName, unknown[]] =
      version === "latest" ? ["typeLatest", [type]] : ["typeGet", [type, version]];
    this.query(name, params, done, (rows) => done(ok(rows[0] === undefined ? null : typeRowFromSql(rows[0]))));
  }

  typeList(done: Done<readonly AutomatonTypeRow[]>): void {
    this.query("typeList", [], done, (rows) => done(ok(rows.map(typeRowFromSql))));
  }

  nodeUpsert(row: NodeRow, done: Done<NodeRow>): void {
    const invalid = nodeRowInvalid(row);
    if (invalid !== null) return done(invalid);
    this.query("nodeUpsert", nodeParams(row), done, (rows) => done(ok(nodeRowFromSql(rows[0] as SqlRecord))));
  }

  nodeRemove(id: string, done: Done<boolean>): void {
    this.query("nodeRemove", [id], done, (rows) => done(ok(rows.length > 0)),
      () => done(conflictNodeInUse(id)));
  }

  nodeGet(id: string, done: Done<NodeRow | null>): void {
    this.query("nodeGet", [id], done, (rows) => done(ok(rows[0] === undefined ? null : nodeRowFromSql(rows[0]))));
  }

  nodeList(filter: NodeFilter, done: Done<readonly NodeRow[]>): void {
    const kind = filter.kind ?? null;
    const pool = filter.pool ?? null;
    this.query("nodeList", [kind, kind, pool, pool], done, (rows) => done(ok(rows.map(nodeRowFromSql))));
  }

  nodeLoadUpdate(id: string, loadFraction: number, done: Done<NodeRow>): void {
    const invalid = loadInvalid(id, loadFraction);
    if (invalid !== null) return done(invalid);
    this.query("nodeLoadUpdate", [loadFraction, id], done, (rows) =>
      done(rows[0] === undefined ? conflictNodeUnknown("load update", id) : ok(nodeRowFromSql(rows[0]))));
  }

  activate(row: AutomatonActivation, done: Done<ActiveAutomatonRow>): void {
    const invalid = activationInvalid(row);
    if (invalid !== null) return done(invalid);
    const params = [row.id, row.type, row.typeVersion, row.computeNode, row.darqNode, row.logicalDarq,
      row.incarnation, row.state];
    this.query("activate", params, done, (inserted) => {
      if (inserted[0] !== undefined) return done(ok(automatonRowFromSql(inserted[0])));
      this.query("lookup", [row.id], done, (rows) => done(rows[0] === undefined
        ? conflictLogicalDarqTaken(row.id, row.darqNode, row.logicalDarq)
        : conflictAlreadyActive(automatonRowFromSql(rows[0]))));
    }, (failure) => done(refusal(row.id, row, failure)));
  }

  lookup(id: string, done: Done<ActiveAutomatonRow | null>): void {
    this.query("lookup", [id], done, (rows) =>
      done(ok(rows[0] === undefined ? null : automatonRowFromSql(rows[0]))));
  }

  update(id: string, expectedVersion: number, changes: AutomatonChanges, done: Done<ActiveAutomatonRow>): void {
    const invalid = changesInvalid(id, expectedVersion, changes);
    if (invalid !== null) return done(invalid);
    const params = [changes.typeVersion ?? null, changes.computeNode ?? null, changes.darqNode ?? null,
      changes.logicalDarq ?? null, changes.incarnation ?? null, changes.state ?? null, id, expectedVersion];
    this.query("update", params, done, (rows) => {
      if (rows[0] !== undefined) return done(ok(automatonRowFromSql(rows[0])));
      this.versionConflict(id, expectedVersion, done);
    }, (failure) => this.query("lookup", [id], done, (rows) => done(rows[0] === undefined
      ? conflictVersion(id, expectedVersion, null)
      : refusal(id, { ...automatonRowFromSql(rows[0]), ...changes }, failure))));
  }

  deactivate(id: string, expectedVersion: number, done: Done<ActiveAutomatonRow>): void {
    const invalid = changesInvalid(id, expectedVersion, {});
    if (invalid !== null) return done(invalid);
    this.query("deactivate", [id, expectedVersion], done, (rows) => {
      if (rows[0] !== undefined) return done(ok(automatonRowFromSql(rows[0])));
      this.versionConflict(id, expectedVersion, done);
    });
  }

  listByComputeNode(nodeId: string, done: Done<readonly ActiveAutomatonRow[]>): void {
    this.query("listByComputeNode", [nodeId], done, (rows) => done(ok(rows.map(automatonRowFromSql))));
  }

  listByDarqNode(nodeId: string, done: Done<readonly ActiveAutomatonRow[]>): void {
    this.query("listByDarqNode", [nodeId], done, (rows) => done(ok(rows.map(automatonRowFromSql))));
  }

  count(done: Done<number>): void {
    this.query("count", [], done, (rows) => done(ok(Number(rows[0]?.["n"] ?? 0))));
  }

  close(done: Done<void>): void {
    this.pool.end().then(() => done(ok(undefined)),
      (error: Failure) => done(err(ErrorCode.catalogUnavailable, `closing PostgreSQL catalog: ${error.message}`)));
  }

  /**
   * Runs one named statement. Rows go to `onRows`; a constraint violation (class 23) goes to
   * `onConstraint` when given; any other failure answers `done` with catalogUnavailable.
   */
  private query<T>(name: CatalogStatementName, values: unknown[], done: Done<T>,
    onRows: (rows: SqlRecord[]) => void, onConstraint?: (failure: Failure) => void): void {
    const config = { name: `${this.schema}.${name}`, text: this.sql[name], values };
    this.pool.query<SqlRecord>(config).then((result) => onRows(result.rows), (error: Failure) => {
      if (onConstraint !== undefined && error.code?.startsWith("23") === true) onConstraint(error);
      else done(err(ErrorCode.catalogUnavailable, `PostgreSQL catalog (schema ${this.schema}), ${name}: ` +
        `${error.message}${error.code === undefined ? "" : ` (${error.code})`}`));
    });
  }

  private versionConflict<T>(id: string, expectedVersion: number, done: Done<T>): void {
    this.query("lookup", [id], done, (rows) =>
      done(conflictVersion(id, expectedVersion, rows[0] === undefined ? null : Number(rows[0]["version"]))));
  }
}

/** Turns a constraint violation on active_automata into the conflict that names its cause. */
function refusal(id: string, row: Pick<AutomatonActivation, "type" | "typeVersion" | "computeNode" | "darqNode" | "logicalDarq">,
  failure: Failure): Result<never> {
  const constraint = failure.constraint ?? "";
  if (failure.code === "23505") return conflictLogicalDarqTaken(id, row.darqNode, row.logicalDarq);
  if (constraint.includes("compute_node")) return conflictNodeUnknown(`automaton ${id}`, row.computeNode);
  if (constraint.includes("darq_node")) return conflictNodeUnknown(`automaton ${id}`, row.darqNode);
  if (constraint.includes("type")) return conflictTypeUnknown(id, row.type, row.typeVersion);
  return err(ErrorCode.catalogConflict, `automaton ${id}: refused by ${constraint || "a constraint"}: ${failure.message}`);
}

