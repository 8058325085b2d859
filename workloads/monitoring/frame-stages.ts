// The frame-processing stages of the monitoring pipeline: ingest and the detectors. Both are
// stateless (no SELF message per frame): the frame and the findings so far travel in the
// message, so a stage is one consumed input, its compute and one out-message.
//
// Ingest converts the incoming stream segment into a frame (declared work). In the function-blob
// deployment it stores the frame in blob storage and passes on a reference (the blob transfer
// itself is costed by the driver's messageCost); co-located, the frame travels in process.
// Detector i declares its analysis work, adds itself to `defectsFound` when the frame holds its
// kind of defect, and passes the frame to detector i + 1, or to the notifier after the last.

import { assert } from "../../engine/io/assert.ts";
import { defineAutomaton, type AutomatonDefinition } from "../../engine/runtime/automaton.ts";
import type { AutomatonRef } from "../../engine/runtime/ids.ts";
import { detectorTypeOf, frameBlobKey, ingestType, notifierType, type FrameMessage, type MonitoringDeployment } from "./monitoring-types.ts";

export type FrameStageDefinition = AutomatonDefinition<null, FrameMessage, never>;

/** The ref of the stage `type` of `stream`; valid by construction (fixed type, integer key). */
function stageRef(type: string, stream: number): AutomatonRef<FrameMessage> {
  return `${type}/${stream}` as AutomatonRef<FrameMessage>;
}

export type IngestOptions = {
  readonly deployment: MonitoringDeployment;
  /** Modelled compute to convert one frame, core-µs. */
  readonly workCoreUs: number;
};

export function ingestDefinition(options: IngestOptions): FrameStageDefinition {
  const firstStage = detectorTypeOf(0);
  const toBlob = options.deployment === "function-blob";
  return defineAutomaton<null, FrameMessage, never>({
    type: ingestType,
    initial: () => null,
    handle(ctx, _state, frame) {
      ctx.work(options.workCoreUs);
      const blobKey = toBlob ? frameBlobKey(frame.stream, frame.frame) : "";
      ctx.send(stageRef(firstStage, frame.stream), { ...frame, blobKey });
      return undefined;
    },
    apply: (state) => state,
  });
}

export type DetectorOptions = {
  readonly index: number;
  /** Detectors in the pipeline: the last one hands frames to the notifier. */
  readonly detectors: number;
  /** Modelled compute to analyse one frame, core-µs. */
  readonly workCoreUs: number;
};

export function frameDetectorDefinition(options: DetectorOptions): FrameStageDefinition {
  const { index, detectors, workCoreUs } = options;
  assert(Number.isSafeInteger(index) && index >= 0 && index < detectors, `detector index ${index} must be in [0, ${detectors})`);
  const nextType = index + 1 < detectors ? detectorTypeOf(index + 1) : notifierType;
  return defineAutomaton<null, FrameMessage, never>({
    type: detectorTypeOf(index),
    initial: () => null,
    handle(ctx, _state, frame) {
      ctx.work(workCoreUs);
      const found = frame.defectsPresent.includes(index);
      ctx.send(stageRef(nextType, frame.stream), found ? { ...frame, defectsFound: [...frame.defectsFound, index] } : frame);
      return undefined;
    },
    apply: (state) => state,
  });
}
