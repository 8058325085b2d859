// The catalog's three tables as plain typed rows (paper §3.3, DESIGN §4), and the validation every
// CatalogStore runs before it touches storage, so the three implementations refuse exactly the
// same inputs with the same error code.
//
// Rows are immutable values: stores copy what they are given and hand out frozen rows, so a caller
// that keeps a row cannot change the catalog behind the store's back.

import { ErrorCode } from "../io/errors.ts";
import { err, type Err } from "../io/result.ts";
import { automatonIdCheck, automatonTypeProblem } from "../runtime/ids.ts";

/** Table 1: an automaton type → the definition that implements it. Key: (type, version). */
export type AutomatonTypeRow = {
  /** Type name, the part of an automaton id before the first "/"; contains no "/". */
  readonly type: string;
  /** Positive integer; a new definition of a type gets a new version. */
  readonly version: number;
  /** Where the definition lives: a module specifier the compute node can import. */
  readonly module: string;
};

export type NodeKind = "compute" | "darq";
export const nodeKinds: readonly NodeKind[] = ["compute", "darq"];

/** `up` takes new automata; `draining` keeps its automata but takes no new ones; `down` is gone. */
export type NodeState = "up" | "draining" | "down";
export const nodeStates: readonly NodeState[] = ["up", "draining", "down"];

/** Table 2: a compute node or a DARQ node. Key: id. */
export type NodeRow = {
  readonly id: string;
  readonly kind: NodeKind;
  /** Pool/class, e.g. "vm:D8s_v3", "serverless", "darq:hot-replicated", "darq:ssd", "darq:blob". */
  readonly pool: string;
  /** Availability zone (placement keeps chatty automata in one zone). */
  readonly zone: string;
  /** Size: vCPUs of the machine (for serverless: of one instance). */
  readonly cores: number;
  /** Size: memory of the machine (for serverless: of one instance). */
  readonly memoryMiB: number;
  /** How to reach it (transport address). */
  readonly address: string;
  /** Utilisation reported by the monitor: 0 idle, 1 saturated (may exceed 1 when overloaded). */
  readonly loadFraction: number;
  readonly state: NodeState;
};

/** What metadata workflows record about an automaton while they work on it. */
export type AutomatonState = "activating" | "active" | "migrating" | "deactivating" | "recovering";
export const automatonStates: readonly AutomatonState[] =
  ["activating", "active", "migrating", "deactivating", "recovering"];

/** Table 3: an active automaton. Key: id; (darqNode, logicalDarq) is unique too. */
export type ActiveAutomatonRow = {
  /** Logical id "type/key". */
  readonly id: string;
  readonly type: string;
  /** The registered (type, typeVersion) whose definition runs it. */
  readonly typeVersion: number;
  readonly computeNode: string;
  readonly darqNode: string;
  /** Name of the logical DARQ on `darqNode` that holds its log (Step.logicalDarq); unique per DARQ node. */
  readonly logicalDarq: string;
  /** Fencing epoch of its processor (DESIGN §3, property 8). */
  readonly incarnation: number;
  readonly state: AutomatonState;
  /**
   * Row version for compare-and-set. Every activate and update takes the next value of one
   * catalog-wide counter, so a version is never reused, not even by a later activation of the
   * same id: a stale workflow's compare-and-set cannot succeed against a newer activation.
   */
  readonly version: number;
};

/** What `activate` takes: a row without its version (the store assigns it). */
export type AutomatonActivation = Omit<ActiveAutomatonRow, "version">;

/** Fields a compare-and-set `update` may change; absent fields stay as they are. */
export type AutomatonChanges = {
  readonly typeVersion?: number;
  readonly computeNode?: string;
  readonly darqNode?: string;
  readonly logicalDarq?: string;
  readonly incarnation?: number;
  readonly state?: AutomatonState;
};

/** Filter for `nodeList`; absent fields match everything. */
export type NodeFilter = { readonly kind?: NodeKind; readonly pool?: string };

/** Longest name, address or module string the catalog stores. */
export const catalogStringLengthMax = 512;

function invalid(where: string, what: string): Err {
  return err(ErrorCode.argumentInvalid, `catalog ${where}: ${what}`);
}

function nameProblem(value: unknown, field: string): string | null {
  if (typeof value !== "string" || value.length === 0) return `${field} must be a non-empty string`;
  if (value.length > catalogStringLengthMax) {
    return `${field} is ${value.length} characters, more than ${catalogStringLengthMax}`;
  }
  return null;
}

function integerProblem(value: unknown, field: string, min: number): string | null {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    return `${field} must be an integer ≥ ${min}, got ${String(value)}`;
  }
  return null;
}

function firstProblem(problems: readonly (string | null)[]): string | null {
  for (const problem of problems) if (problem !== null) return problem;
  return null;
}

export function typeRowInvalid(row: AutomatonTypeRow): Err | null {
  const problem = firstProblem([
    typeof row.type === "string" ? automatonTypeProblem(row.type) ?? null : "type must be a string",
    integerProblem(row.version, "version", 1),
    nameProblem(row.module, "module"),
  ]);
  return problem === null ? null : invalid(`type ${String(row.type)}`, problem);
}

export function nodeRowInvalid(row: NodeRow): Err | null {
  const problem = firstProblem([
    nameProblem(row.id, "id"),
    nodeKinds.includes(row.kind) ? null : `kind must be one of ${nodeKinds.join(", ")}`,
    nameProblem(row.pool, "pool"),
    nameProblem(row.zone, "zone"),
    integerProblem(row.cores, "cores", 0),
    integerProblem(row.memoryMiB, "memoryMiB", 0),
    nameProblem(row.address, "address"),
    loadProblem(row.loadFraction),
    nodeStates.includes(row.state) ? null : `state must be one of ${nodeStates.join(", ")}`,
  ]);
  return problem === null ? null : invalid(`node ${String(row.id)}`, problem);
}

export function loadProblem(loadFraction: unknown): string | null {
  return typeof loadFraction === "number" && Number.isFinite(loadFraction) && loadFraction >= 0
    ? null
    : `loadFraction must be a finite number ≥ 0, got ${String(loadFraction)}`;
}

export function loadInvalid(nodeId: string, loadFraction: number): Err | null {
  const problem = loadProblem(loadFraction);
  return problem === null ? null : invalid(`node ${nodeId}`, problem);
}

/** An automaton id is "type/key" (runtime/ids.ts rules) and its type part is the row's type. */
export function automatonIdProblem(id: unknown, type: unknown): string | null {
  if (typeof id !== "string" || typeof type !== "string") return "id and type must be strings";
  const checked = automatonIdCheck(id);
  if (!checked.ok) return checked.reason;
  return checked.value.type === type ? null : `id "${id}" does not belong to type "${type}"`;
}

export function activationInvalid(row: AutomatonActivation): Err | null {
  const problem = firstProblem([
    nameProblem(row.type, "type"),
    automatonIdProblem(row.id, row.type),
    integerProblem(row.typeVersion, "typeVersion", 1),
    nameProblem(row.computeNode, "computeNode"),
    nameProblem(row.darqNode, "darqNode"),
    nameProblem(row.logicalDarq, "logicalDarq"),
    integerProblem(row.incarnation, "incarnation", 0),
    automatonStates.includes(row.state) ? null : `state must be one of ${automatonStates.join(", ")}`,
  ]);
  return problem === null ? null : invalid(`automaton ${String(row.id)}`, problem);
}

export function changesInvalid(id: string, expectedVersion: number, changes: AutomatonChanges): Err | null {
  const problem = firstProblem([
    integerProblem(expectedVersion, "expectedVersion", 1),
    changes.typeVersion === undefined ? null : integerProblem(changes.typeVersion, "typeVersion", 1),
    changes.computeNode === undefined ? null : nameProblem(changes.computeNode, "computeNode"),
    changes.darqNode === undefined ? null : nameProblem(changes.darqNode, "darqNode"),
    changes.logicalDarq === undefined ? null : nameProblem(changes.logicalDarq, "logicalDarq"),
    changes.incarnation === undefined ? null : integerProblem(changes.incarnation, "incarnation", 0),
    changes.state === undefined || automatonStates.includes(changes.state)
      ? null : `state must be one of ${automatonStates.join(", ")}`,
  ]);
  return problem === null ? null : invalid(`automaton ${id}`, problem);
}

/** Copies exactly the row's fields (dropping any extras a caller attached) and freezes the copy. */
export function typeRowCopy(row: AutomatonTypeRow): AutomatonTypeRow {
  return Object.freeze({ type: row.type, version: row.version, module: row.module });
}

export function nodeRowCopy(row: NodeRow): NodeRow {
  return Object.freeze({
    id: row.id, kind: row.kind, pool: row.pool, zone: row.zone, cores: row.cores,
    memoryMiB: row.memoryMiB, address: row.address, loadFraction: row.loadFraction, state: row.state,
  });
}

export function automatonRowCopy(row: AutomatonActivation, version: number): ActiveAutomatonRow {
  return Object.freeze({
    id: row.id, type: row.type, typeVersion: row.typeVersion, computeNode: row.computeNode,
    darqNode: row.darqNode, logicalDarq: row.logicalDarq, incarnation: row.incarnation,
    state: row.state, version,
  });
}
