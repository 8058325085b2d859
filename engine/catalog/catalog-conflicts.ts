// The catalog's conflict results, worded once so all stores say the same thing. A conflict means a
// precondition of the operation did not hold; the caller re-reads the catalog and decides (retry
// the workflow step, route to the automaton's current home, pick another node).

import { ErrorCode } from "../io/errors.ts";
import { err, type Err } from "../io/result.ts";
import type { ActiveAutomatonRow, AutomatonTypeRow } from "./catalog-rows.ts";

export function conflictAlreadyActive(existing: ActiveAutomatonRow): Err {
  return err(ErrorCode.catalogConflict,
    `automaton ${existing.id} is already active (compute ${existing.computeNode}, DARQ ` +
    `${existing.darqNode}#${existing.logicalDarq}, version ${existing.version}); route to it instead`);
}

export function conflictLogicalDarqTaken(id: string, darqNode: string, logicalDarq: string): Err {
  return err(ErrorCode.catalogConflict,
    `automaton ${id}: logical DARQ ${darqNode}#${logicalDarq} already serves another automaton; ` +
    "allocate a different logical DARQ id");
}

export function conflictTypeUnknown(id: string, type: string, version: number): Err {
  return err(ErrorCode.catalogConflict,
    `automaton ${id}: type ${type} version ${version} is not registered; register it first`);
}

export function conflictNodeUnknown(id: string, nodeId: string): Err {
  return err(ErrorCode.catalogConflict, `${id}: node ${nodeId} is not in the catalog; upsert it first`);
}

export function conflictNodeInUse(nodeId: string): Err {
  return err(ErrorCode.catalogConflict,
    `node ${nodeId} still hosts active automata; migrate or deactivate them before removing it`);
}

export function conflictVersion(id: string, expectedVersion: number, actualVersion: number | null): Err {
  const actual = actualVersion === null ? "it is not active" : `it is at version ${actualVersion}`;
  return err(ErrorCode.catalogConflict,
    `automaton ${id}: expected version ${expectedVersion} but ${actual}; re-read and retry`);
}

export function conflictTypeRedefined(row: AutomatonTypeRow, existing: AutomatonTypeRow): Err {
  return err(ErrorCode.catalogConflict,
    `type ${row.type} version ${row.version} is already registered with module ${existing.module}, ` +
    `not ${row.module}; register the new definition under a new version`);
}
