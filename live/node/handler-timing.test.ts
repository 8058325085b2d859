// Handler timing wraps a definition's handle without changing what it does: the same effects,
// the same thrown error, every call counted (failed ones too), the rest of the definition kept.

import test from "ava";
import { defineAutomaton } from "../../engine/runtime/automaton.ts";
import { buildStep } from "../../engine/runtime/step-builder.ts";
import { HandlerTiming } from "./handler-timing.ts";

const counter = defineAutomaton<{ n: number }, { add: number }, { added: number }>({
  type: "timed",
  initial: () => ({ n: 0 }),
  handle(ctx, _state, message) {
    if (message.add < 0) throw new Error("negative");
    ctx.emit({ added: message.add });
  },
  apply: (state, event) => ({ n: state.n + event.added }),
});

test("a timed handler stages the same step, throws the same error and counts every call", (t) => {
  const timing = new HandlerTiming();
  const timed = timing.wrap(counter) as typeof counter;
  const id = counter.ref("a");
  const inputs = { lsn: 1, nowUs: 0, replyTo: undefined };
  const plain = buildStep(counter, id, { n: 0 }, { add: 2 }, inputs);
  const wrapped = buildStep(timed, id, { n: 0 }, { add: 2 }, inputs);
  t.deepEqual(wrapped, plain);
  const failed = buildStep(timed, id, { n: 0 }, { add: -1 }, inputs);
  t.false(failed.ok);
  t.regex(failed.ok ? "" : failed.reason, /negative/);
  const [totals] = timing.totals();
  t.is(totals?.type, "timed");
  t.is(totals?.calls, 2);
  t.true((totals?.us ?? -1) >= 0);
  t.is(timed.apply, counter.apply);
  t.is(timed.ref("a"), id);
});

test("a call that begins within the gap after the loop's previous call counts as back to back, whatever its type", (t) => {
  const timing = new HandlerTiming(60_000);
  const other = defineAutomaton<null, { x: number }, never>({ type: "other", initial: () => null, handle() {}, apply: (state) => state });
  const timedCounter = timing.wrap(counter) as typeof counter;
  const timedOther = timing.wrap(other) as typeof other;
  const inputs = { lsn: 1, nowUs: 0, replyTo: undefined };
  buildStep(timedCounter, counter.ref("a"), { n: 0 }, { add: 1 }, inputs);
  buildStep(timedOther, other.ref("b"), null, { x: 1 }, inputs);
  buildStep(timedCounter, counter.ref("a"), { n: 1 }, { add: 1 }, inputs);
  t.deepEqual(timing.totals().map(({ type, calls, backToBack }) => ({ type, calls, backToBack })), [
    { type: "other", calls: 1, backToBack: 1 },
    { type: "timed", calls: 2, backToBack: 1 },
  ], "the first call of all found an idle loop");
  const apart = new HandlerTiming(-1);
  const timedApart = apart.wrap(counter) as typeof counter;
  buildStep(timedApart, counter.ref("a"), { n: 0 }, { add: 1 }, inputs);
  buildStep(timedApart, counter.ref("a"), { n: 1 }, { add: 1 }, inputs);
  t.is(apart.totals()[0]?.backToBack, 0, "with no gap allowed, nothing is back to back");
});
