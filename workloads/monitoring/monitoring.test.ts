// The monitoring pipeline: ingest stores frames in blob (function-blob) or passes them on
// (co-located); each detector finds exactly its kind of defect; the notifier pages once per
// defect episode; end to end, every frame passes all detectors once and every episode is
// notified once, in both deployments; the driver's hints and costs express the two
// architectures (serverless detectors + blob hand-off versus one provisioned process).

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import { applyEvents, buildStep } from "../../engine/runtime/step-builder.ts";
import type { SinkState } from "../sink.ts";
import { driveSources, TestHarness } from "../test-harness.ts";
import { frameDetectorDefinition, ingestDefinition } from "./frame-stages.ts";
import { FrameSource, monitoringDriver, type MonitoringConfig } from "./monitoring-driver.ts";
import type { FrameMessage } from "./monitoring-types.ts";
import { notifierDefinition, type NotifierState } from "./notifier.ts";

const inputs = (nowUs: number) => ({ lsn: 1, nowUs, replyTo: undefined });
const frame = (overrides: Partial<FrameMessage> = {}): FrameMessage => ({
  type: "frame", stream: 3, frame: 41, capturedUs: 1000, frameBytes: 5000, blobKey: "", defectsPresent: [], defectsFound: [], ...overrides,
});

test("ingest converts a frame and hands it to the first detector, by blob reference or in process", (t) => {
  const blob = ingestDefinition({ deployment: "function-blob", workCoreUs: 4000 });
  const stored = buildStep(blob, blob.ref("3"), null, frame(), inputs(5));
  t.deepEqual(stored.ok && [stored.value.workUs, stored.value.sends], [4000, [{ to: "detector-0/3", message: frame({ blobKey: "frames/3/41" }), replyTo: undefined }]]);
  const local = ingestDefinition({ deployment: "co-located", workCoreUs: 4000 });
  const passed = buildStep(local, local.ref("3"), null, frame(), inputs(5));
  t.deepEqual(passed.ok && passed.value.sends.map((send) => send.message), [frame()]);
});

test("each detector finds only its own kind of defect and passes the frame down the chain", (t) => {
  const first = frameDetectorDefinition({ index: 0, detectors: 2, workCoreUs: 8000 });
  const last = frameDetectorDefinition({ index: 1, detectors: 2, workCoreUs: 8000 });
  const withDefect = frame({ defectsPresent: [1] });
  const missed = buildStep(first, first.ref("3"), null, withDefect, inputs(5));
  t.deepEqual(missed.ok && missed.value.sends, [{ to: "detector-1/3", message: withDefect, replyTo: undefined }]);
  const found = buildStep(last, last.ref("3"), null, withDefect, inputs(5));
  t.deepEqual(found.ok && found.value.sends, [{ to: "notify/3", message: frame({ defectsPresent: [1], defectsFound: [1] }), replyTo: undefined }]);
  t.is(found.ok && found.value.workUs, 8000);
});

test("the notifier pages once when a defect appears, stays quiet while it lasts, and re-arms on a clean frame", (t) => {
  const notifier = notifierDefinition({ workCoreUs: 20 });
  const self = notifier.ref("3");
  let state: NotifierState = notifier.initial();
  const pages: number[] = [];
  const sequence = [false, true, true, false, false, true];
  for (const [index, defective] of sequence.entries()) {
    const message = frame({ frame: index, capturedUs: index * 100, defectsFound: defective ? [0] : [] });
    const built = buildStep(notifier, self, state, message, inputs(index * 100 + 50));
    if (!built.ok) return t.fail(built.reason);
    for (const send of built.value.sends) {
      t.deepEqual(send, { to: "sink/monitoring", message: { type: "completed", outcome: "defect", startUs: index * 100, items: 1 }, replyTo: undefined });
      pages.push(index);
    }
    const applied = applyEvents(notifier, self, state, built.value.events, { nowUs: 0 });
    if (!applied.ok) return t.fail(applied.reason);
    state = applied.value;
  }
  t.deepEqual(pages, [1, 5]);
  t.deepEqual(state, { inDefect: true, episodeStartUs: 500, notifications: 2 });
});

const config = (deployment: MonitoringConfig["deployment"]): MonitoringConfig =>
  ({ kind: "monitoring", streams: 3, framesPerS: 30, detectors: 3, deployment, arrival: { kind: "constant" } });

/** Runs 20 s of frames; returns the harness and how many defect episodes the frames held. */
function runMonitoring(deployment: MonitoringConfig["deployment"]) {
  const options = { episodeChance: 0.02, episodeFramesMean: 5 };
  const driver = monitoringDriver(config(deployment), { random: new RandomNode("video"), mode: "sim" }, options);
  const harness = new TestHarness({ definitions: driver.definitions });
  const [frames] = driveSources(driver, harness, 20_000_000);
  // The same frames again, to count episodes: maximal runs of defective frames per stream.
  const replay = new FrameSource(new RandomNode("video").fork("frames"), config(deployment), 1, options.episodeChance, options.episodeFramesMean);
  const defectiveBefore = [false, false, false];
  let episodes = 0;
  for (let seq = 0; seq < (frames ?? 0); seq++) {
    const next = replay.frame(seq, 0);
    const defective = next.defectsPresent.length > 0;
    if (defective && !defectiveBefore[next.stream]) episodes++;
    defectiveBefore[next.stream] = defective;
  }
  return { driver, harness, frames: frames ?? 0, episodes };
}

for (const deployment of ["function-blob", "co-located"] as const) {
  test(`${deployment}: every frame passes every detector once and every defect episode is notified once`, (t) => {
    const { driver, harness, frames, episodes } = runMonitoring(deployment);
    t.is(frames, 3 * 30 * 20 - 1, "90 frames per second for 20 s (the last one falls on the end)");
    const completions = new Map<string, number>();
    for (const sent of harness.sent) {
      const done = driver.completionOf(sent.to, sent.message);
      if (done !== undefined) completions.set(done.outcome, (completions.get(done.outcome) ?? 0) + done.items);
    }
    t.is(completions.get("frame"), frames);
    t.true(episodes >= 5, `the seed plants defect episodes (${episodes})`);
    t.is(completions.get("defect"), episodes);
    t.is(harness.stateOf<SinkState>("sink/monitoring").outcomes["defect"]?.completions, episodes);
    const blobKeys = harness.sent.filter((sent) => sent.to.startsWith("detector-")).map((sent) => (sent.message as FrameMessage).blobKey);
    t.true(blobKeys.every((key) => (deployment === "function-blob" ? key.startsWith("frames/") : key === "")));
  });
}

test("the deployments differ in placement hints and in what a hop costs", (t) => {
  const blob = monitoringDriver(config("function-blob"), { random: new RandomNode("v"), mode: "sim" }, { frameBytes: 1000 });
  const local = monitoringDriver(config("co-located"), { random: new RandomNode("v"), mode: "sim" }, { frameBytes: 1000 });
  const detector = "detector-1/2" as AutomatonId;
  t.like(blob.placementHint(detector), { compute: "serverless", colocationRequired: false, group: detector });
  t.like(local.placementHint(detector), { compute: "provisioned", colocationRequired: true, group: "stream-2" });
  t.is(local.placementHint("ingest/2" as AutomatonId).group, local.placementHint("notify/2" as AutomatonId).group);
  t.like(blob.messageCost(detector, {}), { payloadBytes: 0, blobWriteBytes: 1000, blobReadBytes: 1000 });
  t.like(local.messageCost(detector, {}), { payloadBytes: 1000, blobWriteBytes: 0, blobReadBytes: 0 });
  t.like(blob.messageCost("notify/2" as AutomatonId, {}), { payloadBytes: 0, blobWriteBytes: 0 });
  t.is([...local.automata()].length, 3 * (1 + 3 + 1));
});
