// The stream pipeline's handlers through the step builder: the filter forwards valid readings
// and drops error codes; the aggregator puts events in windows by event time, closes a window
// by the step's time once its lateness has passed (one aggregate per key, one completion),
// drops late events, and spreads a huge window's aggregates over several steps; the detector
// scores aggregates by z-score after warm-up, alerts on outliers and keeps them out of its
// statistics.

import test from "ava";
import { mean, sampleStandardDeviation } from "simple-statistics";
import type { AutomatonRef } from "../../engine/runtime/ids.ts";
import { applyEvents, buildStep } from "../../engine/runtime/step-builder.ts";
import { TestHarness } from "../test-harness.ts";
import { aggregatorDefinition, type AggregatorState } from "./aggregator.ts";
import { detectorDefinition, readingSd, zScore, type DetectorState } from "./detector.ts";
import { filterDefinition } from "./filter.ts";
import type { AggregatorMessage, KeyAggregate, StreamEvent } from "./stream-types.ts";

const windowUs = 500_000;
const latenessUs = 100_000;
const aggregatorOf = (region: number) => `aggregate/${region}` as AutomatonRef<AggregatorMessage>;
const detectorOf = (key: number) => `detect/${key}` as AutomatonRef<KeyAggregate>;
const aggregator = aggregatorDefinition({ windowUs, latenessUs, detectorOf, aggregatesPerStepMax: 1000, workCoreUsPerInput: 3, workCoreUsPerAggregate: 1 });
const inputs = (nowUs: number, lsn = 1) => ({ lsn, nowUs, replyTo: undefined });
const event = (key: number, value: number, timeUs: number): StreamEvent => ({ type: "event", region: 1, key, value, timeUs });

test("the filter forwards valid readings to the region's aggregator and drops error codes", (t) => {
  const filter = filterDefinition({ aggregatorOf, workCoreUs: 2 });
  const kept = buildStep(filter, filter.ref("1"), null, event(4, 12.5, 10), inputs(20));
  t.deepEqual(kept.ok && kept.value.sends, [{ to: "aggregate/1", message: event(4, 12.5, 10), replyTo: undefined }]);
  const dropped = buildStep(filter, filter.ref("1"), null, event(4, -1, 10), inputs(20));
  t.deepEqual(dropped.ok && [dropped.value.sends, dropped.value.events, dropped.value.workUs], [[], [], 2]);
});

/** Feeds the aggregator of region 1 `messages` at the given times; returns the state and the last step. */
function feedAggregator(messages: [AggregatorMessage, number][], definition = aggregator) {
  const self = definition.ref("1");
  let state: AggregatorState = definition.initial();
  let last;
  for (const [index, [message, nowUs]] of messages.entries()) {
    last = buildStep(definition, self, state, message, inputs(nowUs, index + 1));
    if (!last.ok) throw new Error(last.reason);
    const applied = applyEvents(definition, self, state, last.value.events, { nowUs });
    if (!applied.ok) throw new Error(applied.reason);
    state = applied.value;
  }
  if (last === undefined || !last.ok) throw new Error("no step");
  return { state, step: last.value };
}

test("events join the window of their event time, and a window closes only after its lateness", (t) => {
  const open = feedAggregator([
    [event(3, 10, 100_000), 120_000], [event(3, 20, 200_000), 210_000], [event(8, 7, 499_999), 530_000], [event(3, 1, 500_000), 540_000],
  ]);
  t.deepEqual(open.state.windows.map((window) => [window.startUs, window.keys, window.counts, window.sums]), [
    [0, [3, 8], [2, 1], [30, 7]],
    [500_000, [3], [1], [1]],
  ], "an event taken before the window's end joins it, even when it arrives after the end");
  t.deepEqual(open.step.sends, []);

  const beforeDue = feedAggregator([[event(3, 10, 100_000), 120_000], [{ type: "tick" }, 599_999]]);
  t.deepEqual(beforeDue.step.sends, [], "not yet due at end + lateness − 1");

  const closed = feedAggregator([[event(3, 10, 100_000), 120_000], [event(3, 20, 200_000), 210_000], [event(8, 7, 450_000), 460_000], [{ type: "tick" }, 600_000]]);
  t.deepEqual(closed.step.sends.map((send) => [send.to, send.message]), [
    ["detect/3", { type: "aggregate", region: 1, key: 3, windowStartUs: 0, count: 2, mean: 15, lastEventUs: 450_000 }],
    ["detect/8", { type: "aggregate", region: 1, key: 8, windowStartUs: 0, count: 1, mean: 7, lastEventUs: 450_000 }],
    ["sink/stream-pipeline", { type: "completed", outcome: "window", startUs: 450_000, items: 3 }],
  ]);
  t.deepEqual(closed.state.windows, [], "a closed window leaves the state");
  t.is(closed.state.windowsClosed, 1);
});

test("an event whose window is already due is late: counted and dropped", (t) => {
  const late = feedAggregator([[event(3, 10, 100_000), 120_000], [event(3, 99, 400_000), 650_000]]);
  t.deepEqual(late.step.events.map((staged) => staged.type), ["closed", "late"], "the due window closes first, then the straggler is refused");
  t.is(late.state.lateEvents, 1);
  t.deepEqual(late.step.sends[0]?.message, { type: "aggregate", region: 1, key: 3, windowStartUs: 0, count: 1, mean: 10, lastEventUs: 100_000 });
});

test("a window with more keys than one step may send is closed over several steps, each aggregate sent once", (t) => {
  const small = aggregatorDefinition({ windowUs, latenessUs, detectorOf, aggregatesPerStepMax: 2, workCoreUsPerInput: 3, workCoreUsPerAggregate: 1 });
  const harness = new TestHarness({ definitions: [small] });
  for (let key = 0; key < 5; key++) harness.inject(small.ref("1"), event(key, key, 1_000 + key));
  harness.run();
  harness.advanceTo(700_000);
  harness.inject(small.ref("1"), { type: "tick" });
  harness.run();
  const aggregates = harness.outputs.filter((output) => output.to.startsWith("detect/")).map((output) => (output.message as KeyAggregate).key);
  t.deepEqual(aggregates, [0, 1, 2, 3, 4]);
  t.is(harness.outputs.filter((output) => output.to === "sink/stream-pipeline").length, 1, "one completion, after the last aggregate");
  t.deepEqual(harness.stateOf<AggregatorState>(small.ref("1")).windows, []);
});

const detector = detectorDefinition({ warmupCount: 5, zThreshold: 4, workCoreUs: 5 });

/** Feeds window means (of `counts[i]` readings, default 4) to detect/3; returns the state and which ones alerted. */
function feedDetector(values: number[], counts: number[] = []) {
  const self = detector.ref("3");
  let state: DetectorState = detector.initial();
  const alerts: number[] = [];
  for (const [index, value] of values.entries()) {
    const count = counts[index] ?? 4;
    const aggregate: KeyAggregate = { type: "aggregate", region: 0, key: 3, windowStartUs: index * windowUs, count, mean: value, lastEventUs: index * 1000 };
    const built = buildStep(detector, self, state, aggregate, inputs(index * 1000 + 10, index + 1));
    if (!built.ok) throw new Error(built.reason);
    if (built.value.sends.length > 0) alerts.push(index);
    const applied = applyEvents(detector, self, state, built.value.events, { nowUs: 0 });
    if (!applied.ok) throw new Error(applied.reason);
    state = applied.value;
  }
  return { state, alerts };
}

test("the detector's running statistics equal the batch statistics of the readings behind the window means", (t) => {
  const values = [10, 12, 9, 11, 10.5, 9.5, 10.2];
  const { state, alerts } = feedDetector(values);
  t.deepEqual(alerts, []);
  t.true(Math.abs(state.mean - mean(values)) < 1e-12);
  // Means of 4 readings spread half as much as one reading: the reading sd is twice theirs.
  t.true(Math.abs(readingSd(state) - 2 * sampleStandardDeviation(values)) < 1e-12);
  t.true(Math.abs(zScore(state, 20, 4) - Math.abs(20 - mean(values)) / sampleStandardDeviation(values)) < 1e-12);
  const weighted = feedDetector([10, 20, 13], [1, 2, 3]).state;
  t.true(Math.abs(weighted.mean - (10 + 40 + 39) / 6) < 1e-12, "the mean reading weighs each window by its count");
});

test("a window of few readings needs a larger deviation to alert than a window of many", (t) => {
  const history = [10, 12, 9, 11, 10.5, 9.5, 10.2, 10.8];
  const counts = history.map(() => 16);
  t.deepEqual(feedDetector([...history, 15], [...counts, 16]).alerts, [8], "15 is far out for a mean of 16 readings");
  t.deepEqual(feedDetector([...history, 15], [...counts, 1]).alerts, [], "but ordinary for a single reading");
});

test("after warm-up an outlier raises an alert to the sink and stays out of the statistics", (t) => {
  const { state, alerts } = feedDetector([10, 12, 9, 11, 10, 30, 10.5, 11, 9.5, 50]);
  t.deepEqual(alerts, [5, 9]);
  t.is(state.alerts, 2);
  t.is(state.count, 8, "the two outliers were not folded in");
  const early = feedDetector([10, 40, 10]);
  t.deepEqual(early.alerts, [], "no alert during warm-up");
  const built = buildStep(detector, detector.ref("3"), { count: 6, weight: 6, mean: 10, squaresSum: 5, alerts: 0 },
    { type: "aggregate", region: 2, key: 3, windowStartUs: 0, count: 1, mean: 100, lastEventUs: 777 }, inputs(900));
  t.deepEqual(built.ok && built.value.sends.map((send) => [send.to, send.message]), [
    ["sink/stream-pipeline", { type: "completed", outcome: "alert", startUs: 777, items: 1 }],
  ]);
});
