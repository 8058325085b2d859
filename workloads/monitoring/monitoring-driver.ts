// The monitoring workload as the executor runs it (driver.ts), in one of two deployments that
// the paper's opening example contrasts (Prime Video moved from the first to the second and
// reported 90% lower cost):
//
// - "function-blob": every stage is its own function; each hop into a detector writes the frame
//   to blob storage and passes a reference, and the detector reads it back (messageCost says
//   how many bytes, so the executor charges blob requests and transfer). Detectors prefer
//   serverless compute; no two stages are asked to share a machine.
// - "co-located": the stages of a stream form one group that must run in one process on
//   provisioned compute; frames pass in memory (the message stands for the frame's bytes, which
//   co-location makes a local hand-off).
//
// Frames: `streams` × `framesPerS` per second by the config's arrival process, round-robin over
// the streams. A stream is clean most of the time; a defect episode starts on a frame with
// `episodeChance` and lasts a geometric number of frames (mean `episodeFramesMean`), during
// which one detector (drawn per episode) finds a defect in every frame. Throughput counts frames
// through all detectors (their arrival at the notifier); defects are a second outcome whose
// latency is time to notification.

import type { Random } from "../../engine/io/random.ts";
import { automatonIdKey, automatonIdType, type AutomatonId } from "../../engine/runtime/ids.ts";
import type { Workload } from "../../experiments/schema-workload.ts";
import { arrivalProcessOf } from "../arrivals/arrivals.ts";
import {
  CompletionScratch, hint, MessageCostScratch,
  type ArrivalSource, type Completion, type MessageCost, type PlacementHint, type WorkloadContext, type WorkloadDriver,
} from "../driver.ts";
import { sink, sinkCompletion } from "../sink.ts";
import { frameDetectorDefinition, ingestDefinition } from "./frame-stages.ts";
import { detectorIndexOf, detectorTypeOf, ingestType, notifierType, type FrameMessage } from "./monitoring-types.ts";
import { notifierDefinition } from "./notifier.ts";

export type MonitoringConfig = Extract<Workload, { kind: "monitoring" }>;

export type MonitoringDriverOptions = {
  /** Bytes of one frame (default 250,000: a compressed 1080p frame). */
  readonly frameBytes?: number;
  readonly episodeChance?: number;
  readonly episodeFramesMean?: number;
  /** Modelled compute per frame, core-µs: conversion (default 4,000) and one detector (default 8,000). */
  readonly ingestWorkCoreUs?: number;
  readonly detectorWorkCoreUs?: number;
};

export const monitoringOutcomes = ["frame", "defect"] as const;

/** The frames of all streams, with defect episodes drawn per stream. */
export class FrameSource {
  private readonly episodeFramesLeft: Int32Array;
  private readonly episodeDetector: Int32Array;

  constructor(
    private readonly random: Random,
    private readonly config: MonitoringConfig,
    private readonly frameBytes: number,
    private readonly episodeChance: number,
    private readonly episodeFramesMean: number,
  ) {
    this.episodeFramesLeft = new Int32Array(config.streams);
    this.episodeDetector = new Int32Array(config.streams);
  }

  /** Frame `index` (from 0) of the whole source: stream index mod streams. Always three draws. */
  frame(index: number, capturedUs: number): FrameMessage {
    const stream = index % this.config.streams;
    const starts = this.random.float() < this.episodeChance;
    const detector = this.random.int(this.config.detectors);
    // Geometric number of frames ≥ 1 with the configured mean, by inversion.
    const lengthDraw = 1 - this.random.float();
    if (this.episodeFramesLeft[stream]! === 0 && starts) {
      const continueChance = 1 - 1 / this.episodeFramesMean;
      this.episodeFramesLeft[stream] = continueChance <= 0 ? 1 : 1 + Math.floor(Math.log(lengthDraw) / Math.log(continueChance));
      this.episodeDetector[stream] = detector;
    }
    const defective = this.episodeFramesLeft[stream]! > 0;
    if (defective) this.episodeFramesLeft[stream]! -= 1;
    return {
      type: "frame", stream, frame: Math.floor(index / this.config.streams), capturedUs, frameBytes: this.frameBytes,
      blobKey: "", defectsPresent: defective ? [this.episodeDetector[stream]!] : [], defectsFound: [],
    };
  }
}

export function monitoringDriver(config: MonitoringConfig, context: WorkloadContext, options: MonitoringDriverOptions = {}): WorkloadDriver {
  const frameBytes = options.frameBytes ?? 250_000;
  const definitions = [
    ingestDefinition({ deployment: config.deployment, workCoreUs: options.ingestWorkCoreUs ?? 4000 }),
    ...Array.from({ length: config.detectors }, (_, index) =>
      frameDetectorDefinition({ index, detectors: config.detectors, workCoreUs: options.detectorWorkCoreUs ?? 8000 })),
    notifierDefinition({ workCoreUs: 20 }),
    sink,
  ];
  const frames = new FrameSource(context.random.fork("frames"), config, frameBytes, options.episodeChance ?? 0.002, options.episodeFramesMean ?? 30);
  const source: ArrivalSource = {
    producer: "frames",
    process: arrivalProcessOf(config.arrival, config.streams * config.framesPerS, context.random.fork("frame-arrivals"), context.traceTimesUs),
    arrivalsMax: Number.POSITIVE_INFINITY,
    inject(seq: number, timeUs: number) {
      const frame = frames.frame(seq - 1, timeUs);
      return { to: `${ingestType}/${frame.stream}` as AutomatonId, message: frame };
    },
  };
  return monitoringDriverOf(config, definitions, source, frameBytes);
}

function monitoringDriverOf(config: MonitoringConfig, definitions: WorkloadDriver["definitions"], source: ArrivalSource, frameBytes: number): WorkloadDriver {
  const completion = new CompletionScratch();
  const cost = new MessageCostScratch();
  const blob = config.deployment === "function-blob";
  const stageTypes = [ingestType, ...Array.from({ length: config.detectors }, (_, index) => detectorTypeOf(index)), notifierType];
  return {
    kind: "monitoring",
    definitions,
    *automata() {
      for (let stream = 0; stream < config.streams; stream++) {
        for (const type of stageTypes) yield `${type}/${stream}` as AutomatonId;
      }
    },
    sources: [source],
    outcomes: monitoringOutcomes,
    throughputOutcomes: ["frame"],
    completionOf(to: AutomatonId, message: unknown): Completion | undefined {
      if (automatonIdType(to) === notifierType) return completion.set("frame", (message as FrameMessage).capturedUs, 1);
      return sinkCompletion(to, message, completion);
    },
    placementHint(id: AutomatonId): PlacementHint {
      const type = automatonIdType(id);
      if (type === sink.type) return hint("sink", "sink");
      const role = type === ingestType ? "ingest" : type === notifierType ? "notifier" : "detector";
      if (!blob) return hint(`stream-${automatonIdKey(id)}`, role, "provisioned", true);
      return hint(id, role, role === "detector" ? "serverless" : "any");
    },
    messageCost(to: AutomatonId): MessageCost {
      const type = automatonIdType(to);
      // The segment reaches ingest over the network in both deployments.
      if (type === ingestType) return cost.set(frameBytes, 0, 0);
      if (detectorIndexOf(type) < 0) return cost.set(0, 0, 0);
      return blob ? cost.set(0, frameBytes, frameBytes) : cost.set(frameBytes, 0, 0);
    },
  };
}
