// The workload driver: what the experiment executor needs to run a workload, as plain data plus
// pure functions over the Random seam. A workload is a set of automaton definitions (its
// behaviour) and this description around them:
//
// - which automata exist from the start (the executor may place them before traffic begins;
//   anything else is activated by its first message, as every virtual automaton is);
// - the external arrival sources: when an arrival happens (an ArrivalProcess) and which
//   automaton receives which message then (`inject`);
// - which outputs count as completed work (`completionOf`), for throughput and latency;
// - per-automaton placement hints: which automata talk mostly among themselves (a co-location
//   group), what they do, and which kind of compute suits them;
// - per-message costs the encoded message does not show: modelled payload bytes (a video frame
//   travels as a size, not as real bytes, in the simulator) and blob storage traffic.
//
// Nothing here imports sim/ or live/: the executor maps these onto its cluster (simulated or
// real), and tests run them through workloads/test-harness.ts.

import { assert } from "../engine/io/assert.ts";
import type { AnyAutomatonDefinition } from "../engine/runtime/automaton.ts";
import type { AutomatonId } from "../engine/runtime/ids.ts";
import type { Random } from "../engine/io/random.ts";
import type { ArrivalProcess } from "./arrivals/arrival-process.ts";
import type { WorkloadKind } from "../experiments/schema-workload.ts";

/** One external message: the automaton that receives it and the message. */
export interface Injection {
  readonly to: AutomatonId;
  readonly message: unknown;
}

/** A stream of external arrivals into the workload. */
export interface ArrivalSource {
  /**
   * Names the source. The executor uses it as the producer id of exactly-once enqueue, with the
   * arrival's `seq` as its sequence number.
   */
  readonly producer: string;
  /** When arrivals happen. Ask it with the start time first, then with each arrival's time. */
  readonly process: ArrivalProcess;
  /** Arrivals after this many (seq > arrivalsMax) are not injected; Infinity for no limit. */
  readonly arrivalsMax: number;
  /**
   * The message of arrival number `seq` (1, 2, 3, … in order: DARQ producer sequence numbers
   * start at 1, and a 0 would be dropped as a duplicate) at `timeUs`. Called exactly once per
   * arrival and in order, because it may draw from the source's Random stream.
   */
  inject(seq: number, timeUs: number): Injection;
}

/** A unit of finished work seen in an output message. */
export interface Completion {
  /** What finished ("task", "booked", "compensated", "window", "alert", "frame", …). */
  readonly outcome: string;
  /** When the work began (µs, virtual or live clock): latency = observed time − startUs. */
  readonly startUs: number;
  /** How many work items it finishes (events in a window; 1 for most outcomes). */
  readonly items: number;
}

export type ComputePreference = "any" | "serverless" | "provisioned";

export interface PlacementHint {
  /**
   * Automata of one group exchange most of their messages with each other: under
   * `placement.colocation` "darq" they share a DARQ, under "darq-and-compute" also its compute.
   */
  readonly group: string;
  /** What the automaton does ("task", "orchestrator", "service", "detector", …). */
  readonly role: string;
  /** Which compute suits it; "any" leaves the choice to the placement policy. */
  readonly compute: ComputePreference;
  /**
   * The workload's own deployment demands the group in one process whatever the experiment's
   * colocation setting (monitoring's "co-located" deployment is a monolith by definition).
   */
  readonly colocationRequired: boolean;
}

/** What a message costs beyond its encoded bytes. The object may be reused by the next call. */
export interface MessageCost {
  /** Bytes the message stands for that are not in its encoding (a frame's pixels, padding). */
  readonly payloadBytes: number;
  /** Bytes the sending step writes to blob storage for this hop (one PUT when > 0). */
  readonly blobWriteBytes: number;
  /** Bytes the receiving step reads from blob storage for this hop (one GET when > 0). */
  readonly blobReadBytes: number;
}

export interface WorkloadDriver {
  readonly kind: WorkloadKind;
  /** Every definition the workload's automata use, including the sink's. */
  readonly definitions: readonly AnyAutomatonDefinition[];
  /** Automata that exist from the start, in a fixed order (lazy: a workload may have millions). */
  automata(): Iterable<AutomatonId>;
  /** External arrivals, each with its own named Random fork. */
  readonly sources: readonly ArrivalSource[];
  /** Outcome names completionOf may return, in a fixed order (result columns). */
  readonly outcomes: readonly string[];
  /** The outcomes whose items per second, summed, are the workload's throughput. */
  readonly throughputOutcomes: readonly string[];
  /**
   * The completion an output message stands for, or undefined. Called for messages that left a
   * committed step; the result may be reused by the next call, so copy what you keep.
   */
  completionOf(to: AutomatonId, message: unknown): Completion | undefined;
  placementHint(id: AutomatonId): PlacementHint;
  messageCost(to: AutomatonId, message: unknown): MessageCost;
}

/** How the executor runs a workload: these change behaviour, not the config's meaning. */
export interface WorkloadContext {
  /** The run's Random for this workload; each source forks its own stream from it. */
  readonly random: Random;
  /**
   * live: the pi chain really computes pi and its messages carry their real payload bytes.
   * Other workloads behave the same in both modes (monitoring frames stay modelled sizes).
   */
  readonly mode: "sim" | "live";
  /** Parsed arrival times when the config's arrival kind is "trace" (the runner reads the file). */
  readonly traceTimesUs?: ArrayLike<number>;
}

/**
 * Every arrival at the time it is asked from: with the start time first, all arrivals of the
 * source happen at the start ("without arrival, all chains start at time 0"). The source's
 * `arrivalsMax` says how many.
 */
export class ArrivalsAtStart implements ArrivalProcess {
  nextArrivalUs(afterUs: number): number {
    assert(Number.isInteger(afterUs), `arrival times are integer microseconds, got ${afterUs}`);
    return afterUs;
  }
}

/** A reusable MessageCost for drivers that answer without allocating. */
export class MessageCostScratch implements MessageCost {
  payloadBytes = 0;
  blobWriteBytes = 0;
  blobReadBytes = 0;

  set(payloadBytes: number, blobWriteBytes: number, blobReadBytes: number): MessageCost {
    this.payloadBytes = payloadBytes;
    this.blobWriteBytes = blobWriteBytes;
    this.blobReadBytes = blobReadBytes;
    return this;
  }
}

/** A reusable Completion for drivers that answer without allocating. */
export class CompletionScratch implements Completion {
  outcome = "";
  startUs = 0;
  items = 1;

  set(outcome: string, startUs: number, items: number): Completion {
    this.outcome = outcome;
    this.startUs = startUs;
    this.items = items;
    return this;
  }
}

/** A hint with the usual defaults: any compute, colocation left to the experiment. */
export function hint(group: string, role: string, compute: ComputePreference = "any", colocationRequired = false): PlacementHint {
  return { group, role, compute, colocationRequired };
}
