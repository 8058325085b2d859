// The whole stream pipeline from its driver, in the test harness: every valid event is counted in
// exactly one closed window (error codes are filtered, nothing is lost or counted twice), ticks
// close windows after the events stop, spikes planted by the generator are found by the
// detectors, and the driver's hints group each region's filter with its aggregator.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import type { SinkState } from "../sink.ts";
import { driveSources, TestHarness } from "../test-harness.ts";
import type { AggregatorState } from "./aggregator.ts";
import { keyBaseLevel, streamEventDraw, streamPipelineDriver, type StreamPipelineConfig, type StreamPipelineDriverOptions } from "./stream-driver.ts";

const config: StreamPipelineConfig = { kind: "stream-pipeline", eventsPerS: 2000, regions: 2, keys: 20, windowUs: 100_000, arrival: { kind: "poisson" } };
const options: StreamPipelineDriverOptions = { spikeChance: 0.002, spikeFactor: 8 };

test("every valid event lands in exactly one closed window, and planted spikes raise alerts", (t) => {
  const driver = streamPipelineDriver(config, { random: new RandomNode("stream"), mode: "sim" }, options);
  // Replay the driver's own event stream to know what it injected.
  const replay = new RandomNode("stream").fork("stream-events");
  const harness = new TestHarness({ definitions: driver.definitions, stepUs: 1 });
  const endUs = 5_000_000;
  const [events] = driveSources(driver, harness, endUs);
  // Quiet period: only ticks, until every window is past its lateness.
  const ticksOnly = { sources: driver.sources.slice(1) };
  driveSources(ticksOnly, harness, endUs + 3 * config.windowUs);
  let valid = 0;
  let spikesAfterWarmup = 0;
  for (let index = 0; index < (events ?? 0); index++) {
    const event = streamEventDraw(replay, config, options, 0);
    if (event.value >= 0) valid++;
    if (event.value > 3 * keyBaseLevel(event.key) && index > 2000) spikesAfterWarmup++;
  }
  const tallies = harness.stateOf<SinkState>("sink/stream-pipeline").outcomes;
  t.true((events ?? 0) > 9000, `about 10,000 events in 5 s, got ${events}`);
  t.is(tallies["window"]?.items, valid, "each valid event counted once, error codes dropped");
  let late = 0;
  for (const state of harness.statesOf<AggregatorState>("aggregate").values()) {
    late += state.lateEvents;
    t.deepEqual(state.windows, [], "every window closed");
  }
  t.is(late, 0, "no event is late when nothing delays it");
  const alerts = tallies["alert"]?.completions ?? 0;
  t.true(spikesAfterWarmup >= 5, `the seed plants spikes (${spikesAfterWarmup})`);
  t.true(alerts >= 0.7 * spikesAfterWarmup && alerts <= spikesAfterWarmup + 3, `${alerts} alerts for ${spikesAfterWarmup} spikes`);
});

test("the driver lists its automata, groups a region's filter and aggregator, and ticks each region once per window", (t) => {
  const driver = streamPipelineDriver(config, { random: new RandomNode("s"), mode: "sim" });
  const automata = [...driver.automata()];
  t.is(automata.length, 2 * 2 + 20);
  t.is(driver.placementHint("filter/1" as AutomatonId).group, driver.placementHint("aggregate/1" as AutomatonId).group);
  t.not(driver.placementHint("filter/1" as AutomatonId).group, driver.placementHint("filter/0" as AutomatonId).group);
  t.like(driver.placementHint("detect/7" as AutomatonId), { role: "detector" });
  const ticks = driver.sources[1];
  if (ticks === undefined) return t.fail("a tick source");
  const times = [ticks.process.nextArrivalUs(0)];
  times.push(ticks.process.nextArrivalUs(times[0]!));
  t.deepEqual(times, [50_000, 100_000], "two regions, one tick each per 100 ms window");
  t.deepEqual([1, 2, 3].map((seq) => ticks.inject(seq, 0).to), ["aggregate/0", "aggregate/1", "aggregate/0"]);
});
