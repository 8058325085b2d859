// CatalogTablesMemory: the catalog's three tables in Maps, operated synchronously. It holds the
// logic of CatalogStoreMemory (which adds modelled latency and outages on top) and keeps the
// secondary indexes a SQL store would: automata by compute node, by DARQ node, and the unique
// (darqNode, logicalDarq) pair. Rows stored here are frozen, so handing them out is safe.

import { ok, type Result } from "../io/result.ts";
import {
  conflictAlreadyActive, conflictLogicalDarqTaken, conflictNodeInUse, conflictNodeUnknown,
  conflictTypeRedefined, conflictTypeUnknown, conflictVersion,
} from "./catalog-conflicts.ts";
import {
  activationInvalid, automatonRowCopy, changesInvalid, loadInvalid, nodeRowCopy, nodeRowInvalid,
  typeRowCopy, typeRowInvalid,
  type ActiveAutomatonRow, type AutomatonActivation, type AutomatonChanges, type AutomatonTypeRow,
  type NodeFilter, type NodeRow,
} from "./catalog-rows.ts";

function byId(a: { readonly id: string }, b: { readonly id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** An unambiguous key for the pair, whatever characters the names contain. */
function logicalDarqKey(darqNode: string, logicalDarq: string): string {
  return `${darqNode.length}:${darqNode}${logicalDarq}`;
}

function setAdd(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key);
  if (set === undefined) index.set(key, new Set([id]));
  else set.add(id);
}

function setDelete(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(id);
  if (set.size === 0) index.delete(key);
}

export class CatalogTablesMemory {
  /** type → its versions, ascending. */
  private readonly types = new Map<string, AutomatonTypeRow[]>();
  private readonly nodes = new Map<string, NodeRow>();
  private readonly automata = new Map<string, ActiveAutomatonRow>();
  private readonly byComputeNode = new Map<string, Set<string>>();
  private readonly byDarqNode = new Map<string, Set<string>>();
  /** logicalDarqKey(darqNode, logicalDarq) → automaton id. */
  private readonly logicalDarqs = new Map<string, string>();
  /** Last row version handed out; catalog-wide so versions are never reused. */
  private versionLast = 0;

  typeRegister(row: AutomatonTypeRow): Result<AutomatonTypeRow> {
    const invalid = typeRowInvalid(row);
    if (invalid !== null) return invalid;
    const versions = this.types.get(row.type) ?? [];
    const existing = versions.find((v) => v.version === row.version);
    if (existing !== undefined) {
      return existing.module === row.module ? ok(existing) : conflictTypeRedefined(row, existing);
    }
    const copy = typeRowCopy(row);
    versions.push(copy);
    versions.sort((a, b) => a.version - b.version);
    this.types.set(row.type, versions);
    return ok(copy);
  }

  typeGet(type: string, version: number | "latest"): Result<AutomatonTypeRow | null> {
    const versions = this.types.get(type);
    if (versions === undefined) return ok(null);
    const row = version === "latest" ? versions[versions.length - 1] : versions.find((v) => v.version === version);
    return ok(row ?? null);
  }

  typeList(): Result<readonly AutomatonTypeRow[]> {
    const names = [...this.types.keys()].sort();
    return ok(names.flatMap((name) => this.types.get(name) ?? []));
  }

  nodeUpsert(row: NodeRow): Result<NodeRow> {
    const invalid = nodeRowInvalid(row);
    if (invalid !== null) return invalid;
    const copy = nodeRowCopy(row);
    this.nodes.set(copy.id, copy);
    return ok(copy);
  }

  nodeRemove(id: string): Result<boolean> {
    if (!this.nodes.has(id)) return ok(false);
    if (this.byComputeNode.has(id) || this.byDarqNode.has(id)) return conflictNodeInUse(id);
    this.nodes.delete(id);
    return ok(true);
  }

  nodeGet(id: string): Result<NodeRow | null> {
    return ok(this.nodes.get(id) ?? null);
  }

  nodeList(filter: NodeFilter): Result<readonly NodeRow[]> {
    const rows: NodeRow[] = [];
    for (const row of this.nodes.values()) {
      if (filter.kind !== undefined && row.kind !== filter.kind) continue;
      if (filter.pool !== undefined && row.pool !== filter.pool) continue;
      rows.push(row);
    }
    return ok(rows.sort(byId));
  }

  nodeLoadUpdate(id: string, loadFraction: number): Result<NodeRow> {
    const invalid = loadInvalid(id, loadFraction);
    if (invalid !== null) return invalid;
    const row = this.nodes.get(id);
    if (row === undefined) return conflictNodeUnknown(`load update`, id);
    const updated = nodeRowCopy({ ...row, loadFraction });
    this.nodes.set(id, updated);
    return ok(updated);
  }

  activate(row: AutomatonActivation): Result<ActiveAutomatonRow> {
    const invalid = activationInvalid(row);
    if (invalid !== null) return invalid;
    const existing = this.automata.get(row.id);
    if (existing !== undefined) return conflictAlreadyActive(existing);
    const problem = this.referencesMissing(row.id, row);
    if (problem !== null) return problem;
    this.versionLast += 1;
    const copy = automatonRowCopy(row, this.versionLast);
    this.index(copy);
    return ok(copy);
  }

  lookup(id: string): Result<ActiveAutomatonRow | null> {
    return ok(this.automata.get(id) ?? null);
  }

  update(id: string, expectedVersion: number, changes: AutomatonChanges): Result<ActiveAutomatonRow> {
    const invalid = changesInvalid(id, expectedVersion, changes);
    if (invalid !== null) return invalid;
    const existing = this.automata.get(id);
    if (existing?.version !== expectedVersion) return conflictVersion(id, expectedVersion, existing?.version ?? null);
    const next = automatonRowCopy({ ...existing, ...changes }, this.versionLast + 1);
    this.unindex(existing);
    const problem = this.referencesMissing(id, next);
    if (problem !== null) {
      this.index(existing);
      return problem;
    }
    this.versionLast += 1;
    this.index(next);
    return ok(next);
  }

  deactivate(id: string, expectedVersion: number): Result<ActiveAutomatonRow> {
    const invalid = changesInvalid(id, expectedVersion, {});
    if (invalid !== null) return invalid;
    const existing = this.automata.get(id);
    if (existing?.version !== expectedVersion) return conflictVersion(id, expectedVersion, existing?.version ?? null);
    this.unindex(existing);
    return ok(existing);
  }

  listByComputeNode(nodeId: string): Result<readonly ActiveAutomatonRow[]> {
    return ok(this.rowsOf(this.byComputeNode.get(nodeId)));
  }

  listByDarqNode(nodeId: string): Result<readonly ActiveAutomatonRow[]> {
    return ok(this.rowsOf(this.byDarqNode.get(nodeId)));
  }

  count(): Result<number> {
    return ok(this.automata.size);
  }

  /**
   * The first broken reference of a row about to be stored (checked with the row unindexed), in
   * the order the SQL stores find them: unique keys before foreign keys.
   */
  private referencesMissing(id: string, row: AutomatonActivation): Result<never> | null {
    if (this.logicalDarqs.has(logicalDarqKey(row.darqNode, row.logicalDarq))) {
      return conflictLogicalDarqTaken(id, row.darqNode, row.logicalDarq);
    }
    const versions = this.types.get(row.type);
    if (versions?.some((v) => v.version === row.typeVersion) !== true) {
      return conflictTypeUnknown(id, row.type, row.typeVersion);
    }
    if (!this.nodes.has(row.computeNode)) return conflictNodeUnknown(`automaton ${id}`, row.computeNode);
    if (!this.nodes.has(row.darqNode)) return conflictNodeUnknown(`automaton ${id}`, row.darqNode);
    return null;
  }

  private index(row: ActiveAutomatonRow): void {
    this.automata.set(row.id, row);
    setAdd(this.byComputeNode, row.computeNode, row.id);
    setAdd(this.byDarqNode, row.darqNode, row.id);
    this.logicalDarqs.set(logicalDarqKey(row.darqNode, row.logicalDarq), row.id);
  }

  private unindex(row: ActiveAutomatonRow): void {
    this.automata.delete(row.id);
    setDelete(this.byComputeNode, row.computeNode, row.id);
    setDelete(this.byDarqNode, row.darqNode, row.id);
    this.logicalDarqs.delete(logicalDarqKey(row.darqNode, row.logicalDarq));
  }

  private rowsOf(ids: ReadonlySet<string> | undefined): readonly ActiveAutomatonRow[] {
    const rows: ActiveAutomatonRow[] = [];
    if (ids === undefined) return rows;
    for (const id of ids) {
      const row = this.automata.get(id);
      if (row !== undefined) rows.push(row);
    }
    return rows.sort(byId);
  }
}
