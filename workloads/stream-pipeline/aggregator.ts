// The stream pipeline's per-region aggregator, `aggregate/<region>`: tumbling event-time windows
// of `windowUs`, one running count and sum per key and window.
//
// Windows by event time: an event belongs to the window [k·windowUs, (k+1)·windowUs) that holds
// its `timeUs`. Windows close by the step's time (ctx.nowUs, the DARQ's clock, the same live and
// on replay): a window is due once now ≥ its end + `latenessUs`, the grace given to events that
// were delayed on the way. An event whose window is already due is late: counted and dropped,
// so a closed window's result never changes. Events, ticks and the aggregator's own
// continuation messages all close due windows first; ticks (from the driver) make sure windows
// close when a region falls silent.
//
// Closing a window sends one aggregate per key to that key's detector and one `window`
// completion to the sink. A step sends at most `aggregatesPerStepMax` aggregates (a window may
// hold millions of keys): the rest follow in later steps, which the aggregator triggers by
// sending itself a tick, and the window is dropped from state when its last aggregate is out.

import { assert } from "../../engine/io/assert.ts";
import { defineAutomaton, type AutomatonDefinition } from "../../engine/runtime/automaton.ts";
import type { StepContext } from "../../engine/runtime/context.ts";
import type { AutomatonRef } from "../../engine/runtime/ids.ts";
import { completed, sinkRef } from "../sink.ts";
import { aggregatorType, type AggregatorMessage, type KeyAggregate, type StreamEvent } from "./stream-types.ts";

export type WindowState = {
  startUs: number;
  /** Keys in order of their first event in the window; counts and sums are parallel. */
  keys: number[];
  counts: number[];
  sums: number[];
  /** Key → its index in `keys`. */
  slots: Record<string, number>;
  events: number;
  lastEventUs: number;
  /** Aggregates already sent while closing (0 while open). */
  sentKeys: number;
};

export type AggregatorState = {
  /** Open or closing windows, oldest first. */
  windows: WindowState[];
  lateEvents: number;
  windowsClosed: number;
};

export type AggregatorEvent =
  | { readonly type: "added"; readonly windowStartUs: number; readonly key: number; readonly value: number; readonly timeUs: number }
  | { readonly type: "late" }
  | { readonly type: "sent"; readonly windowStartUs: number; readonly sentKeys: number }
  | { readonly type: "closed"; readonly windowStartUs: number };

export type AggregatorOptions = {
  readonly windowUs: number;
  readonly latenessUs: number;
  readonly detectorOf: (key: number) => AutomatonRef<KeyAggregate>;
  readonly aggregatesPerStepMax: number;
  /** Modelled compute per input and per aggregate sent, core-µs. */
  readonly workCoreUsPerInput: number;
  readonly workCoreUsPerAggregate: number;
};

export type AggregatorDefinition = AutomatonDefinition<AggregatorState, AggregatorMessage, AggregatorEvent>;

type Ctx = StepContext<AggregatorEvent>;

export function aggregatorDefinition(options: AggregatorOptions): AggregatorDefinition {
  const { windowUs, latenessUs, detectorOf, aggregatesPerStepMax } = options;
  assert(Number.isSafeInteger(windowUs) && windowUs >= 1, `windowUs must be an integer ≥ 1, got ${windowUs}`);
  assert(Number.isSafeInteger(latenessUs) && latenessUs >= 0, `latenessUs must be an integer ≥ 0, got ${latenessUs}`);
  assert(Number.isSafeInteger(aggregatesPerStepMax) && aggregatesPerStepMax >= 1, `aggregatesPerStepMax must be ≥ 1, got ${aggregatesPerStepMax}`);
  const sink = sinkRef("stream-pipeline");
  const dueAt = (windowStartUs: number): number => windowStartUs + windowUs + latenessUs;

  /** Sends what the budget allows of the due windows, oldest first; asks itself to go on if it runs out. */
  const closeDue = (ctx: Ctx, state: Readonly<AggregatorState>): void => {
    const nowUs = ctx.nowUs();
    const region = regionOf(ctx.self);
    let budget = aggregatesPerStepMax;
    for (const window of state.windows) {
      if (dueAt(window.startUs) > nowUs) return;
      const end = Math.min(window.keys.length, window.sentKeys + budget);
      for (let index = window.sentKeys; index < end; index++) {
        const key = window.keys[index]!;
        const count = window.counts[index]!;
        ctx.send(detectorOf(key), {
          type: "aggregate", region, key, windowStartUs: window.startUs, count,
          mean: window.sums[index]! / count, lastEventUs: window.lastEventUs,
        });
      }
      ctx.work(options.workCoreUsPerAggregate * (end - window.sentKeys));
      budget -= end - window.sentKeys;
      if (end < window.keys.length) {
        ctx.emit({ type: "sent", windowStartUs: window.startUs, sentKeys: end });
        ctx.send(ctx.self as AutomatonRef<AggregatorMessage>, { type: "tick" });
        return;
      }
      ctx.emit({ type: "closed", windowStartUs: window.startUs });
      ctx.send(sink, completed("window", window.lastEventUs, window.events));
    }
  };

  const onEvent = (ctx: Ctx, event: StreamEvent): void => {
    const windowStartUs = Math.floor(event.timeUs / windowUs) * windowUs;
    if (dueAt(windowStartUs) <= ctx.nowUs()) ctx.emit({ type: "late" });
    else ctx.emit({ type: "added", windowStartUs, key: event.key, value: event.value, timeUs: event.timeUs });
  };

  return defineAutomaton<AggregatorState, AggregatorMessage, AggregatorEvent>({
    type: aggregatorType,
    initial: () => ({ windows: [], lateEvents: 0, windowsClosed: 0 }),
    handle(ctx, state, message) {
      ctx.work(options.workCoreUsPerInput);
      closeDue(ctx, state);
      if (message.type === "event") onEvent(ctx, message);
      return undefined;
    },
    apply: aggregatorApply,
  });
}

/** The region an aggregator serves: its key. */
function regionOf(self: string): number {
  return Number(self.slice(self.indexOf("/") + 1));
}

function windowOf(state: AggregatorState, startUs: number): WindowState {
  let index = state.windows.length;
  while (index > 0 && state.windows[index - 1]!.startUs > startUs) index--;
  const found = state.windows[index - 1];
  if (found !== undefined && found.startUs === startUs) return found;
  const window: WindowState = { startUs, keys: [], counts: [], sums: [], slots: {}, events: 0, lastEventUs: 0, sentKeys: 0 };
  state.windows.splice(index, 0, window);
  return window;
}

function aggregatorApply(state: AggregatorState, event: AggregatorEvent): AggregatorState {
  switch (event.type) {
    case "added": {
      const window = windowOf(state, event.windowStartUs);
      const slot = window.slots[event.key];
      if (slot === undefined) {
        window.slots[event.key] = window.keys.length;
        window.keys.push(event.key);
        window.counts.push(1);
        window.sums.push(event.value);
      } else {
        window.counts[slot]! += 1;
        window.sums[slot]! += event.value;
      }
      window.events++;
      window.lastEventUs = Math.max(window.lastEventUs, event.timeUs);
      break;
    }
    case "late":
      state.lateEvents++;
      break;
    case "sent":
      windowOf(state, event.windowStartUs).sentKeys = event.sentKeys;
      break;
    case "closed":
      state.windows = state.windows.filter((window) => window.startUs !== event.windowStartUs);
      state.windowsClosed++;
      break;
  }
  return state;
}
