// The monitoring pipeline's notifier, `notify/<stream>`: it sends a notification (a `defect`
// completion to the sink) when a stream's frames turn defective, and none for the following
// defective frames of the same episode: an operator wants one page per incident, not thirty a
// second. The episode ends at the first clean frame. Only these transitions are events, so the
// notifier writes a SELF message per incident, not per frame.
//
// Frames of one stream reach the notifier in order: each stage forwards them in order and a
// DARQ delivers in order per (sender, target) pair.

import { defineAutomaton, type AutomatonDefinition } from "../../engine/runtime/automaton.ts";
import { completed, sinkRef } from "../sink.ts";
import { notifierType, type FrameMessage } from "./monitoring-types.ts";

export type NotifierState = {
  /** Whether the last frame seen was defective. */
  inDefect: boolean;
  /** Capture time of the first frame of the current (or last) episode, µs. */
  episodeStartUs: number;
  /** Notifications sent: one per episode. */
  notifications: number;
};

export type NotifierEvent =
  | { readonly type: "defectStarted"; readonly capturedUs: number; readonly detectors: readonly number[] }
  | { readonly type: "defectEnded" };

export type NotifierDefinition = AutomatonDefinition<NotifierState, FrameMessage, NotifierEvent>;

export function notifierDefinition(options: { readonly workCoreUs: number }): NotifierDefinition {
  const sink = sinkRef("monitoring");
  return defineAutomaton<NotifierState, FrameMessage, NotifierEvent>({
    type: notifierType,
    initial: () => ({ inDefect: false, episodeStartUs: 0, notifications: 0 }),
    handle(ctx, state, frame) {
      ctx.work(options.workCoreUs);
      const defective = frame.defectsFound.length > 0;
      if (defective && !state.inDefect) {
        ctx.emit({ type: "defectStarted", capturedUs: frame.capturedUs, detectors: frame.defectsFound });
        ctx.send(sink, completed("defect", frame.capturedUs));
      } else if (!defective && state.inDefect) {
        ctx.emit({ type: "defectEnded" });
      }
      return undefined;
    },
    apply(state, event) {
      if (event.type === "defectStarted") {
        state.inDefect = true;
        state.episodeStartUs = event.capturedUs;
        state.notifications++;
      } else {
        state.inDefect = false;
      }
      return state;
    },
  });
}
