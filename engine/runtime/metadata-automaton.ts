// The metadata automaton: the runtime's own automaton (defined with defineAutomaton like any
// other) whose state is the list of metadata operations in progress and where every automaton
// lives. Requests (activate, deactivate, recover), node reports (nodeDown, nodeUp, pools) and the
// executor's progress reports arrive as messages; the handler decides (metadata-plan.ts) and
// records its decisions as events; `apply` folds them in. The executor (metadata-executor.ts)
// carries out the next action of each operation once the state that asks for it is durable.
//
// Exactly-once effects follow from three facts: an action is recorded as done only by a
// committed step; a progress report for anything but the operation's current action is ignored;
// and every action is idempotent, so redoing one after a crash (its effect happened, its report
// was lost) changes nothing.

import { defineAutomaton, type AutomatonDefinition } from "./automaton.ts";
import { Plan } from "./metadata-plan.ts";
import {
  metadataInitial, opActions, processorKinds,
  type ActionResult, type MetadataEvent, type MetadataMessage, type MetadataState, type Op,
} from "./metadata-types.ts";
import type { Placement } from "./placement.ts";

export type MetadataDefinition = AutomatonDefinition<MetadataState, MetadataMessage, MetadataEvent>;

/** The metadata automaton for a cluster whose placement policy is `placement`. */
export function metadataDefinition(placement: Placement): MetadataDefinition {
  return defineAutomaton<MetadataState, MetadataMessage, MetadataEvent>({
    type: "ssms.meta",
    initial: metadataInitial,
    handle(ctx, state, message) {
      const plan = new Plan(ctx, state, placement);
      switch (message.type) {
        case "activate":
        case "deactivate":
          plan.request(message.type, message.id);
          break;
        case "recover":
          recover(plan, message.id, message.computeNode);
          break;
        case "migrate":
          plan.request("migrate", message.id, {
            darqNode: message.darqNode, ...(message.computeNode === undefined ? {} : { computeNode: message.computeNode }),
          });
          break;
        case "moveCompute":
          plan.request("moveCompute", message.id, { computeNode: message.computeNode });
          break;
        case "addStandby":
          plan.request("addStandby", message.id, message.computeNode === undefined ? {} : { computeNode: message.computeNode });
          break;
        case "removeStandby":
          plan.request("removeStandby", message.id, message.computeNode === undefined ? {} : { computeNode: message.computeNode });
          break;
        case "failover":
          plan.request("failover", message.id);
          break;
        case "pools":
          plan.emit({ type: "pools", compute: message.compute, darq: message.darq, types: message.types });
          break;
        case "nodeDown":
          nodeDown(plan, state, message.node);
          break;
        case "nodeUp":
          nodeUp(plan, state, message.node);
          break;
        case "progress":
          progress(plan, message);
          break;
      }
      return undefined;
    },
    apply: metadataApply,
  });
}

function nodeDown(plan: Plan, state: Readonly<MetadataState>, node: string): void {
  if (plan.nodeState(node, false) !== "compute") return;
  // Operations about to start a processor there go elsewhere; those that started one there
  // recover it when they finish; running automata recover elsewhere now.
  for (const id of Object.keys(state.ops).sort()) {
    const op = plan.op(id);
    if (op === undefined || op.computeNode !== node) continue;
    if (op.action <= processorStartAt(op)) plan.replaceCompute(op);
    else if (processorKinds.includes(op.kind)) plan.thenSet(op, "recover");
  }
  // A standby elsewhere takes over from a primary there (no replay). A standby there stays in the
  // record, unused while its node is down, and is started again when the node is back.
  for (const id of plan.idsOn(node, "computeNode")) {
    const standby = plan.record(id)?.standby ?? null;
    plan.request(standby !== null && plan.computeUp(standby) ? "failover" : "recover", id);
  }
}

function nodeUp(plan: Plan, state: Readonly<MetadataState>, node: string): void {
  if (plan.nodeState(node, true) === "darq") {
    // Its processors lost their DARQ object and its watchers their registration: redo both, also
    // for operations that may have started a processor or watcher on the DARQ before it restarted.
    for (const id of Object.keys(state.ops).sort()) {
      const op = plan.op(id);
      if (op === undefined || op.darqNode !== node) continue;
      if (processorKinds.includes(op.kind) && op.action >= processorStartAt(op)) plan.thenSet(op, "recover");
      if (op.kind === "deactivate" || op.kind === "watch") plan.thenSet(op, "watch");
    }
    for (const id of plan.idsOn(node, "darqNode")) {
      const record = plan.record(id);
      plan.request(record?.computeNode === null ? "watch" : "recover", id);
    }
    plan.retryWaiting();
  } else {
    // Automata waiting for a node get it first (a primary lost with its standby recovers before
    // the standby is restarted; the standby then follows the recovery).
    plan.retryWaiting();
    // A compute node is back: a restart lost its standbys, a false suspicion left them running;
    // either way asking for them again gives each automaton exactly the one its record names.
    for (const id of plan.idsOn(node, "standby")) {
      const op = plan.op(id);
      if (op === undefined) plan.request("addStandby", id);
      else if (op.kind !== "removeStandby") plan.thenSet(op, "addStandby");
    }
  }
}

/** A processor was lost (or a recovery is asked for): recover it if it is still the current one. */
function recover(plan: Plan, id: string, computeNode: string | undefined): void {
  if (computeNode === undefined) return plan.request("recover", id);
  const op = plan.op(id);
  if (op !== undefined) {
    // The processor an operation started is lost: recover once the operation is done.
    const started = processorKinds.includes(op.kind) && op.action > processorStartAt(op);
    if (started && op.computeNode === computeNode) plan.thenSet(op, "recover");
    // A standby being added (or removed) beside the lost processor: recover once that is done.
    if ((op.kind === "addStandby" || op.kind === "removeStandby") && plan.record(id)?.computeNode === computeNode) plan.thenSet(op, "recover");
    return;
  }
  if (plan.record(id)?.computeNode === computeNode) plan.request("recover", id);
}

/** Index of processorStart in the op's actions (-1 when it has none). */
function processorStartAt(op: Op): number {
  return (opActions[op.kind] as readonly string[]).indexOf("processorStart");
}

function progress(plan: Plan, report: Extract<MetadataMessage, { type: "progress" }>): void {
  const { id, action, result } = report;
  const op = plan.op(id);
  // Stale: an earlier attempt's report, or a report for an operation that moved on or moved to
  // another compute node since (its processor started there is not the one it now wants).
  if (op === undefined || op.opId !== report.opId || op.action !== action || op.computeNode !== report.computeNode) return;
  switch (result.outcome) {
    case "done": {
      const learnt = {
        ...(result.version === undefined ? {} : { version: result.version }),
        ...(result.incarnation === undefined ? {} : { incarnation: result.incarnation }),
        ...(result.parked === undefined ? {} : { parked: result.parked }),
      };
      if (action + 1 < opActions[op.kind].length) return plan.advance(op, action + 1, learnt);
      return plan.finish({ ...op, ...learnt });
    }
    case "adopt":
      return plan.advance(op, action + 1,
        { computeNode: result.computeNode, darqNode: result.darqNode, version: result.version });
    case "replace":
      // A standby that its node cannot take: the operation ends without one.
      if (op.kind === "addStandby") return plan.finish({ ...op, computeNode: "" });
      // A migration the cluster refuses before its fence: dropped, the automaton stays as it was.
      if (op.kind === "migrate" && action === 0) return plan.drop(op);
      return plan.replaceCompute(op);
  }
}

export function metadataApply(state: MetadataState, event: MetadataEvent): MetadataState {
  switch (event.type) {
    case "pools":
      state.compute = event.compute;
      state.darq = event.darq;
      state.types = event.types;
      break;
    case "nodeState":
      state.compute = state.compute.map((info) => (info.id === event.node ? { ...info, up: event.up } : info));
      state.darq = state.darq.map((info) => (info.id === event.node ? { ...info, up: event.up } : info));
      break;
    case "opStarted":
      state.ops[event.op.id] = { ...event.op };
      state.opIdNext = Math.max(state.opIdNext, event.op.opId + 1);
      if (event.op.kind === "activate") state.placedCount++;
      break;
    case "opAdvanced": {
      const op = state.ops[event.id];
      if (op === undefined || op.opId !== event.opId) break;
      const next: Op = {
        ...op, action: event.action, version: event.version, incarnation: event.incarnation,
        computeNode: event.computeNode, darqNode: event.darqNode, epoch: event.epoch, abandoned: event.abandoned,
        ...(event.parked === undefined ? {} : { parked: event.parked }),
      };
      state.ops[event.id] = next;
      state.opIdNext = Math.max(state.opIdNext, event.epoch + 1);
      break;
    }
    case "opThen": {
      const op = state.ops[event.id];
      if (op !== undefined) state.ops[event.id] = { ...op, then: event.then };
      break;
    }
    case "opFinished":
      delete state.ops[event.id];
      state.automata[event.id] = event.record;
      state.opsFinished[event.kind] = (state.opsFinished[event.kind] ?? 0) + 1;
      break;

    case "waiting":
      if (event.waiting) state.waiting[event.id] = true;
      else delete state.waiting[event.id];
      break;
  }
  return state;
}
