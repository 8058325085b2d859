// The sink and the driver helpers: a hosted sink tallies completions, items and latency per
// outcome; sinkCompletion reads only well-formed messages to a sink; arrivals "at start" all
// fall on the start time.

import test from "ava";
import type { AutomatonId } from "../engine/runtime/ids.ts";
import { ArrivalsAtStart, CompletionScratch } from "./driver.ts";
import { completed, sink, sinkCompletion, sinkRef, type SinkState } from "./sink.ts";
import { TestHarness } from "./test-harness.ts";

test("a hosted sink tallies completions, items and latency per outcome", (t) => {
  const harness = new TestHarness({ definitions: [sink], stepUs: 100 });
  harness.inject(sinkRef("demo"), completed("window", 0, 40));
  harness.inject(sinkRef("demo"), completed("window", 50, 2));
  harness.inject(sinkRef("demo"), completed("alert", 150));
  harness.run();
  t.deepEqual(harness.stateOf<SinkState>(sinkRef("demo")).outcomes, {
    window: { completions: 2, items: 42, latencyUsSum: 100 + 150 },
    alert: { completions: 1, items: 1, latencyUsSum: 150 },
  });
});

test("sinkCompletion reads completed messages to a sink and nothing else", (t) => {
  const scratch = new CompletionScratch();
  t.like(sinkCompletion("sink/x" as AutomatonId, completed("booked", 7, 3), scratch), { outcome: "booked", startUs: 7, items: 3 });
  t.is(sinkCompletion("trip/1" as AutomatonId, completed("booked", 7), scratch), undefined, "not a sink");
  t.is(sinkCompletion("sink/x" as AutomatonId, { type: "other" }, scratch), undefined, "not a completion");
  t.is(sinkCompletion("sink/x" as AutomatonId, null, scratch), undefined);
});

test("arrivals at start all happen at the start time", (t) => {
  const process = new ArrivalsAtStart();
  const first = process.nextArrivalUs(500);
  t.deepEqual([first, process.nextArrivalUs(first), process.nextArrivalUs(first)], [500, 500, 500]);
});
