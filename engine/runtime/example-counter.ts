// The counter automaton of the runtime's README and tests: it adds amounts, resets, answers
// reads by reply, forwards a share of each amount to a peer, and draws a random "lucky" number,
// so one small definition exercises events, sends, replies, work and ctx.random.

import { defineAutomaton } from "./automaton.ts";
import type { AutomatonRef } from "./ids.ts";

export type CounterState = { count: number; steps: number; lucky: number; lastAtUs: number };

export type CounterMessage =
  | { type: "add"; amount: number }
  | { type: "reset" }
  | { type: "get" }
  | { type: "forward"; amount: number; to: AutomatonRef<CounterMessage> };

export type CounterEvent = { type: "added"; amount: number; lucky: number } | { type: "reset" };

export const counter = defineAutomaton<CounterState, CounterMessage, CounterEvent>({
  type: "counter",
  initial: () => ({ count: 0, steps: 0, lucky: 0, lastAtUs: 0 }),
  handle(ctx, state, message) {
    switch (message.type) {
      case "add":
        if (!Number.isSafeInteger(message.amount)) throw new RangeError(`amount ${message.amount} is not an integer`);
        ctx.work(5);
        ctx.emit({ type: "added", amount: message.amount, lucky: ctx.randomInt(1000) });
        break;
      case "reset":
        ctx.emit({ type: "reset" });
        break;
      case "get":
        ctx.reply?.({ count: state.count });
        break;
      case "forward":
        ctx.send(message.to, { type: "add", amount: message.amount });
        break;
    }
    return undefined;
  },
  apply(state, event, step) {
    state.steps += 1;
    state.lastAtUs = step.nowUs;
    if (event.type === "reset") state.count = 0;
    else {
      state.count += event.amount;
      state.lucky = event.lucky;
    }
    return state;
  },
});
