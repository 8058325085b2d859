// The metadata automaton's data: its state, the messages it takes and the events it records.
// Metadata operations (activate, deactivate, recover, watch, migrate, moveCompute, addStandby,
// removeStandby, failover) are resilient workflows (paper §3.3): each is a fixed list of idempotent actions, and
// the automaton's state records which action an operation is at. Its events are the workflow's
// progress, written to its own logical DARQ, so after any crash of the metadata worker the
// replayed state says exactly what is left to do, and redoing an action that had already taken
// effect changes nothing.
//
// All of it is plain data (msgpack), so the host snapshots the state as it is.

import type { LogicalState } from "../darq/index.ts";
import type { ComputeNodeInfo, DarqNodeInfo } from "./placement.ts";

/** The metadata automaton's id; its logical DARQ lives on the cluster's metadata DARQ node. */
export const metadataId = "ssms.meta/main";
/** Types whose automata the metadata workflow never activates (the runtime's own). */
export const reservedTypePrefix = "ssms.";

export type OpKind =
  | "activate" | "deactivate" | "recover" | "watch" | "migrate" | "moveCompute" | "addStandby" | "removeStandby" | "failover";

/** Kinds that start a processor for the automaton (and so may need a recovery after it). */
export const processorKinds: readonly OpKind[] = ["activate", "recover", "migrate", "moveCompute", "failover"];

/** The actions of each operation, in order. Every action is idempotent (metadata-executor.ts). */
export const opActions = {
  /** Insert the catalog row (state activating), host the logical DARQ, start the processor, mark
   *  active, stop whatever an earlier placement of this operation may have started. */
  activate: ["catalogInsert", "darqHost", "processorStart", "catalogActive", "processorStopAbandoned"],
  /** Mark deactivating, stop the processor (and any standby), fence it with a watcher on the DARQ,
   *  park the logical DARQ if nothing in it is unconsumed (export its state into the metadata
   *  record) and drop it from its DARQ node, delete the row. An unparked automaton stays hosted,
   *  watched; a parked one costs no DARQ and is re-hosted (adopted) by its next activation. */
  deactivate: ["catalogDeactivating", "processorStop", "darqWatch", "darqPark", "darqDrop", "catalogDelete"],
  /** Start a processor (new incarnation) on an up compute node, record it in the catalog, stop the
   *  old one where it may still run (and whatever an earlier placement started). */
  recover: ["processorStart", "catalogRecovered", "processorStopAbandoned"],
  /** Re-arm the wake-up watcher of a dormant automaton after its DARQ node restarted. */
  watch: ["darqWatch"],
  /** DESIGN §3 property 10: fence the logical DARQ at the source (`darqSource`), copy its state to
   *  the target (`darqNode`) as one ADOPT record, start the processor against the target, flip the
   *  catalog row (DARQ node, compute node, incarnation), stop the old processor, release the source. */
  migrate: ["darqFence", "darqAdopt", "processorStart", "catalogMoved", "processorStopAbandoned", "darqRelease"],
  /** Restart the processor on another compute node; the logical DARQ stays where it is. */
  moveCompute: ["processorStart", "catalogRecovered", "processorStopAbandoned"],
  /** Start a warm standby on `computeNode`: it tails the DARQ and applies committed steps. */
  addStandby: ["standbyStart"],
  /** Stop the standby processor where the record names it (the operation's `abandoned`); the
   *  primary keeps running. The record then names no standby. */
  removeStandby: ["processorStopAbandoned"],
  /** Promote the standby (new incarnation; its state is warm, no replay from the checkpoint). */
  failover: ["processorStart", "catalogRecovered", "processorStopAbandoned"],
} as const satisfies Record<OpKind, readonly string[]>;

export type ActionName = (typeof opActions)[OpKind][number];

/** One operation in progress; at most one per automaton. */
export type Op = {
  readonly opId: number;
  readonly kind: OpKind;
  readonly id: string;
  readonly type: string;
  readonly typeVersion: number;
  computeNode: string;
  darqNode: string;
  /**
   * Registration epoch: taken from the same counter as opIds, renewed whenever the operation is
   * re-placed, so a late registration from an earlier placement is older and refused.
   */
  epoch: number;
  /**
   * Compute nodes where this operation may have started a processor it no longer wants (earlier
   * placements; for recover, the node it ran on before): processorStopAbandoned stops it there.
   */
  abandoned: string[];
  /** Index into opActions[kind] of the next action to carry out. */
  action: number;
  /** Catalog row version the next compare-and-set expects (0: no row yet). */
  version: number;
  /** Incarnation of the processor this operation started (0: none yet). */
  incarnation: number;
  /** An operation asked for while this one runs, started when it finishes. */
  then: OpKind | null;
  /** migrate: the DARQ node the logical DARQ moves away from. */
  darqSource?: string;
  /** deactivate: the state it parked; activate: the parked state to adopt on `darqNode`. */
  parked?: LogicalState;
};

/** Where an automaton lives. computeNode null: dormant (no processor; its log stays on darqNode). */
export type AutomatonRecord = {
  readonly darqNode: string;
  readonly computeNode: string | null;
  readonly version: number;
  readonly incarnation: number;
  readonly typeVersion: number;
  /** The compute node of a warm standby processor (absent or null: none). */
  readonly standby?: string | null;
  /** A parked dormant automaton: its whole logical DARQ, hosted nowhere (darqNode is where it was). */
  readonly parked?: LogicalState;
};

export type MetadataState = {
  compute: ComputeNodeInfo[];
  darq: DarqNodeInfo[];
  /** type → version to activate. */
  types: Record<string, number>;
  automata: Record<string, AutomatonRecord>;
  ops: Record<string, Op>;
  /** Activations that found no node up; retried when one comes up. */
  waiting: Record<string, true>;
  placedCount: number;
  opIdNext: number;
  /** Operations completed, per kind (monitoring; tests check exactly-once completion with it). */
  opsFinished: Record<OpKind, number>;
};

/** What an action reports back (as a `progress` message from the executor). */
export type ActionResult =
  | { readonly outcome: "done"; readonly version?: number; readonly incarnation?: number; readonly parked?: LogicalState }
  /** The catalog already holds a row for the id with another placement: adopt it. */
  | { readonly outcome: "adopt"; readonly computeNode: string; readonly darqNode: string; readonly version: number }
  /** The chosen compute node cannot run the processor (down, unknown): place it elsewhere. */
  | { readonly outcome: "replace"; readonly reason: string };

export type MetadataMessage =
  | { readonly type: "activate"; readonly id: string }
  | { readonly type: "deactivate"; readonly id: string }
  /** `computeNode`: recover only if the automaton's processor is (or is being started) there. */
  | { readonly type: "recover"; readonly id: string; readonly computeNode?: string }
  /**
   * Moves the logical DARQ to DARQ node `darqNode` (and the processor to `computeNode`, else one
   * the placement picks near it). Ignored for a dormant, unknown or busy automaton, or when it
   * already lives on `darqNode`.
   */
  | { readonly type: "migrate"; readonly id: string; readonly darqNode: string; readonly computeNode?: string }
  /** Restarts the processor on `computeNode` (must be up); the logical DARQ stays. */
  | { readonly type: "moveCompute"; readonly id: string; readonly computeNode: string }
  /** Starts a warm standby of an active automaton on `computeNode` (else the first up compute node
   *  that is not the primary's). When the primary's compute node fails, failover replaces recover.
   *  For an automaton that has one, it resumes that standby's tailing (it stops when idle). */
  | { readonly type: "addStandby"; readonly id: string; readonly computeNode?: string }
  /** Stops the automaton's standby (if `computeNode` is given, only a standby there). */
  | { readonly type: "removeStandby"; readonly id: string; readonly computeNode?: string }
  /** Promotes the standby to primary now (an operator's or optimizer's failover). */
  | { readonly type: "failover"; readonly id: string }
  | { readonly type: "pools"; readonly compute: ComputeNodeInfo[]; readonly darq: DarqNodeInfo[]; readonly types: Record<string, number> }
  | { readonly type: "nodeDown"; readonly node: string }
  | { readonly type: "nodeUp"; readonly node: string }
  | {
    readonly type: "progress"; readonly id: string; readonly opId: number; readonly action: number;
    /** The compute node the action was carried out for (an op that moved ignores the report). */
    readonly computeNode: string; readonly result: ActionResult;
  };

export type MetadataEvent =
  | { readonly type: "pools"; readonly compute: ComputeNodeInfo[]; readonly darq: DarqNodeInfo[]; readonly types: Record<string, number> }
  | { readonly type: "nodeState"; readonly node: string; readonly up: boolean }
  | { readonly type: "opStarted"; readonly op: Op }
  | {
    readonly type: "opAdvanced"; readonly id: string; readonly opId: number; readonly action: number;
    readonly version: number; readonly incarnation: number; readonly computeNode: string; readonly darqNode: string;
    readonly epoch: number; readonly abandoned: string[]; readonly parked?: LogicalState;
  }
  | { readonly type: "opThen"; readonly id: string; readonly then: OpKind }
  | { readonly type: "opFinished"; readonly id: string; readonly opId: number; readonly kind: OpKind; readonly record: AutomatonRecord }
  | { readonly type: "waiting"; readonly id: string; readonly waiting: boolean };

export function metadataInitial(): MetadataState {
  return { compute: [], darq: [], types: {}, automata: {}, ops: {}, waiting: {}, placedCount: 0, opIdNext: 1,
    opsFinished: { activate: 0, deactivate: 0, recover: 0, watch: 0, migrate: 0, moveCompute: 0, addStandby: 0, removeStandby: 0, failover: 0 } };
}

export function actionName(op: Op): ActionName {
  const name = opActions[op.kind][op.action];
  if (name === undefined) throw new RangeError(`operation ${op.kind} of ${op.id} has no action ${op.action}`);
  return name;
}
