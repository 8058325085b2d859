// The metadata automaton's decisions, as a pure function of (state, message): which operations
// to start, which to redirect, what to record. A Plan reads the step's starting state through the
// events it has already staged in this step (a node marked down, an operation started), so several
// decisions in one step agree with each other, and every decision is an event: replay never
// re-decides, it re-applies.

import type { LogicalState } from "../darq/index.ts";
import type { StepContext } from "./context.ts";
import type { ComputeNodeInfo, DarqNodeInfo, Placement, PlacementChoice } from "./placement.ts";
import {
  opActions, processorKinds, reservedTypePrefix,
  type AutomatonRecord, type MetadataEvent, type MetadataState, type Op, type OpKind,
} from "./metadata-types.ts";

/** What a request names: the DARQ node and compute node an operation should move to. */
export type Want = { readonly darqNode?: string; readonly computeNode?: string };

/**
 * Compute nodes whose processor (or standby) of the automaton an operation leaves behind: the old
 * primary when the processor moves, and the standby when the operation makes it useless (the log
 * moves away, the automaton goes dormant) — the operation stops them once its own is running.
 */
function abandonedAt(kind: OpKind, record: AutomatonRecord | undefined, computeNode: string): string[] {
  const primary = record?.computeNode ?? null;
  const standby = record?.standby ?? null;
  const nodes: string[] = [];
  if (primary !== null && primary !== computeNode && kind !== "addStandby" && kind !== "deactivate") nodes.push(primary);
  if (standby !== null && standby !== computeNode && (kind === "migrate" || kind === "deactivate" || kind === "removeStandby")) nodes.push(standby);
  return nodes;
}

export class Plan {
  private compute: ComputeNodeInfo[];
  private darq: DarqNodeInfo[];
  private placedCount: number;
  private opIdNext: number;
  private readonly ops = new Map<string, Op | null>();
  private readonly records = new Map<string, AutomatonRecord>();
  /** Automata whose waiting mark this step changed (true: waiting for a node to come up). */
  private readonly waitingStaged = new Map<string, boolean>();

  constructor(
    private readonly ctx: StepContext<MetadataEvent>,
    private readonly state: Readonly<MetadataState>,
    private readonly placement: Placement,
  ) {
    this.compute = state.compute;
    this.darq = state.darq;
    this.placedCount = state.placedCount;
    this.opIdNext = state.opIdNext;
  }

  op(id: string): Op | undefined {
    const staged = this.ops.get(id);
    return staged === null ? undefined : staged ?? this.state.ops[id];
  }

  record(id: string): AutomatonRecord | undefined {
    return this.records.get(id) ?? this.state.automata[id];
  }

  emit(event: MetadataEvent): void {
    this.ctx.emit(event);
  }

  /** Marks a node up or down for the rest of this step and records it. */
  nodeState(node: string, up: boolean): "compute" | "darq" | null {
    this.emit({ type: "nodeState", node, up });
    if (this.compute.some((info) => info.id === node)) {
      this.compute = this.compute.map((info) => (info.id === node ? { ...info, up } : info));
      return "compute";
    }
    if (this.darq.some((info) => info.id === node)) {
      this.darq = this.darq.map((info) => (info.id === node ? { ...info, up } : info));
      return "darq";
    }
    return null;
  }

  computeUp(node: string): boolean {
    return this.compute.some((info) => info.id === node && info.up);
  }

  /** An operation is asked for: start it, queue it behind the running one, or ignore it. */
  request(kind: OpKind, id: string, want: Want = {}): void {
    const slash = id.indexOf("/");
    if (slash <= 0 || id.startsWith(reservedTypePrefix)) return;
    const running = this.op(id);
    if (running === undefined) return this.start(kind, id, want);
    // Only a reversal of direction (and a recovery behind a standby's start) waits for the running
    // operation; the rest it already covers (a move, standby or failover asked for while another
    // operation runs is dropped: the asker decides again on what it then observes). A watch keeps the automaton dormant, so an
    // activation (its watcher's wake-up) waits for it.
    const reverses = kind === "activate" ? running.kind === "deactivate" || running.kind === "watch"
      : kind === "deactivate" ? processorKinds.includes(running.kind) || running.kind === "addStandby" || running.kind === "removeStandby"
      : false;
    if (reverses && running.then !== kind) {
      this.emit({ type: "opThen", id, then: kind });
      this.ops.set(id, { ...running, then: kind });
    }
    // Adding a standby starts no processor, so it covers no recovery: the recovery follows it.
    if (kind === "recover" && running.kind === "addStandby") this.thenSet(running, "recover");
    // Removing the standby leaves nothing to fail over to: a failover or recovery asked for meanwhile
    // becomes a recovery after it.
    if ((kind === "recover" || kind === "failover") && running.kind === "removeStandby") this.thenSet(running, "recover");
  }

  /** Queues `kind` to follow the running `op`, unless something already follows it. */
  thenSet(op: Op, kind: OpKind): void {
    if (op.then !== null) return;
    this.emit({ type: "opThen", id: op.id, then: kind });
    this.ops.set(op.id, { ...op, then: kind });
  }

  /** Starts operation `kind` on `id` if the automaton is in a state where it applies. */
  start(kind: OpKind, id: string, want: Want = {}): void {
    const type = id.slice(0, id.indexOf("/"));
    const typeVersion = this.state.types[type];
    if (typeVersion === undefined) return; // not a registered type: nothing to activate
    const record = this.record(id);
    const choice = this.choose(kind, id, type, record, want);
    if (choice === undefined) return;
    if (choice === null) return this.waitingSet(id, true);
    const opId = this.opIdNext++;
    const op: Op = {
      opId, epoch: opId, kind, id, type, typeVersion, computeNode: choice.computeNode, darqNode: choice.darqNode,
      abandoned: abandonedAt(kind, record, choice.computeNode),
      action: 0, version: record?.version ?? 0, incarnation: record?.incarnation ?? 0, then: null,
      ...(kind === "migrate" ? { darqSource: record!.darqNode } : {}),
      ...(kind === "activate" && record?.parked !== undefined ? { parked: record.parked } : {}),
    };
    if (kind === "activate") this.placedCount++;
    this.emit({ type: "opStarted", op });
    this.ops.set(id, op);
    // A processor starting is what a waiting automaton waits for. A standby's start or removal
    // covers no wait, and a node coming up while it runs retries nothing: the wait follows it.
    if (processorKinds.includes(kind)) this.waitingSet(id, false);
    else if (this.waiting(id) && kind !== "deactivate") this.thenSet(op, this.waitingKind(id));
  }

  /** Whether the automaton waits for a node to come up to be activated or recovered. */
  private waiting(id: string): boolean {
    return this.waitingStaged.get(id) ?? this.state.waiting[id] !== undefined;
  }

  private waitingSet(id: string, waiting: boolean): void {
    if (this.waiting(id) === waiting) return;
    this.emit({ type: "waiting", id, waiting });
    this.waitingStaged.set(id, waiting);
  }

  /** What a waiting automaton waits for: an activation if it runs nowhere, else a recovery. */
  private waitingKind(id: string): OpKind {
    const record = this.record(id);
    return record === undefined || record.computeNode === null ? "activate" : "recover";
  }

  /** Where operation `kind` runs; undefined: it does not apply now; null: no node is up (wait). */
  private choose(kind: OpKind, id: string, type: string, record: AutomatonRecord | undefined,
    want: Want): PlacementChoice | null | undefined {
    const active = record !== undefined && record.computeNode !== null;
    // A parked automaton is hosted nowhere: any DARQ node may adopt it; there is nothing to watch.
    if (kind === "activate") return active ? undefined : this.place(id, type, record?.parked === undefined ? record?.darqNode : undefined);
    if (kind === "watch") {
      return record === undefined || active || record.parked !== undefined ? undefined : { computeNode: "", darqNode: record.darqNode };
    }
    if (!active) return undefined;
    const computeNode = record.computeNode!;
    const standby = record.standby ?? null;
    switch (kind) {
      case "recover":
        return this.computeUp(computeNode) ? { computeNode, darqNode: record.darqNode } : this.place(id, type, record.darqNode);
      case "deactivate":
        return { computeNode, darqNode: record.darqNode };
      case "migrate": {
        const target = want.darqNode;
        if (target === undefined || target === record.darqNode || !this.darq.some((info) => info.id === target && info.up)) return undefined;
        if (want.computeNode !== undefined) return this.computeUp(want.computeNode) ? { computeNode: want.computeNode, darqNode: target } : undefined;
        return this.place(id, type, target) ?? undefined;
      }
      case "moveCompute":
        return want.computeNode === undefined || want.computeNode === computeNode || !this.computeUp(want.computeNode)
          ? undefined : { computeNode: want.computeNode, darqNode: record.darqNode };
      case "addStandby": {
        // One standby per automaton: asking again resumes it where it is (it stops tailing when idle).
        if (standby !== null) return this.computeUp(standby) ? { computeNode: standby, darqNode: record.darqNode } : undefined;
        const node = want.computeNode ?? this.compute.find((info) => info.up && info.id !== computeNode)?.id;
        return node === undefined || node === computeNode || !this.computeUp(node) ? undefined : { computeNode: node, darqNode: record.darqNode };
      }
      case "failover":
        return standby === null || !this.computeUp(standby) ? undefined : { computeNode: standby, darqNode: record.darqNode };
      case "removeStandby":
        // The primary stays where it is; the standby is what the operation leaves behind.
        return standby === null || (want.computeNode !== undefined && want.computeNode !== standby)
          ? undefined : { computeNode, darqNode: record.darqNode };
    }
  }

  /** Moves an operation that has not started its processor yet to another compute node. */
  replaceCompute(op: Op): void {
    const processorAt = (opActions[op.kind] as readonly string[]).indexOf("processorStart");
    if (processorAt < 0 || op.action > processorAt) return;
    const choice = this.place(op.id, op.type, op.darqNode);
    if (choice === null || choice.computeNode === op.computeNode) return;
    const abandoned = op.abandoned.includes(op.computeNode) ? op.abandoned : [...op.abandoned, op.computeNode];
    this.advance(op, op.action, {
      computeNode: choice.computeNode, epoch: this.opIdNext++, abandoned: abandoned.filter((node) => node !== choice.computeNode),
    });
  }

  /** Records that `op` is now at `action`, with what the last action learnt. */
  advance(op: Op, action: number, learnt: {
    version?: number; incarnation?: number; computeNode?: string; darqNode?: string; epoch?: number; abandoned?: string[];
    parked?: LogicalState;
  }): void {
    const next: Op = {
      ...op, action, version: learnt.version ?? op.version, incarnation: learnt.incarnation ?? op.incarnation,
      computeNode: learnt.computeNode ?? op.computeNode, darqNode: learnt.darqNode ?? op.darqNode,
      epoch: learnt.epoch ?? op.epoch, abandoned: learnt.abandoned ?? op.abandoned,
      ...(learnt.parked === undefined ? {} : { parked: learnt.parked }),
    };
    this.emit({
      type: "opAdvanced", id: op.id, opId: op.opId, action, version: next.version, incarnation: next.incarnation,
      computeNode: next.computeNode, darqNode: next.darqNode, epoch: next.epoch, abandoned: next.abandoned,
      ...(learnt.parked === undefined ? {} : { parked: learnt.parked }),
    });
    this.ops.set(op.id, next);
  }

  /** The last action of `op` is done: record where the automaton lives now, start what waits. */
  finish(op: Op): void {
    const before = this.record(op.id);
    const dormant = op.kind === "deactivate" || op.kind === "watch";
    let record: AutomatonRecord;
    if (op.kind === "addStandby") {
      // The standby runs beside the primary; "" means its node could not take it.
      record = { ...before!, standby: op.computeNode === "" ? null : op.computeNode };
    } else if (op.kind === "removeStandby") {
      const { standby: _removed, ...rest } = before!;
      record = rest;
    } else {
      const standbyBefore = before?.standby ?? null;
      // A standby survives a move of the primary to another node, nothing else. A placement of the
      // operation on the standby's node (abandoned since) ended it there: its start promoted the
      // standby, its stop (processorStopAbandoned fences the node) stopped it.
      const consumed = standbyBefore !== null && (standbyBefore === op.computeNode || op.abandoned.includes(standbyBefore));
      const standby = dormant || op.kind === "migrate" || op.kind === "failover" || consumed ? null : standbyBefore;
      const parked = op.kind === "deactivate" ? op.parked : undefined;
      record = {
        darqNode: op.darqNode, computeNode: dormant ? null : op.computeNode, version: dormant ? 0 : op.version,
        incarnation: op.incarnation, typeVersion: op.typeVersion, ...(standby === null ? {} : { standby }),
        ...(parked === undefined ? {} : { parked }),
      };
    }
    this.emit({ type: "opFinished", id: op.id, opId: op.opId, kind: op.kind, record });
    this.ops.set(op.id, null);
    this.records.set(op.id, record);
    // Parked with input or unacknowledged output after all (it raced the fence): wake it again.
    const unfinished = record.parked !== undefined &&
      (record.parked.ins.length > 0 || record.parked.pairs.some((pair) => pair.bodies.length > 0));
    const then = op.then ?? (unfinished ? "activate" : null);
    if (then !== null) this.start(then, op.id);
    // A standby's node coming back asks for its restart with thenSet, which an operation already
    // queued swallows: a queued processor start re-asserts the standby after it (idempotent, it
    // resumes one that still runs).
    const next = this.op(op.id);
    if (op.then !== null && next !== undefined && processorKinds.includes(next.kind) && (record.standby ?? null) !== null) {
      this.thenSet(next, "addStandby");
    }
  }

  /** Ends `op` before it changed anything: the record stays as it was. */
  drop(op: Op): void {
    const record = this.record(op.id)!;
    this.emit({ type: "opFinished", id: op.id, opId: op.opId, kind: op.kind, record });
    this.ops.set(op.id, null);
    if (op.then !== null) this.start(op.then, op.id);
  }

  /** Automata (with no operation running) whose node is `node`, in id order. */
  idsOn(node: string, field: "computeNode" | "darqNode" | "standby"): string[] {
    return Object.keys(this.state.automata).sort().filter((id) => this.record(id)?.[field] === node);
  }

  /** Retries the operations that found no node up. */
  retryWaiting(): void {
    for (const id of Object.keys(this.state.waiting).sort()) {
      if (this.op(id) === undefined && this.waiting(id)) this.start(this.waitingKind(id), id);
    }
  }

  private place(id: string, type: string, darqFixed: string | undefined): PlacementChoice | null {
    const darq = darqFixed === undefined ? this.darq : this.darq.filter((info) => info.id === darqFixed);
    // Counted only if the policy reads it: counting walks every automaton, which would make
    // activating n automata cost n² under policies that never look (round-robin, hash, groups).
    const automata = this.state.automata;
    let counted: Record<string, number> | undefined;
    const load = {
      placedCount: this.placedCount,
      get automataByNode(): Record<string, number> {
        counted ??= automataByNodeOf(automata);
        return counted;
      },
    };
    const choice = this.placement(id, type, { compute: this.compute, darq }, load);
    if (choice === null) return null;
    // A dormant automaton's log stays where it is: only the compute node is chosen.
    return darqFixed === undefined ? choice : { computeNode: choice.computeNode, darqNode: darqFixed };
  }
}

/** Active automata per node id (compute and DARQ nodes). */
function automataByNodeOf(automata: Readonly<Record<string, AutomatonRecord>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of Object.values(automata)) {
    if (record.computeNode === null) continue;
    counts[record.computeNode] = (counts[record.computeNode] ?? 0) + 1;
    counts[record.darqNode] = (counts[record.darqNode] ?? 0) + 1;
  }
  return counts;
}
