// The metadata automaton's decisions, as a pure function of (state, message): which operations
// to start, which to redirect, what to record. A Plan reads the step's starting state through the
// events it has already staged in this step (a node marked down, an operation started), so several
// decisions in one step agree with each other, and every decision is an event: replay never
// re-decides, it re-applies.

import type { StepContext } from "./context.ts";
import type { ComputeNodeInfo, DarqNodeInfo, Placement, PlacementChoice } from "./placement.ts";
import {
  opActions, reservedTypePrefix,
  type AutomatonRecord, type MetadataEvent, type MetadataState, type Op, type OpKind,
} from "./metadata-types.ts";

export class Plan {
  private compute: ComputeNodeInfo[];
  private darq: DarqNodeInfo[];
  private placedCount: number;
  private opIdNext: number;
  private readonly ops = new Map<string, Op | null>();
  private readonly records = new Map<string, AutomatonRecord>();

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
  request(kind: OpKind, id: string): void {
    const slash = id.indexOf("/");
    if (slash <= 0 || id.startsWith(reservedTypePrefix)) return;
    const running = this.op(id);
    if (running === undefined) return this.start(kind, id);
    // Only a reversal of direction waits for the running operation; the rest it already covers.
    // A watch keeps the automaton dormant, so an activation (its watcher's wake-up) waits for it.
    const reverses = kind === "activate" ? running.kind === "deactivate" || running.kind === "watch"
      : kind === "deactivate" ? running.kind === "activate" || running.kind === "recover" : false;
    if (reverses && running.then !== kind) {
      this.emit({ type: "opThen", id, then: kind });
      this.ops.set(id, { ...running, then: kind });
    }
  }

  /** Queues `kind` to follow the running `op`, unless something already follows it. */
  thenSet(op: Op, kind: OpKind): void {
    if (op.then !== null) return;
    this.emit({ type: "opThen", id: op.id, then: kind });
    this.ops.set(op.id, { ...op, then: kind });
  }

  /** Starts operation `kind` on `id` if the automaton is in a state where it applies. */
  start(kind: OpKind, id: string): void {
    const type = id.slice(0, id.indexOf("/"));
    const typeVersion = this.state.types[type];
    if (typeVersion === undefined) return; // not a registered type: nothing to activate
    const record = this.record(id);
    const active = record !== undefined && record.computeNode !== null;
    let choice: PlacementChoice | null;
    switch (kind) {
      case "activate":
        if (active) return;
        choice = this.place(id, type, record?.darqNode);
        break;
      case "recover":
        if (!active) return;
        choice = this.computeUp(record.computeNode!)
          ? { computeNode: record.computeNode!, darqNode: record.darqNode }
          : this.place(id, type, record.darqNode);
        break;
      case "deactivate":
        if (!active) return;
        choice = { computeNode: record.computeNode!, darqNode: record.darqNode };
        break;
      case "watch":
        if (record === undefined || active) return;
        choice = { computeNode: "", darqNode: record.darqNode };
        break;
    }
    if (choice === null) {
      if (this.state.waiting[id] === undefined) this.emit({ type: "waiting", id, waiting: true });
      return;
    }
    const opId = this.opIdNext++;
    const op: Op = {
      opId, epoch: opId, kind, id, type, typeVersion, computeNode: choice.computeNode, darqNode: choice.darqNode,
      abandoned: kind === "recover" && record?.computeNode != null && record.computeNode !== choice.computeNode
        ? [record.computeNode] : [],
      action: 0, version: record?.version ?? 0, incarnation: record?.incarnation ?? 0, then: null,
    };
    if (kind === "activate") this.placedCount++;
    this.emit({ type: "opStarted", op });
    this.ops.set(id, op);
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
  }): void {
    const next: Op = {
      ...op, action, version: learnt.version ?? op.version, incarnation: learnt.incarnation ?? op.incarnation,
      computeNode: learnt.computeNode ?? op.computeNode, darqNode: learnt.darqNode ?? op.darqNode,
      epoch: learnt.epoch ?? op.epoch, abandoned: learnt.abandoned ?? op.abandoned,
    };
    this.emit({
      type: "opAdvanced", id: op.id, opId: op.opId, action, version: next.version, incarnation: next.incarnation,
      computeNode: next.computeNode, darqNode: next.darqNode, epoch: next.epoch, abandoned: next.abandoned,
    });
    this.ops.set(op.id, next);
  }

  /** The last action of `op` is done: record where the automaton lives now, start what waits. */
  finish(op: Op): void {
    const record: AutomatonRecord = {
      darqNode: op.darqNode,
      computeNode: op.kind === "deactivate" || op.kind === "watch" ? null : op.computeNode,
      version: op.kind === "deactivate" || op.kind === "watch" ? 0 : op.version,
      incarnation: op.incarnation,
      typeVersion: op.typeVersion,
    };
    this.emit({ type: "opFinished", id: op.id, opId: op.opId, kind: op.kind, record });
    this.ops.set(op.id, null);
    this.records.set(op.id, record);
    if (op.then !== null) this.start(op.then, op.id);
  }

  /** Automata (with no operation running) whose node is `node`, in id order. */
  idsOn(node: string, field: "computeNode" | "darqNode"): string[] {
    return Object.keys(this.state.automata).sort().filter((id) => this.record(id)?.[field] === node);
  }

  /** Retries the operations that found no node up. */
  retryWaiting(): void {
    for (const id of Object.keys(this.state.waiting).sort()) {
      const record = this.record(id);
      const kind: OpKind = record === undefined || record.computeNode === null ? "activate" : "recover";
      if (this.op(id) !== undefined) continue;
      this.start(kind, id);
      if (this.op(id) !== undefined) this.emit({ type: "waiting", id, waiting: false });
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
