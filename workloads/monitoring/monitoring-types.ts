// The monitoring pipeline's vocabulary, after Prime Video's audio/video monitoring service (the
// paper's opening example): each monitored stream's frames pass
//
//   ingest/<stream> → detector-0/<stream> → … → detector-<n−1>/<stream> → notify/<stream> → sink
//
// The ingest step converts the stream into frames; each detector analyses every frame for one
// kind of defect; the notifier sends a notification when a defect appears.
//
// A frame is modelled, not materialised: it carries its size and, as ground truth, which
// detectors would find a defect in its content (`defectsPresent`). Detectors "analyse" by
// declaring their compute and reading that truth, so detection is exact and testable while the
// cost of moving and analysing frames comes from the sizes and the declared work.

/** How frames move between the pipeline's steps (the two architectures the workload compares). */
export type MonitoringDeployment = "function-blob" | "co-located";

export type FrameMessage = {
  readonly type: "frame";
  readonly stream: number;
  /** Frame number within its stream. */
  readonly frame: number;
  /** When the frame was captured (the arrival time), µs. */
  readonly capturedUs: number;
  readonly frameBytes: number;
  /** function-blob: the blob object holding the frame; "" when the frame travels with the message. */
  readonly blobKey: string;
  /** Ground truth: detectors that would find a defect in this frame. */
  readonly defectsPresent: readonly number[];
  /** Detectors that found one so far. */
  readonly defectsFound: readonly number[];
};

export const ingestType = "ingest";
export const notifierType = "notify";

/** The automaton type of detector `index`: each detector is its own kind of analysis. */
export function detectorTypeOf(index: number): string {
  return `detector-${index}`;
}

/** The detector index of a detector type, or -1 for other types. */
export function detectorIndexOf(type: string): number {
  const match = /^detector-(\d+)$/.exec(type);
  return match === null ? -1 : Number(match[1]);
}

/** The blob object a frame is stored under in the function-blob deployment. */
export function frameBlobKey(stream: number, frame: number): string {
  return `frames/${stream}/${frame}`;
}
