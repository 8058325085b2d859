// The workload test harness itself: under random interleaving it still delivers in order per
// (sender, target) pair, and different seeds give different interleavings across pairs; sends to
// types without a definition become outputs; time advances per delivery and never backwards;
// a message loop hits the delivery budget and a failing handler fails the run, both loudly.

import test from "ava";
import { RandomNode } from "../engine/io/node/random-node.ts";
import { defineAutomaton } from "../engine/runtime/automaton.ts";
import type { AutomatonRef } from "../engine/runtime/ids.ts";
import { TestHarness } from "./test-harness.ts";

type Note = { type: "go"; count: number } | { type: "note"; from: string; index: number };

const collector = defineAutomaton<{ seen: string[] }, Note, string>({
  type: "collector",
  initial: () => ({ seen: [] }),
  handle(ctx, _state, message) {
    if (message.type === "note") ctx.emit(`${message.from}:${message.index}`);
    return undefined;
  },
  apply(state, event) {
    state.seen.push(event);
    return state;
  },
});

const emitter = defineAutomaton<null, Note, never>({
  type: "emitter",
  initial: () => null,
  handle(ctx, _state, message) {
    if (message.type !== "go") return undefined;
    for (let index = 0; index < message.count; index++) ctx.send(collector.ref("c"), { type: "note", from: ctx.self, index });
    ctx.send("outside/world" as AutomatonRef<unknown>, { done: ctx.self, atUs: ctx.nowUs() });
    return undefined;
  },
  apply: (state) => state,
});

function interleaving(seed: string): string[] {
  const harness = new TestHarness({ definitions: [collector, emitter], random: new RandomNode(seed) });
  for (const name of ["a", "b", "c"]) harness.inject(emitter.ref(name), { type: "go", count: 20 });
  harness.run();
  return harness.stateOf<{ seen: string[] }>(collector.ref("c")).seen;
}

test("random interleavings keep FIFO per (sender, target) pair and differ across seeds", (t) => {
  const orders = ["s1", "s2", "s3"].map(interleaving);
  for (const seen of orders) {
    t.is(seen.length, 60);
    for (const sender of ["emitter/a", "emitter/b", "emitter/c"]) {
      const indices = seen.filter((entry) => entry.startsWith(`${sender}:`)).map((entry) => Number(entry.split(":")[1]));
      t.deepEqual(indices, Array.from({ length: 20 }, (_, index) => index), `${sender} in order`);
    }
  }
  t.true(new Set(orders.map((seen) => seen.join(","))).size > 1, "seeds interleave pairs differently");
  t.deepEqual(interleaving("s1"), orders[0], "one seed, one interleaving");
});

test("sends to types without a definition become outputs, stamped with the step's time", (t) => {
  const harness = new TestHarness({ definitions: [collector, emitter], stepUs: 10, startUs: 1000 });
  harness.inject(emitter.ref("a"), { type: "go", count: 1 });
  t.is(harness.run(), 2, "the go and one note");
  t.deepEqual(harness.outputs.map((output) => [output.to, output.message, output.sentUs]), [
    ["outside/world", { done: "emitter/a", atUs: 1010 }, 1010],
  ]);
  t.is(harness.nowUs, 1020);
  t.throws(() => harness.advanceTo(5), { message: /time goes forward/ });
});

test("a message loop exhausts the delivery budget and a failing handler fails the run", (t) => {
  const echo = defineAutomaton<null, string, never>({
    type: "echo",
    initial: () => null,
    handle(ctx, _state, message) {
      if (message === "boom") throw new Error("planted failure");
      ctx.send(ctx.self as AutomatonRef<string>, message);
      return undefined;
    },
    apply: (state) => state,
  });
  const looping = new TestHarness({ definitions: [echo] });
  looping.inject(echo.ref("x"), "again");
  t.throws(() => looping.run(100), { message: /delivered 100 messages and 1 are still pending/ });
  const failing = new TestHarness({ definitions: [echo] });
  failing.inject(echo.ref("x"), "boom");
  t.throws(() => failing.run(), { message: /automaton 'echo\/x' failed .* planted failure/ });
});
