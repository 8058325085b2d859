// The stream-pipeline workload as the executor runs it (driver.ts).
//
// Events arrive by the config's arrival process at `eventsPerS` (summed over regions), each from
// a uniformly drawn region and key, with event time = arrival time. A key's readings scatter
// normally around its own base level (10% spread); a few are sensor error codes (negative, for
// the filter to drop) and a few are spikes (several times the base, for the detectors to
// find). Ticks arrive at every aggregator once per window, so windows close when events stop.
//
// Throughput counts events aggregated in closed windows; their latency runs from the window's
// newest event to the window's completion. Alerts are a second outcome (detection latency).
// Placement: a region's filter and aggregator form one co-location group; detectors receive
// from every region and stand alone.

import { normal } from "../../engine/io/distributions.ts";
import type { Random } from "../../engine/io/random.ts";
import { automatonIdKey, automatonIdType, automatonRef, type AutomatonId, type AutomatonRef } from "../../engine/runtime/ids.ts";
import type { Workload } from "../../experiments/schema-workload.ts";
import { arrivalProcessOf, ArrivalsConstant } from "../arrivals/arrivals.ts";
import {
  CompletionScratch, hint, MessageCostScratch,
  type ArrivalSource, type Completion, type MessageCost, type PlacementHint, type WorkloadContext, type WorkloadDriver,
} from "../driver.ts";
import { sink, sinkCompletion } from "../sink.ts";
import { aggregatorDefinition } from "./aggregator.ts";
import { detectorDefinition } from "./detector.ts";
import { filterDefinition } from "./filter.ts";
import { aggregatorType, detectorType, filterType, type AggregatorMessage, type KeyAggregate, type StreamEvent } from "./stream-types.ts";

export type StreamPipelineConfig = Extract<Workload, { kind: "stream-pipeline" }>;

export type StreamPipelineDriverOptions = {
  /** Grace for delayed events before a window closes, µs (default half a window). */
  readonly latenessUs?: number;
  readonly errorChance?: number;
  readonly spikeChance?: number;
  readonly spikeFactor?: number;
  readonly zThreshold?: number;
  readonly warmupCount?: number;
  readonly aggregatesPerStepMax?: number;
};

export const streamOutcomes = ["window", "alert"] as const;

/** A key's base reading level: fixed per key, spread over [10, 100). */
export function keyBaseLevel(key: number): number {
  return 10 + (Math.imul(key, 0x9e3779b1) >>> 0) % 90;
}

/** Draws one source event: always five draws, so later events do not depend on earlier branches. */
export function streamEventDraw(random: Random, config: StreamPipelineConfig, options: StreamPipelineDriverOptions, timeUs: number): StreamEvent {
  const region = random.int(config.regions);
  const key = random.int(config.keys);
  const kind = random.float();
  const base = keyBaseLevel(key);
  const reading = normal(random, base, base * 0.1);
  const errorChance = options.errorChance ?? 0.01;
  const spikeChance = options.spikeChance ?? 0.0005;
  const value = kind < errorChance ? -1 : kind < errorChance + spikeChance ? reading * (options.spikeFactor ?? 8) : Math.max(0, reading);
  return { type: "event", region, key, value, timeUs };
}

function refCache<Message>(type: string): (index: number) => AutomatonRef<Message> {
  const refs: AutomatonRef<Message>[] = [];
  return (index) => (refs[index] ??= automatonRef<Message>(`${type}/${index}`));
}

export function streamPipelineDriver(config: StreamPipelineConfig, context: WorkloadContext, options: StreamPipelineDriverOptions = {}): WorkloadDriver {
  const filterOf = refCache<StreamEvent>(filterType);
  const aggregatorOf = refCache<AggregatorMessage>(aggregatorType);
  // Valid by construction (a fixed type, an integer key); a cache would hold a ref per key.
  const detectorOf = (key: number) => `${detectorType}/${key}` as AutomatonRef<KeyAggregate>;
  const definitions = [
    filterDefinition({ aggregatorOf, workCoreUs: 2 }),
    aggregatorDefinition({
      windowUs: config.windowUs, latenessUs: options.latenessUs ?? Math.floor(config.windowUs / 2), detectorOf,
      aggregatesPerStepMax: options.aggregatesPerStepMax ?? 1000, workCoreUsPerInput: 3, workCoreUsPerAggregate: 1,
    }),
    detectorDefinition({ warmupCount: options.warmupCount ?? 8, zThreshold: options.zThreshold ?? 4, workCoreUs: 5 }),
    sink,
  ];
  const eventRandom = context.random.fork("stream-events");
  const events: ArrivalSource = {
    producer: "stream-events",
    process: arrivalProcessOf(config.arrival, config.eventsPerS, context.random.fork("stream-arrivals"), context.traceTimesUs),
    arrivalsMax: Number.POSITIVE_INFINITY,
    inject(_seq: number, timeUs: number) {
      const event = streamEventDraw(eventRandom, config, options, timeUs);
      return { to: filterOf(event.region), message: event };
    },
  };
  const ticks: ArrivalSource = {
    producer: "stream-ticks",
    process: new ArrivalsConstant((config.regions * 1_000_000) / config.windowUs),
    arrivalsMax: Number.POSITIVE_INFINITY,
    inject: (seq: number) => ({ to: aggregatorOf((seq - 1) % config.regions), message: { type: "tick" } }),
  };
  return streamDriverOf(config, definitions, [events, ticks]);
}

function streamDriverOf(config: StreamPipelineConfig, definitions: WorkloadDriver["definitions"], sources: ArrivalSource[]): WorkloadDriver {
  const completion = new CompletionScratch();
  const noCost = new MessageCostScratch();
  return {
    kind: "stream-pipeline",
    definitions,
    *automata() {
      for (let region = 0; region < config.regions; region++) {
        yield `${filterType}/${region}` as AutomatonId;
        yield `${aggregatorType}/${region}` as AutomatonId;
      }
      for (let key = 0; key < config.keys; key++) yield `${detectorType}/${key}` as AutomatonId;
    },
    sources,
    outcomes: streamOutcomes,
    throughputOutcomes: ["window"],
    completionOf: (to: AutomatonId, message: unknown): Completion | undefined => sinkCompletion(to, message, completion),
    placementHint(id: AutomatonId): PlacementHint {
      const type = automatonIdType(id);
      if (type === filterType) return hint(`region-${automatonIdKey(id)}`, "filter");
      if (type === aggregatorType) return hint(`region-${automatonIdKey(id)}`, "aggregator");
      if (type === detectorType) return hint(id, "detector");
      return hint("sink", "sink");
    },
    messageCost: (): MessageCost => noCost,
  };
}
