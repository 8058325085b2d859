// Proves the pure step builder (STYLE 3): a handler is tested by feeding it messages and comparing
// the step it stages; a failing handler stages nothing and is reported with the automaton id,
// the input's LSN and the message; time and randomness come only from the step inputs.

import test from "ava";
import { ErrorCode, SsmsError } from "../io/errors.ts";
import { defineAutomaton } from "./automaton.ts";
import type { StepContext } from "./context.ts";
import { counter, type CounterMessage, type CounterState } from "./example-counter.ts";
import type { AutomatonId } from "./ids.ts";
import { applyEvents, buildStep, StepBuilder } from "./step-builder.ts";

const self = counter.ref("alice");
const peer = counter.ref("bob");
const start = (): CounterState => counter.initial();
const inputs = (lsn: number, nowUs = 1_000, replyTo?: AutomatonId) => ({ lsn, nowUs, replyTo });

test("feeding messages yields the staged steps: events, sends and work", (t) => {
  const added = buildStep(counter, self, start(), { type: "add", amount: 3 }, inputs(7));
  t.true(added.ok);
  if (!added.ok) return;
  t.is(added.value.events.length, 1);
  t.like(added.value.events[0], { type: "added", amount: 3 });
  t.deepEqual(added.value.sends, []);
  t.is(added.value.workUs, 5);

  const forwarded = buildStep(counter, self, start(), { type: "forward", amount: 2, to: peer }, inputs(8));
  t.deepEqual(forwarded, {
    ok: true,
    value: { events: [], workUs: 0, sends: [{ to: "counter/bob", message: { type: "add", amount: 2 }, replyTo: undefined }] },
  });
});

test("a reply goes to the input's reply-to, and ctx.reply is absent without one", (t) => {
  const state = { ...start(), count: 41 };
  const asked = buildStep(counter, self, state, { type: "get" }, inputs(9, 0, "client/c1"));
  t.deepEqual(asked.ok && asked.value.sends, [{ to: "client/c1", message: { count: 41 }, replyTo: undefined }]);
  const unasked = buildStep(counter, self, state, { type: "get" }, inputs(9));
  t.deepEqual(unasked.ok && unasked.value.sends, []);
});

test("a handler that throws stages nothing and is reported with automaton, lsn and message", (t) => {
  const failed = buildStep(counter, self, start(), { type: "add", amount: 0.5 }, inputs(12));
  t.false(failed.ok);
  if (failed.ok) return;
  t.is(failed.code, ErrorCode.handlerFailed);
  t.regex(failed.reason, /automaton 'counter\/alice' failed to handle the message at lsn 12 \(\{"type":"add","amount":0.5\}\)/);
  t.regex(failed.reason, /RangeError: amount 0.5 is not an integer/);
  t.true(failed.cause instanceof RangeError);
});

test("effects staged before a throw are discarded with the step", (t) => {
  const halfway = defineAutomaton<null, string, string>({
    type: "halfway",
    initial: () => null,
    handle(ctx, _state, message) {
      ctx.emit("first");
      ctx.send(peer, { type: "reset" });
      if (message === "boom") throw new Error("boom");
      return undefined;
    },
    apply: (state) => state,
  });
  const builder = new StepBuilder(halfway, halfway.ref("x"));
  t.false(builder.build(null, "boom", inputs(1)).ok);
  const next = builder.build(null, "fine", inputs(2));
  t.deepEqual(next.ok && [next.value.events, next.value.sends.length], [["first"], 1], "only the good step's effects");
});

test("an async handler that slipped past the types fails its step instead of losing effects", async (t) => {
  const sneaky = defineAutomaton<null, string, string>({
    type: "sneaky",
    initial: () => null,
    handle: (async (ctx: StepContext<string>) => {
      await Promise.resolve();
      ctx.emit("late");
    }) as unknown as () => undefined,
    apply: (state) => state,
  });
  const failed = buildStep(sneaky, sneaky.ref("x"), null, "m", inputs(1));
  t.false(failed.ok);
  if (failed.ok) return;
  t.regex(failed.reason, /returned a Promise; handlers must be synchronous/);
  await t.throwsAsync(failed.cause as Promise<void>, { message: /ctx.emit: the context was used outside its step/ },
    "the late emit is refused, not slipped into another step");
});

test("a ctx kept past its step refuses use", (t) => {
  let kept: StepContext<string> | undefined;
  const keeper = defineAutomaton<null, string, string>({
    type: "keeper",
    initial: () => null,
    handle(ctx) {
      kept = ctx;
      return undefined;
    },
    apply: (state) => state,
  });
  t.true(buildStep(keeper, keeper.ref("x"), null, "m", inputs(1)).ok);
  const thrown = t.throws(() => kept?.emit("late"), { instanceOf: SsmsError });
  t.regex(thrown?.message ?? "", /keeper\/x.*ctx.emit: the context was used outside its step/);
});

test("bad arguments to ctx fail the step with the method named", (t) => {
  const careless = defineAutomaton<null, { work?: number; to?: string; int?: number }, never>({
    type: "careless",
    initial: () => null,
    handle(ctx, _state, message) {
      if (message.work !== undefined) ctx.work(message.work);
      if (message.to !== undefined) ctx.send(message.to as typeof peer, { type: "reset" });
      if (message.int !== undefined) ctx.randomInt(message.int);
      return undefined;
    },
    apply: (state) => state,
  });
  const reasonOf = (message: { work?: number; to?: string; int?: number }): string => {
    const built = buildStep(careless, careless.ref("x"), null, message, inputs(1));
    return built.ok ? "" : built.reason;
  };
  t.regex(reasonOf({ work: -1 }), /ctx.work: coreUs -1 must be a finite number/);
  t.regex(reasonOf({ work: Number.NaN }), /ctx.work: coreUs NaN/);
  t.regex(reasonOf({ to: "nobody" }), /ctx.send: automaton id 'nobody' has no '\/'/);
  t.regex(reasonOf({ int: 0 }), /ctx.randomInt: maxExclusive 0 must be an integer/);
});

test("ctx.nowUs is the step's time for every call, and apply sees it as step.nowUs", (t) => {
  const clocked = defineAutomaton<number[], null, number>({
    type: "clocked",
    initial: () => [],
    handle(ctx) {
      ctx.emit(ctx.nowUs());
      ctx.emit(ctx.nowUs());
      return undefined;
    },
    apply: (state, event, step) => [...state, event, step.nowUs],
  });
  const built = buildStep(clocked, clocked.ref("x"), [], null, inputs(3, 123_456));
  t.deepEqual(built.ok && built.value.events, [123_456, 123_456]);
  const applied = applyEvents(clocked, clocked.ref("x"), [], built.ok ? built.value.events : [], { nowUs: 123_456 });
  t.deepEqual(applied, { ok: true, value: [123_456, 123_456, 123_456, 123_456] });
});

const drawer = defineAutomaton<null, number, number>({
  type: "drawer",
  initial: () => null,
  handle(ctx, _state, count) {
    for (let i = 0; i < count; i++) ctx.emit(i % 2 === 0 ? ctx.random() : ctx.randomInt(1 << 30));
    return undefined;
  },
  apply: (state) => state,
});

let drawTimeUs = 0;

/** Each call runs at another time: only the id and the LSN may decide the draws. */
function draws(id: AutomatonId, lsn: number, count = 8): readonly number[] {
  drawTimeUs += 1_000_003;
  const built = new StepBuilder(drawer, id).build(null, count, inputs(lsn, drawTimeUs));
  return built.ok ? built.value.events : [];
}

test("ctx.random: a re-executed step (fresh builder, other time) draws the same numbers", (t) => {
  const first = draws("drawer/a", 42);
  t.deepEqual(draws("drawer/a", 42), first, "same automaton, same input LSN");
  t.notDeepEqual(draws("drawer/a", 43), first, "the next input gets another stream");
  t.notDeepEqual(draws("drawer/b", 42), first, "another automaton at the same LSN gets another stream");
  t.notDeepEqual(draws("drawer/a", 42 + 2 ** 32), first, "high LSN bits count");
  for (const value of draws("drawer/a", 7, 200).filter((_, i) => i % 2 === 0)) t.true(value >= 0 && value < 1);
});

test("ctx.random is roughly uniform (a broken seed would cluster)", (t) => {
  const buckets = new Array<number>(10).fill(0);
  for (let lsn = 0; lsn < 2_000; lsn++) {
    for (const value of draws("drawer/u", lsn, 5).filter((_, i) => i % 2 === 0)) {
      buckets[Math.floor(value * 10)] = (buckets[Math.floor(value * 10)] ?? 0) + 1;
    }
  }
  for (const count of buckets) t.true(count > 500 && count < 700, `bucket ${count} of 6000 draws`);
});

test("applyEvents reports a throwing apply with the automaton and event, for the caller to stop", (t) => {
  const fragile = defineAutomaton<number, null, string>({
    type: "fragile",
    initial: () => 0,
    handle: () => undefined,
    apply: (state, event) => {
      if (event === "bad") throw new Error("cannot fold");
      return state + 1;
    },
  });
  const folded = applyEvents(fragile, fragile.ref("x"), 0, ["ok", "bad"], { nowUs: 0 });
  t.false(folded.ok);
  t.regex(folded.ok ? "" : folded.reason, /automaton 'fragile\/x': apply threw Error: cannot fold on event "bad"/);
});

test("the message type of a step is the definition's (compile-time), checked here by use", (t) => {
  const message: CounterMessage = { type: "reset" };
  const state = { ...start(), count: 5 };
  const built = buildStep(counter, self, state, message, inputs(1));
  t.deepEqual(built.ok && built.value.events, [{ type: "reset" }]);
  t.is(state.count, 5, "handle does not touch state; only apply does");
});
