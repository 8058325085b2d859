// One automaton's observation, from the monitor's windows and what the cluster holds for it: the
// metadata record (placement), its host's counters (modelled work per step) and its logical
// DARQ's unconsumed entries (backlog and live bytes). Only automata with a record are read, once
// per observation.

import { EntryKind } from "../../engine/darq/index.ts";
import type { AutomatonRecord } from "../../engine/runtime/metadata-types.ts";
import type { AutomatonObservation } from "../../policies/observation.ts";
import type { ClusterMonitor } from "./monitor.ts";
import { metric } from "./monitor.ts";

/** What the monitor remembers of an automaton between observations. */
export type AutomatonMark = {
  readonly computeNode: string | null;
  readonly darqNode: string;
  readonly placedAtUs: number;
  readonly workUs: number;
  readonly steps: number;
  readonly coreUsPerStep: number;
};

/** Unconsumed entries and their bytes on the automaton's DARQ (0, 0 when the node is down). */
function backlogOf(monitor: ClusterMonitor, id: string, darqNode: string): { messages: number; inputs: number; bytes: number } {
  const runtime = monitor.cluster.darqMachines.get(darqNode)?.runtime ?? null;
  const entries = runtime?.darq.readUnconsumed(id);
  if (entries === undefined || !entries.ok) return { messages: 0, inputs: 0, bytes: 0 };
  let bytes = 0;
  let inputs = 0;
  for (const entry of entries.value) {
    bytes += entry.body.length;
    if (entry.kind !== EntryKind.self) inputs++;
  }
  return { messages: entries.value.length, inputs, bytes };
}

/** Work per step since the last observation, from the host's counters (a new host starts over). */
function markNext(monitor: ClusterMonitor, id: string, record: AutomatonRecord, nowUs: number): AutomatonMark {
  const before = monitor.markOf(id);
  const moved = before === undefined || before.computeNode !== record.computeNode || before.darqNode !== record.darqNode;
  const host = record.computeNode === null ? undefined : monitor.cluster.computeMachines.get(record.computeNode)?.runtime?.hostOf(id);
  const workUs = host?.stats.workUs ?? 0;
  const steps = host?.stats.stepsDurable ?? 0;
  const restarted = before === undefined || steps < before.steps || workUs < before.workUs;
  const stepsSince = restarted ? steps : steps - before.steps;
  const workSince = restarted ? workUs : workUs - before.workUs;
  const coreUsPerStep = stepsSince > 0 ? workSince / stepsSince : before?.coreUsPerStep ?? 0;
  return {
    computeNode: record.computeNode, darqNode: record.darqNode,
    // First seen: placed no later than the monitor began (the metadata keeps no times); moved since
    // the last observation: now, the latest it can have been.
    placedAtUs: before === undefined ? monitor.startUs : moved ? nowUs : before.placedAtUs, workUs, steps, coreUsPerStep,
  };
}

export function automatonObservation(monitor: ClusterMonitor, id: string, record: AutomatonRecord, waiting: boolean, nowUs: number): AutomatonObservation {
  const mark = markNext(monitor, id, record, nowUs);
  monitor.markSet(id, mark);
  const slot = monitor.automata.find(id);
  const sums = monitor.sums;
  const rate = (which: number) => (slot === undefined ? 0 : sums.rate(slot, which));
  const stepsPerS = rate(metric.steps);
  // A parked automaton's logical DARQ is hosted nowhere (its state rides in the metadata record).
  const darqNode = record.parked === undefined ? record.darqNode : null;
  const backlog = darqNode === null ? { messages: 0, inputs: 0, bytes: 0 } : backlogOf(monitor, id, darqNode);
  const lastActiveUs = slot === undefined ? -1 : monitor.lastActive(slot);
  return {
    id, type: id.slice(0, id.indexOf("/")),
    messagesInPerS: Math.max(rate(metric.messagesIn), stepsPerS),
    messagesOutPerS: rate(metric.messagesOut),
    stepsPerS,
    stepLatencyUsP50: slot === undefined ? 0 : monitor.latency.quantileUs(slot, 0.5) ?? 0,
    stepLatencyUsP99: slot === undefined ? 0 : monitor.latency.quantileUs(slot, 0.99) ?? 0,
    computeCoreUsPerStep: mark.coreUsPerStep,
    bytesInPerS: rate(metric.bytesIn),
    bytesOutPerS: rate(metric.bytesOut),
    logBytesPerS: rate(metric.bytesIn) + rate(metric.bytesOut),
    logBytes: backlog.bytes,
    backlogMessages: backlog.messages,
    placement: { computeNode: record.computeNode, darqNode },
    placedAtUs: mark.placedAtUs,
    // Unconsumed SELF entries are its state, not work waiting: only inputs make it busy.
    idleSinceUs: stepsPerS > 0 || backlog.inputs > 0 ? null : Math.max(lastActiveUs, mark.placedAtUs),
    pending: waiting,
    standbys: monitor.standbysOf(id),
    mergedInto: null,
  };
}
