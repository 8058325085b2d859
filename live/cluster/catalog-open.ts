// Opening a live cluster's catalog and writing what every boot must find there.
//
// On one machine the catalog is one SQLite file in the cluster directory, opened by every node
// process and the driver (CatalogStoreSqlite: WAL mode, so readers never block the writer and a
// SIGKILLed writer never corrupts committed rows; SQLite serialises writers across processes and
// the schema's keys refuse a double activation between them). Shared rather than owned by one
// node because the catalog must outlive any single node: with a shared file, killing the node
// that happens to write most leaves the catalog readable and writable by the others, and route
// lookups (the hot path of the lazy routing protocol) stay in-process instead of adding a hop.
// Across machines, PostgreSQL (`--catalog postgres://…`).
//
// Rows written at boot are idempotent: type registrations with the same module, node upserts.

import { isAbsolute, resolve } from "node:path";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Result } from "../../engine/io/result.ts";
import type { CatalogStore } from "../../engine/catalog/catalog-store.ts";
import { CatalogStorePostgres } from "../../engine/catalog/catalog-store-postgres.ts";
import { CatalogStoreSqlite } from "../../engine/catalog/catalog-store-sqlite.ts";
import type { AnyAutomatonDefinition } from "../../engine/runtime/automaton.ts";
import { nodeRowsOf } from "./cluster-model.ts";
import type { ClusterSpec, NodeSpec } from "./cluster-spec.ts";

/** Opens the spec's catalog; a relative SQLite path is taken from the cluster directory. */
export function catalogOpen(spec: ClusterSpec, clusterDir: string): Promise<CatalogStore> {
  const catalog = spec.catalog;
  if (catalog.kind === "sqlite") {
    const path = isAbsolute(catalog.path) ? catalog.path : resolve(clusterDir, catalog.path);
    // Generous: a writer blocked behind another process's commit waits rather than fails.
    const opened = CatalogStoreSqlite.open({ path, busyTimeoutMs: 10_000 });
    return opened.ok ? Promise.resolve(opened.value) : Promise.reject(new SsmsError(opened.code, opened.reason));
  }
  return new Promise((resolvePromise, reject) => {
    CatalogStorePostgres.open({ connection: { connectionString: catalog.url }, schema: catalog.schema }, (opened) => {
      if (opened.ok) resolvePromise(opened.value);
      else reject(new SsmsError(opened.code, opened.reason));
    });
  });
}

/** A catalog call as a promise that rejects with the operation's error. */
export function catalogCall<T>(what: string, call: (done: (result: Result<T>) => void) => void): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    call((result) => {
      if (result.ok) resolvePromise(result.value);
      else reject(new SsmsError(result.code, `${what}: ${result.reason}`));
    });
  });
}

/** Registers every served type (module `live:<type>`, version 1). */
export async function catalogTypesRegister(catalog: CatalogStore, definitions: ReadonlyMap<string, AnyAutomatonDefinition>): Promise<void> {
  for (const type of definitions.keys()) {
    await catalogCall(`register type ${type}`, (done) => catalog.typeRegister({ type, version: 1, module: `live:${type}` }, done));
  }
}

/** Writes the node rows of `nodes` (state up). */
export async function catalogNodesUpsert(catalog: CatalogStore, nodes: readonly NodeSpec[]): Promise<void> {
  for (const node of nodes) {
    for (const row of nodeRowsOf(node)) await catalogCall(`upsert node ${row.id}`, (done) => catalog.nodeUpsert(row, done));
  }
}

/** Registers types and every node of the spec: the launcher runs it once before any node starts. */
export async function catalogBootstrap(catalog: CatalogStore, spec: ClusterSpec, definitions: ReadonlyMap<string, AnyAutomatonDefinition>): Promise<void> {
  await catalogTypesRegister(catalog, definitions);
  await catalogNodesUpsert(catalog, spec.nodes);
}

export function catalogClose(catalog: CatalogStore): Promise<void> {
  return catalogCall<void>("close catalog", (done) => catalog.close(done)).catch((error: unknown) => {
    throw new SsmsError(ErrorCode.catalogUnavailable, `closing the catalog failed: ${(error as Error).message}`);
  });
}
