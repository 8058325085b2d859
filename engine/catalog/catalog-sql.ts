// The catalog's SQL, shared by CatalogStoreSqlite and CatalogStorePostgres: one schema and one
// set of statements (written with `?`; the PostgreSQL store renumbers them), plus the mapping
// from SQL rows to catalog rows.
//
// Why the schema looks like this: the database itself enforces what the contract promises, so
// it holds across processes and machines, not just within one store object. The primary key on
// active_automata.id is what refuses a double activation; UNIQUE (darq_node, logical_darq) keeps
// two automata off one logical DARQ; foreign keys refuse rows naming unknown nodes or type
// versions and refuse removing a node still in use. Statements are single-row and single-
// statement, so each is atomic without explicit transactions.

import { assert } from "../io/assert.ts";
import type {
  ActiveAutomatonRow, AutomatonState, AutomatonTypeRow, NodeKind, NodeRow, NodeState,
} from "./catalog-rows.ts";

export type CatalogSqlDialect = {
  /** Table name prefix, e.g. `"my_schema".` for PostgreSQL, empty for SQLite. */
  readonly prefix: string;
  /** Text type; PostgreSQL uses the "C" collation so ORDER BY id matches the memory store. */
  readonly text: string;
  /** DDL for the catalog-wide row-version counter. */
  readonly versionDdl: readonly string[];
  /** SQL expression for the next row version (the SQLite store bumps its counter first). */
  readonly versionNext: string;
};

/** SQLite has no sequences: a one-row counter table, bumped in the same transaction as the write. */
export const catalogDialectSqlite: CatalogSqlDialect = {
  prefix: "",
  text: "TEXT",
  versionDdl: [
    "CREATE TABLE IF NOT EXISTS catalog_version (value BIGINT NOT NULL)",
    "INSERT INTO catalog_version (value) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM catalog_version)",
  ],
  versionNext: "(SELECT value FROM catalog_version)",
};

/** `schema` must already be a checked identifier. */
export function catalogDialectPostgres(schema: string): CatalogSqlDialect {
  return {
    prefix: `"${schema}".`,
    text: 'TEXT COLLATE "C"',
    versionDdl: [`CREATE SEQUENCE IF NOT EXISTS "${schema}".catalog_version`],
    versionNext: `nextval('"${schema}".catalog_version')`,
  };
}

export function catalogSchemaSql(d: CatalogSqlDialect): string[] {
  const { prefix: p, text: t } = d;
  return [
    ...d.versionDdl,
    `CREATE TABLE IF NOT EXISTS ${p}automaton_types (
      type ${t} NOT NULL, version BIGINT NOT NULL, module ${t} NOT NULL,
      PRIMARY KEY (type, version))`,
    `CREATE TABLE IF NOT EXISTS ${p}nodes (
      id ${t} PRIMARY KEY, kind ${t} NOT NULL, pool ${t} NOT NULL, zone ${t} NOT NULL,
      cores BIGINT NOT NULL, memory_mib BIGINT NOT NULL, address ${t} NOT NULL,
      load_fraction DOUBLE PRECISION NOT NULL, state ${t} NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS nodes_kind_pool ON ${p}nodes (kind, pool)`,
    `CREATE TABLE IF NOT EXISTS ${p}active_automata (
      id ${t} PRIMARY KEY, type ${t} NOT NULL, type_version BIGINT NOT NULL,
      compute_node ${t} NOT NULL REFERENCES ${p}nodes (id),
      darq_node ${t} NOT NULL REFERENCES ${p}nodes (id),
      logical_darq ${t} NOT NULL, incarnation BIGINT NOT NULL, state ${t} NOT NULL,
      version BIGINT NOT NULL,
      UNIQUE (darq_node, logical_darq),
      FOREIGN KEY (type, type_version) REFERENCES ${p}automaton_types (type, version))`,
    `CREATE INDEX IF NOT EXISTS active_automata_compute ON ${p}active_automata (compute_node)`,
  ];
}

const typeColumns = "type, version, module";
const nodeColumns = "id, kind, pool, zone, cores, memory_mib, address, load_fraction, state";
const automatonColumns =
  "id, type, type_version, compute_node, darq_node, logical_darq, incarnation, state, version";

/** Every statement the SQL stores run, by name. Parameter order is documented by each store. */
export function catalogStatementsSql(d: CatalogSqlDialect) {
  const p = d.prefix;
  return {
    typeInsert: `INSERT INTO ${p}automaton_types (${typeColumns}) VALUES (?, ?, ?)
      ON CONFLICT DO NOTHING RETURNING ${typeColumns}`,
    typeGet: `SELECT ${typeColumns} FROM ${p}automaton_types WHERE type = ? AND version = ?`,
    typeLatest: `SELECT ${typeColumns} FROM ${p}automaton_types WHERE type = ?
      ORDER BY version DESC LIMIT 1`,
    typeList: `SELECT ${typeColumns} FROM ${p}automaton_types ORDER BY type, version`,
    nodeUpsert: `INSERT INTO ${p}nodes (${nodeColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, pool = excluded.pool,
        zone = excluded.zone, cores = excluded.cores, memory_mib = excluded.memory_mib,
        address = excluded.address, load_fraction = excluded.load_fraction, state = excluded.state
      RETURNING ${nodeColumns}`,
    nodeRemove: `DELETE FROM ${p}nodes WHERE id = ? RETURNING id`,
    nodeGet: `SELECT ${nodeColumns} FROM ${p}nodes WHERE id = ?`,
    nodeList: `SELECT ${nodeColumns} FROM ${p}nodes
      WHERE (CAST(? AS TEXT) IS NULL OR kind = ?) AND (CAST(? AS TEXT) IS NULL OR pool = ?)
      ORDER BY id`,
    nodeLoadUpdate: `UPDATE ${p}nodes SET load_fraction = ? WHERE id = ? RETURNING ${nodeColumns}`,
    activate: `INSERT INTO ${p}active_automata (${automatonColumns})
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${d.versionNext}) ON CONFLICT DO NOTHING
      RETURNING ${automatonColumns}`,
    lookup: `SELECT ${automatonColumns} FROM ${p}active_automata WHERE id = ?`,
    update: `UPDATE ${p}active_automata SET
        type_version = COALESCE(?, type_version), compute_node = COALESCE(?, compute_node),
        darq_node = COALESCE(?, darq_node), logical_darq = COALESCE(?, logical_darq),
        incarnation = COALESCE(?, incarnation), state = COALESCE(?, state),
        version = ${d.versionNext}
      WHERE id = ? AND version = ? RETURNING ${automatonColumns}`,
    deactivate: `DELETE FROM ${p}active_automata WHERE id = ? AND version = ?
      RETURNING ${automatonColumns}`,
    listByComputeNode: `SELECT ${automatonColumns} FROM ${p}active_automata
      WHERE compute_node = ? ORDER BY id`,
    listByDarqNode: `SELECT ${automatonColumns} FROM ${p}active_automata
      WHERE darq_node = ? ORDER BY id`,
    count: `SELECT COUNT(*) AS n FROM ${p}active_automata`,
    /** SQLite only: advance the counter that `versionNext` reads. */
    versionBump: `UPDATE ${p}catalog_version SET value = value + 1`,
  };
}

export type CatalogStatementName = keyof ReturnType<typeof catalogStatementsSql>;

/** A row as a driver returns it: BIGINT may come back as a string (pg) or a number (SQLite). */
export type SqlRecord = Readonly<Record<string, unknown>>;

function num(record: SqlRecord, column: string): number {
  const value = Number(record[column]);
  assert(Number.isFinite(value), `catalog column ${column} holds a non-number: ${String(record[column])}`);
  return value;
}

function str(record: SqlRecord, column: string): string {
  const value = record[column];
  assert(typeof value === "string", `catalog column ${column} holds a non-string: ${String(value)}`);
  return value;
}

export function typeRowFromSql(r: SqlRecord): AutomatonTypeRow {
  return Object.freeze({ type: str(r, "type"), version: num(r, "version"), module: str(r, "module") });
}

export function nodeRowFromSql(r: SqlRecord): NodeRow {
  return Object.freeze({
    id: str(r, "id"), kind: str(r, "kind") as NodeKind, pool: str(r, "pool"), zone: str(r, "zone"),
    cores: num(r, "cores"), memoryMiB: num(r, "memory_mib"), address: str(r, "address"),
    loadFraction: num(r, "load_fraction"), state: str(r, "state") as NodeState,
  });
}

export function automatonRowFromSql(r: SqlRecord): ActiveAutomatonRow {
  return Object.freeze({
    id: str(r, "id"), type: str(r, "type"), typeVersion: num(r, "type_version"),
    computeNode: str(r, "compute_node"), darqNode: str(r, "darq_node"),
    logicalDarq: str(r, "logical_darq"), incarnation: num(r, "incarnation"),
    state: str(r, "state") as AutomatonState, version: num(r, "version"),
  });
}

/** Parameters of `nodeUpsert`, in column order. */
export function nodeParams(row: NodeRow): unknown[] {
  return [row.id, row.kind, row.pool, row.zone, row.cores, row.memoryMiB, row.address, row.loadFraction, row.state];
}
