// The monitor: builds the management layer's Observation (policies/observation.ts) from a running
// SimCluster. It listens to every committed step (SimCluster.stepHooks.onCommitted) and keeps
// sliding windows (policies/window.ts) per automaton (steps, messages in and out, bytes, step
// latency) and per talk edge (messages and bytes from one automaton to another); the nodes come
// from node-monitor.ts. `observe()` reads the windows and the metadata automaton's records.
//
// Cost: a committed step costs a few array additions (its automaton's slot and one per send);
// an automaton that does nothing costs nothing per event. `observe()` walks the placed automata
// once (its cadence is the optimizer's, seconds apart) and reads the unconsumed entries of their
// logical DARQs for backlog and live bytes.
//
// Approximations, each named: messages in = max(messages its senders committed to it, its own
// steps) (a client's message is seen only as the step that consumes it); step latency = from the
// start of the handler to the durable commit (the queueing before the handler is not seen here);
// compute per step = the host's modelled work since the last observation ÷ its steps since then.
// Slots are bounded (automataMax, talkEdgesMax): what does not fit is counted in `dropped`.

import type { AutomatonId } from "../../engine/runtime/ids.ts";
import { reservedTypePrefix } from "../../engine/runtime/metadata-types.ts";
import type { StagedSend } from "../../engine/runtime/context.ts";
import type { AutomatonObservation, Observation, TalkEdge } from "../../policies/observation.ts";
import type { PriceBook } from "../../policies/price-book.ts";
import { LatencyWindow } from "../../policies/window-latency.ts";
import { KeySlots } from "../../policies/window-keys.ts";
import { SlidingSums } from "../../policies/window.ts";
import type { SimCluster } from "../cluster/sim-cluster.ts";
import { NodeMonitor, type PoolOf } from "./monitor-nodes.ts";
import { automatonObservation, type AutomatonMark } from "./monitor-automata.ts";

export type MonitorOptions = {
  /** Sliding window length, µs (the optimizer's cadence is a good choice). */
  readonly windowUs: number;
  readonly bucketCount?: number;
  readonly automataMax?: number;
  readonly talkEdgesMax?: number;
  /** Payload bytes of one message (the workload driver's messageCost); omitted: 0. */
  readonly messageBytes?: (to: AutomatonId, message: unknown) => number;
  /** Standby nodes the actuators started for an automaton. */
  readonly standbysOf?: (id: string) => readonly string[];
};

/** Per-automaton metrics in the sliding sums. */
export const metric = { steps: 0, messagesOut: 1, messagesIn: 2, bytesOut: 3, bytesIn: 4 } as const;
const metricCount = 5;
const talkMessages = 0;
const talkBytes = 1;

export class ClusterMonitor {
  readonly automata: KeySlots;
  readonly sums: SlidingSums;
  readonly latency: LatencyWindow;
  readonly talkSlots: KeySlots;
  readonly talk: SlidingSums;
  readonly nodes: NodeMonitor;
  /** Samples that found no free slot (automata, talk edges). */
  readonly dropped = { automata: 0, talk: 0 };
  /** Last step time per automaton slot (idle detection). */
  private readonly lastActiveUs: Float64Array;
  private readonly marks = new Map<string, AutomatonMark>();
  /** When the monitor began watching. */
  readonly startUs: number;

  constructor(readonly cluster: SimCluster, private readonly prices: PriceBook, poolOf: PoolOf, private readonly options: MonitorOptions) {
    const bucketCount = options.bucketCount ?? 10;
    const bucketUs = Math.max(1, Math.round(options.windowUs / bucketCount));
    const startUs = cluster.nowUs();
    const automataMax = options.automataMax ?? 8192;
    const edgesMax = options.talkEdgesMax ?? 16_384;
    this.automata = new KeySlots(automataMax);
    this.sums = new SlidingSums({ bucketUs, bucketCount, seriesMax: automataMax, startUs }, metricCount);
    this.latency = new LatencyWindow({ bucketUs, bucketCount, seriesMax: automataMax, startUs });
    this.talkSlots = new KeySlots(edgesMax);
    this.talk = new SlidingSums({ bucketUs, bucketCount, seriesMax: edgesMax, startUs }, 2);
    this.lastActiveUs = new Float64Array(automataMax).fill(-1);
    this.nodes = new NodeMonitor(cluster, prices, poolOf);
    this.startUs = startUs;
  }

  /** The SimCluster step hook: one committed step of `from` with its sends. */
  readonly onCommitted = (from: AutomatonId, sends: readonly StagedSend[], input?: { readonly startUs: number }): void => {
    const nowUs = this.cluster.nowUs();
    const slot = this.slotOf(from);
    if (slot >= 0) {
      this.sums.add(slot, metric.steps, nowUs, 1);
      this.lastActiveUs[slot] = nowUs;
      if (input !== undefined) this.latency.record(slot, nowUs, Math.max(0, nowUs - input.startUs));
    }
    for (let index = 0; index < sends.length; index++) this.sent(from, slot, sends[index]!, nowUs);
  };

  private sent(from: string, slot: number, send: StagedSend, nowUs: number): void {
    const bytes = this.options.messageBytes?.(send.to, send.message) ?? 0;
    if (slot >= 0) {
      this.sums.add(slot, metric.messagesOut, nowUs, 1);
      this.sums.add(slot, metric.bytesOut, nowUs, bytes);
    }
    const target = this.slotOf(send.to);
    if (target >= 0) {
      this.sums.add(target, metric.messagesIn, nowUs, 1);
      this.sums.add(target, metric.bytesIn, nowUs, bytes);
    }
    const edge = this.talkSlots.slotOf(`${from}\u0000${send.to}`);
    if (edge < 0) {
      this.dropped.talk++;
      return;
    }
    this.talk.add(edge, talkMessages, nowUs, 1);
    this.talk.add(edge, talkBytes, nowUs, bytes);
  }

  private slotOf(id: string): number {
    const known = this.automata.find(id);
    if (known !== undefined) return known;
    const slot = this.automata.slotOf(id);
    if (slot < 0) {
      this.dropped.automata++;
      return -1;
    }
    this.sums.clearSeries(slot);
    this.latency.clearSeries(slot);
    this.lastActiveUs[slot] = -1;
    return slot;
  }

  /** The observation of the window ending now. */
  observe(): Observation {
    const nowUs = this.cluster.nowUs();
    this.sums.advance(nowUs);
    this.latency.advance(nowUs);
    this.talk.advance(nowUs);
    const nodes = this.nodes.observe();
    const records = this.cluster.metadata?.automata ?? {};
    const waiting = this.cluster.metadata?.waiting ?? {};
    const automata: AutomatonObservation[] = [];
    const ids = new Set<string>();
    for (const id of Object.keys(records).sort()) {
      if (id.startsWith(reservedTypePrefix)) continue;
      ids.add(id);
      automata.push(automatonObservation(this, id, records[id]!, waiting[id] === true, nowUs));
    }
    // The window the rates cover: windowUs back from now, or since the monitor began.
    const windowStartUs = Math.min(Math.max(this.startUs, nowUs - this.options.windowUs), nowUs - 1);
    return {
      windowStartUs, windowEndUs: nowUs, automata, nodes, pools: this.nodes.pools(nodes),
      talk: this.talkEdges(ids), spend: null, prices: this.prices,
    };
  }

  /** Talk edges among the observed automata with traffic in the window, in slot order. */
  private talkEdges(ids: ReadonlySet<string>): TalkEdge[] {
    const edges: TalkEdge[] = [];
    for (const [key, slot] of this.talkSlots.entries()) {
      const messages = this.talk.sum(slot, talkMessages);
      const split = key.indexOf("\u0000");
      const from = key.slice(0, split);
      const to = key.slice(split + 1);
      if (messages === 0) {
        // Edges quiet for a whole window give their slot back.
        this.talk.clearSeries(this.talkSlots.release(key));
        continue;
      }
      if (!ids.has(from) || !ids.has(to)) continue;
      edges.push({ from, to, messagesPerS: this.talk.rate(slot, talkMessages), bytesPerS: this.talk.rate(slot, talkBytes) });
    }
    return edges;
  }

  /** The slot's last step time, or -1. */
  lastActive(slot: number): number {
    return this.lastActiveUs[slot] ?? -1;
  }

  /** Per-automaton state kept between observations (placement time, work marks). */
  markOf(id: string): AutomatonMark | undefined {
    return this.marks.get(id);
  }

  markSet(id: string, mark: AutomatonMark): void {
    this.marks.set(id, mark);
  }

  standbysOf(id: string): readonly string[] {
    return this.options.standbysOf?.(id) ?? [];
  }
}
