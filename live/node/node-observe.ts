// What a node tells operators: its health (a JSON summary for `ssms cluster status` and tests)
// and its metrics in Prometheus text format — steps committed (by the DARQ, and per automaton type
// for co-located processors), messages sent and received by the transport, the durable-step
// latency histogram and the fdatasync latency histogram, plus queue and processor gauges.

import { reservedTypePrefix } from "../../engine/runtime/metadata-types.ts";
import type { LiveNode } from "./live-node.ts";
import { prometheusText, type MetricSample } from "./metrics.ts";

export type NodeHealth = {
  readonly node: string;
  readonly role: string;
  readonly bootId: string;
  readonly firstBoot: boolean;
  readonly uptimeS: number;
  readonly darq: null | { readonly logicalDarqs: number; readonly automata: number; readonly stepsCommitted: number; readonly lsnDurable: number };
  readonly compute: { readonly id: string; readonly processors: number; readonly started: number; readonly lost: number };
  readonly steps: { readonly byType: Record<string, number>; readonly latencyUsP50: number; readonly latencyUsP99: number };
  readonly fsync: null | { readonly count: number; readonly latencyUsP50: number; readonly latencyUsP99: number };
  readonly transport: { readonly sent: number; readonly delivered: number; readonly endpoint: string };
  readonly metadata: null | { readonly running: boolean; readonly idle: boolean; readonly poolsKnown: boolean; readonly opsInProgress: number; readonly automata: number; readonly nodesDown: string[] };
};

export function nodeHealth(live: LiveNode): NodeHealth {
  const { runtimes, meter, device, transport } = live;
  const darq = runtimes.darq?.darq ?? null;
  const worker = runtimes.worker;
  const byType: Record<string, number> = {};
  for (const { type, steps } of meter.stepsByType()) byType[type] = steps;
  const state = worker?.state;
  return {
    node: live.node.name, role: live.node.role, bootId: live.bootId, firstBoot: live.firstBoot,
    uptimeS: Math.round((live.clock.nowUs() - live.startedUs) / 1e4) / 100,
    darq: darq === null ? null : {
      logicalDarqs: darq.logicalDarqs().length,
      automata: darq.logicalDarqs().filter((id) => !id.startsWith(reservedTypePrefix)).length,
      stepsCommitted: darq.stats.stepsCommitted, lsnDurable: darq.lsnDurable,
    },
    compute: {
      id: runtimes.computeId, processors: runtimes.compute.processorIds().length,
      started: runtimes.compute.stats.started, lost: runtimes.compute.stats.lost,
    },
    steps: { byType, latencyUsP50: round(meter.stepLatency.quantileUs(0.5)), latencyUsP99: round(meter.stepLatency.quantileUs(0.99)) },
    fsync: device === null ? null : {
      count: device.flushLatency.count,
      latencyUsP50: round(device.flushLatency.quantileUs(0.5)), latencyUsP99: round(device.flushLatency.quantileUs(0.99)),
    },
    transport: { sent: transport.stats.messagesSent, delivered: transport.stats.messagesDelivered, endpoint: `${transport.endpoint.host}:${transport.endpoint.port}` },
    metadata: worker === null || state === undefined ? null : {
      running: worker.status === "running", idle: worker.idle, poolsKnown: state.compute.length > 0,
      opsInProgress: Object.keys(state.ops).length, automata: Object.keys(state.automata).length,
      nodesDown: [...state.compute, ...state.darq].filter((info) => !info.up).map((info) => info.id),
    },
  };
}

function round(value: number): number {
  return Number.isNaN(value) ? -1 : Math.round(value);
}

export function nodeMetricsText(live: LiveNode): string {
  const { runtimes, meter, device, transport } = live;
  const darq = runtimes.darq?.darq ?? null;
  const stats = transport.stats;
  const samples: MetricSample[] = [
    { name: "ssms_steps_committed_total", help: "Steps committed by this node's DARQ (all processors, local and remote).", type: "counter",
      values: [{ value: darq?.stats.stepsCommitted ?? 0 }] },
    { name: "ssms_processor_steps_committed_total", help: "Steps of co-located processors committed, by automaton type.", type: "counter",
      values: meter.stepsByType().map(({ type, steps }) => ({ labels: { type }, value: steps })) },
    { name: "ssms_handler_calls_total", help: "Calls of automata's handle on this node, by automaton type.", type: "counter",
      values: live.handlers.totals().map(({ type, calls }) => ({ labels: { type }, value: calls })) },
    { name: "ssms_handler_seconds_total", help: "Wall time this node's event loop spent inside automata's handle, by automaton type.", type: "counter",
      values: live.handlers.totals().map(({ type, us }) => ({ labels: { type }, value: us / 1e6 })) },
    { name: "ssms_handler_back_to_back_total", help: "Calls of automata's handle that began within 1 ms of the event loop's previous handler call (queued work), by automaton type.", type: "counter",
      values: live.handlers.totals().map(({ type, backToBack }) => ({ labels: { type }, value: backToBack })) },
    { name: "ssms_steps_failed_total", help: "Steps of co-located processors that did not commit.", type: "counter", values: [{ value: meter.stepsFailed }] },
    { name: "ssms_messages_sent_total", help: "Messages sent through the transport (node-to-node and local).", type: "counter", values: [{ value: stats.messagesSent }] },
    { name: "ssms_messages_received_total", help: "Messages delivered to a handler by the transport.", type: "counter", values: [{ value: stats.messagesDelivered }] },
    { name: "ssms_fsync_total", help: "Group-commit flushes (fdatasync) of the DARQ log.", type: "counter", values: [{ value: device?.flushes ?? 0 }] },
    { name: "ssms_processors", help: "Processors running (or starting) on this node's compute.", type: "gauge", values: [{ value: runtimes.compute.processorIds().length }] },
    { name: "ssms_logical_darqs", help: "Logical DARQs hosted by this node's DARQ.", type: "gauge", values: [{ value: darq?.logicalDarqs().length ?? 0 }] },
    { name: "ssms_log_live_bytes", help: "Bytes of the DARQ log still needed (not reclaimable).", type: "gauge", values: [{ value: darq?.liveBytes ?? 0 }] },
    { name: "ssms_uptime_seconds", help: "Seconds since this boot.", type: "gauge", values: [{ value: (live.clock.nowUs() - live.startedUs) / 1e6 }] },
  ];
  const histograms = [{ name: "ssms_step_latency_seconds", help: "Durable step latency: submitted by a co-located processor until durable.", histogram: meter.stepLatency }];
  if (device !== null) {
    histograms.push({ name: "ssms_fsync_latency_seconds", help: "Latency of one group-commit flush (write + fdatasync), queueing included.", histogram: device.flushLatency });
    histograms.push({ name: "ssms_fsync_unqueued_latency_seconds", help: "Latency of group-commit flushes that found the device idle: its own write + fdatasync time.", histogram: device.flushUnqueuedLatency });
  }
  return prometheusText(live.node.name, samples, histograms);
}
