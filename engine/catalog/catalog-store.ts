// The CatalogStore seam: the catalog's three tables (paper §3.3, DESIGN §4) behind one
// callback-based interface, so the simulator (CatalogStoreMemory), one machine
// (CatalogStoreSqlite) and a cluster (CatalogStorePostgres) run the same runtime code.
//
// Contract (every implementation; proved by catalog-store.contract.ts):
// - Every operation takes a completion callback `done(result)` and calls it exactly once. It may
//   run synchronously inside the call (SQLite, memory without latency) or later (PostgreSQL,
//   memory with modelled latency); callers must handle both. No operation throws for operating
//   errors: storage that cannot be reached gives `catalogUnavailable`, invalid input gives
//   `argumentInvalid`, and a broken precondition (already active, wrong version, unknown node or
//   type, a node still in use) gives `catalogConflict`. Each reason names the row concerned.
// - Each operation is atomic and operations are linearizable: they take effect in some order
//   consistent with their completions.
// - Types: `typeRegister` is idempotent for an identical (type, version, module) and conflicts
//   for a different module at the same (type, version); versions are never overwritten.
//   `typeGet(type, "latest")` returns the highest version.
// - Nodes: `nodeUpsert` inserts or replaces a node. `nodeRemove` answers false for an unknown
//   node and conflicts while any active automaton names the node.
// - Active automata: `activate` inserts if absent; it conflicts when the id is
//   already active (this is what prevents double activation, also between concurrent callers on
//   different machines), when (darqNode, logicalDarq) is taken, or when the type version or either
//   node is not in the catalog. `update` and `deactivate` are compare-and-set on `version`: they
//   succeed only when the row exists with exactly `expectedVersion`; `update` answers the new
//   row, `deactivate` deletes and answers the removed row. Activate and update give the row a
//   fresh version from one catalog-wide increasing counter, so versions are never reused (no ABA
//   between an old activation of an id and a new one).
// - Lists are ordered: types by (type, version), nodes and automata by id. Rows are frozen
//   plain objects with exactly the fields of their type.
// - After `close`, the store is not used again.

import type { Result } from "../io/result.ts";
import type {
  ActiveAutomatonRow, AutomatonActivation, AutomatonChanges, AutomatonTypeRow, NodeFilter, NodeRow,
} from "./catalog-rows.ts";

export type {
  ActiveAutomatonRow, AutomatonActivation, AutomatonChanges, AutomatonState, AutomatonTypeRow,
  NodeFilter, NodeKind, NodeRow, NodeState,
} from "./catalog-rows.ts";

/** A completion callback; called exactly once per operation. */
export type Done<T> = (result: Result<T>) => void;

export interface CatalogStore {
  // Table 1: automaton types → definitions.
  typeRegister(row: AutomatonTypeRow, done: Done<AutomatonTypeRow>): void;
  typeGet(type: string, version: number | "latest", done: Done<AutomatonTypeRow | null>): void;
  typeList(done: Done<readonly AutomatonTypeRow[]>): void;

  // Table 2: compute and DARQ nodes.
  nodeUpsert(row: NodeRow, done: Done<NodeRow>): void;
  nodeRemove(id: string, done: Done<boolean>): void;
  nodeGet(id: string, done: Done<NodeRow | null>): void;
  nodeList(filter: NodeFilter, done: Done<readonly NodeRow[]>): void;
  /** Records the monitor's latest utilisation; conflicts for an unknown node. */
  nodeLoadUpdate(id: string, loadFraction: number, done: Done<NodeRow>): void;

  // Table 3: active automata.
  activate(row: AutomatonActivation, done: Done<ActiveAutomatonRow>): void;
  /** The active row for `id`, or null when it is not active (the runtime then activates it). */
  lookup(id: string, done: Done<ActiveAutomatonRow | null>): void;
  update(id: string, expectedVersion: number, changes: AutomatonChanges, done: Done<ActiveAutomatonRow>): void;
  deactivate(id: string, expectedVersion: number, done: Done<ActiveAutomatonRow>): void;
  listByComputeNode(nodeId: string, done: Done<readonly ActiveAutomatonRow[]>): void;
  listByDarqNode(nodeId: string, done: Done<readonly ActiveAutomatonRow[]>): void;
  /** Number of active automata. */
  count(done: Done<number>): void;

  close(done: Done<void>): void;
}
