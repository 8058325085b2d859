// Type tests for the automaton API: this file is only compiled (`tsc --noEmit` in `npm test`),
// never run. Each `@ts-expect-error` line proves that a mistake fails to compile; the TS code
// after it is the error the line must produce, and types.typetest-check.test.ts compiles this
// file without the directives and checks that each marked line fails with exactly that code.
// The lines without a directive prove that correct use compiles without annotations.

import { defineAutomaton, type EventOf, type MessageOf, type StateOf } from "./automaton.ts";
import { messageEncode } from "./codec.ts";
import type { StepContext } from "./context.ts";
import { automatonRef, type AutomatonId, type AutomatonRef } from "./ids.ts";
import type { PlainValue } from "./plain-data.ts";

type CounterState = { count: number; lastAtUs: number };
type CounterMessage = { type: "add"; amount: number } | { type: "reset" } | { type: "get"; replyTo: AutomatonRef<CountReply> };
type CounterEvent = { type: "added"; amount: number } | { type: "reset" };
type CountReply = { count: number };

// Correct use: every member is contextually typed; nothing is annotated.
export const counter = defineAutomaton<CounterState, CounterMessage, CounterEvent>({
  type: "counter",
  initial: () => ({ count: 0, lastAtUs: 0 }),
  handle(ctx, state, message) {
    if (message.type === "add") ctx.emit({ type: "added", amount: message.amount });
    else if (message.type === "reset") ctx.emit({ type: "reset" });
    else ctx.send(message.replyTo, { count: state.count });
    ctx.reply?.({ ok: true });
    ctx.work(ctx.randomInt(10) + ctx.random());
    return undefined;
  },
  apply: (state, event, step) =>
    event.type === "added" ? { count: state.count + event.amount, lastAtUs: step.nowUs } : { count: 0, lastAtUs: step.nowUs },
});

type Tree = { label: string; children: Tree[] };
export const inbox = defineAutomaton<{ tree: Tree }, CountReply>({
  type: "inbox",
  initial: () => ({ tree: { label: "root", children: [] } }),
  handle: (ctx) => ctx.send(counter.ref("a"), { type: "add", amount: 1 }),
  apply: (state) => state,
});

// A state that is not plain data compiles when it brings snapshot/restore hooks.
export const registry = defineAutomaton<{ names: Map<string, number> }, { name: string }, { name: string }, [string, number][]>({
  type: "registry",
  initial: () => ({ names: new Map() }),
  handle: (ctx, _state, message) => ctx.emit({ name: message.name }),
  apply: (state, event) => {
    state.names.set(event.name, state.names.size);
    return state;
  },
  snapshot: (state) => [...state.names],
  restore: (entries) => ({ names: new Map(entries) }),
});

const alice = counter.ref("alice");
declare const ctx: StepContext<CounterEvent>;

// Sending: the ref decides which messages compile.
ctx.send(alice, { type: "add", amount: 2 });
ctx.send(alice, { type: "reset" }, "client/7" as AutomatonId);
// @ts-expect-error TS2322 an unknown message type
ctx.send(alice, { type: "multiply", amount: 2 });
// @ts-expect-error TS2345 a message missing a field
ctx.send(alice, { type: "add" });
// @ts-expect-error TS2345 a field of the wrong type
ctx.send(alice, { type: "add", amount: "2" });
// @ts-expect-error TS2353 a message for another automaton's ref
ctx.send(inbox.ref("b"), { type: "reset" });
// @ts-expect-error TS2345 a plain string is not a ref
ctx.send("counter/alice", { type: "reset" });

// The client side encodes through the same typed refs.
messageEncode(alice, { type: "add", amount: 1 });
// @ts-expect-error TS2353 a wrong message type from a client
messageEncode(alice, { type: "add", amount: 1, extra: true });

// Refs are contravariant: a full counter ref serves where only `reset` is sent, not the reverse.
export const resetOnly: AutomatonRef<{ type: "reset" }> = alice;
// @ts-expect-error TS2322 a narrower ref cannot stand in for the full one
export const widened: AutomatonRef<CounterMessage> = resetOnly;
// @ts-expect-error TS2322 a ref of another automaton
export const crossed: AutomatonRef<CountReply> = alice;
export const fromConfig = automatonRef<CounterMessage>("counter/bob");

// Events: emit accepts only the definition's events.
ctx.emit({ type: "added", amount: 1 });
// @ts-expect-error TS2322 an unknown event type
ctx.emit({ type: "doubled" });
// @ts-expect-error TS2322 a message is not an event
ctx.emit({ type: "add", amount: 1, extra: 1 });

// The helper types recover the definition's types.
export const stateOf: StateOf<typeof counter> = { count: 1, lastAtUs: 0 };
export const messageOf: MessageOf<typeof counter> = { type: "reset" };
export const eventOf: EventOf<typeof counter> = { type: "reset" };
// @ts-expect-error TS2353 StateOf is the counter's state
export const stateWrong: StateOf<typeof counter> = { count: 1, lastAtUs: 0, extra: 1 };

export const wrongInitial = defineAutomaton<CounterState, CounterMessage, CounterEvent>({
  type: "wrong-initial",
  // @ts-expect-error TS2741 initial returns a state missing a field
  initial: () => ({ count: 0 }),
  handle: () => undefined,
  apply: (state) => state,
});

export const wrongApply = defineAutomaton<CounterState, CounterMessage, CounterEvent>({
  type: "wrong-apply",
  initial: () => ({ count: 0, lastAtUs: 0 }),
  handle: () => undefined,
  // @ts-expect-error TS2322 apply returns a state of the wrong shape
  apply: (state) => ({ count: String(state.count), lastAtUs: 0 }),
});

export const wrongHandler = defineAutomaton<CounterState, CounterMessage, CounterEvent>({
  type: "wrong-handler",
  initial: () => ({ count: 0, lastAtUs: 0 }),
  handle(ctx, state, message) {
    // @ts-expect-error TS2540 state is read-only inside a handler: only events change it
    state.count = 1;
    // @ts-expect-error TS2339 the message union has no such field before narrowing
    ctx.work(message.amount);
    // @ts-expect-error TS2322 the handler emits a wrong event
    ctx.emit({ type: "added", amount: "one" });
    return undefined;
  },
  apply: (state) => state,
});

export const asyncHandler = defineAutomaton<CounterState, CounterMessage, CounterEvent>({
  type: "async-handler",
  initial: () => ({ count: 0, lastAtUs: 0 }),
  // @ts-expect-error TS2322 handlers are synchronous: an async handler does not compile
  async handle(ctx) {
    ctx.emit({ type: "reset" });
  },
  apply: (state) => state,
});

// @ts-expect-error TS2345 a state holding a Map needs snapshot/restore hooks
export const mapWithoutHooks = defineAutomaton<{ names: Map<string, number> }, { name: string }>({
  type: "map-without-hooks",
  initial: () => ({ names: new Map() }),
  handle: () => undefined,
  apply: (state) => state,
});

// @ts-expect-error TS2345 snapshot without restore
export const halfHooks = defineAutomaton<CounterState, CounterMessage, CounterEvent>({
  type: "half-hooks",
  initial: () => ({ count: 0, lastAtUs: 0 }),
  handle: () => undefined,
  apply: (state) => state,
  snapshot: (state: CounterState) => state.count,
});

// @ts-expect-error TS2344 an event holding a Date would replay as something else
export const dateEvents = defineAutomaton<CounterState, CounterMessage, { at: Date }>({
  type: "date-events",
  initial: () => ({ count: 0, lastAtUs: 0 }),
  handle: () => undefined,
  apply: (state) => state,
});

// @ts-expect-error TS2344 a message holding a function cannot be stored
export const callbackMessages = defineAutomaton<CounterState, { done: () => void }, CounterEvent>({
  type: "callback-messages",
  initial: () => ({ count: 0, lastAtUs: 0 }),
  handle: () => undefined,
  apply: (state) => state,
});

// Any plain value is accepted as a message, event and state.
export const plainInbox = defineAutomaton<{ kept: PlainValue[] }, PlainValue, PlainValue>({
  type: "plain-inbox",
  initial: () => ({ kept: [] }),
  handle: (ctx, _state, message) => ctx.emit(message),
  apply: (state, event) => ({ kept: [...state.kept, event] }),
});

export const untyped = defineAutomaton({
  type: "untyped",
  // @ts-expect-error TS2322 type arguments are required, and the error says how to give them
  initial: () => ({ count: 0 }),
  handle: () => undefined,
  apply: (state) => state,
});
