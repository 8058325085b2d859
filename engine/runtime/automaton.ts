// The automaton definition API: a plain typed object that says how one kind of automaton starts
// (`initial`), reacts to a message (`handle`, one atomic step) and folds its own events into state
// (`apply`, after each committed step and on replay). Users never write checkpoint, retry or
// recovery code: the host (automaton-host.ts) persists events as SELF messages and rebuilds state
// from them.
//
// Types are given once, up front, as in xstate's `setup({ types })`:
//
//   const counter = defineAutomaton<CounterState, CounterMessage, CounterEvent>({
//     type: "counter",
//     initial: () => ({ count: 0 }),
//     handle(ctx, state, message) { ctx.emit({ added: message.amount }); },
//     apply: (state, event) => ({ count: state.count + event.added }),
//   });
//   ctx.send(counter.ref("alice"), { type: "add", amount: 2 }); // only CounterMessage compiles
//
// Why explicit type arguments rather than inference from annotated handler parameters: in an
// object literal TypeScript infers left to right, so a `handle` written before `apply` would see
// `emit(event: unknown)` and silently accept any event. With the types given first, every member
// is contextually typed regardless of order and needs no annotation. Calling without type
// arguments is a compile error that says how to call it (see `TypeArgumentsRequired`).

import { ErrorCode, SsmsError } from "../io/errors.ts";
import type { StepContext, StepInfo } from "./context.ts";
import { automatonId, automatonTypeProblem, type AutomatonRef } from "./ids.ts";
import type { IsPlainData } from "./plain-data.ts";

/** What every definition has. `State` is read-only inside `handle`: only events change state. */
export interface AutomatonBehaviour<State, Message, Event> {
  /** Names the definition; ids of its automata are `type/key`. */
  readonly type: string;
  /** The state of an automaton that has never committed a step. */
  initial(): State;
  /**
   * One atomic step: stage effects on `ctx` (events, sends, work). Must be synchronous and
   * must not mutate `state`; throwing stages nothing (the message is retried, then dead-lettered).
   * The `undefined` return type makes an async handler a compile error.
   */
  handle(ctx: StepContext<Event>, state: Readonly<State>, message: Message): undefined;
  /**
   * Folds one event into state, after its step commits and again on every replay. It may mutate
   * and return `state` or return a new value; `step.nowUs` is the step's recorded time.
   */
  apply(state: State, event: Event, step: StepInfo): State;
}

/** Compaction hooks: turn state into plain data (msgpack-encodable) and back. */
export interface SnapshotHooks<State, Snapshot> {
  snapshot(state: Readonly<State>): Snapshot;
  restore(snapshot: Snapshot): State;
}

type NoSnapshotHooks = { readonly snapshot?: undefined; readonly restore?: undefined };

/**
 * A definition as written by a user. When `State` is plain data the host snapshots the state
 * itself and the hooks are optional (both or neither); otherwise they are required, so a state
 * holding a Map, a class instance or a function without hooks fails to compile.
 */
export type AutomatonSpec<State, Message, Event, Snapshot> = AutomatonBehaviour<State, Message, Event> &
  ([IsPlainData<State>] extends [true]
    ? SnapshotHooks<State, Snapshot> | NoSnapshotHooks
    : SnapshotHooks<State, Snapshot>);

/**
 * The constraint on message and event types. They are stored as msgpack and replayed decoded,
 * so a Map or Date in one would come back as something else on replay and state would diverge:
 * such a type argument fails to compile with this sentence as the error.
 */
export type PlainConstraint<T> = [IsPlainData<T>] extends [true]
  ? unknown
  : "messages and events must be plain data: no Map, Set, Date, class instance or function";

/** A validated, frozen definition plus typed references to its automata. */
export interface AutomatonDefinition<State, Message, Event, Snapshot = unknown>
  extends AutomatonBehaviour<State, Message, Event> {
  readonly snapshot: ((state: Readonly<State>) => Snapshot) | undefined;
  readonly restore: ((snapshot: Snapshot) => State) | undefined;
  /** A reference to the automaton `type/key`; it accepts only this definition's messages. */
  ref(key: string): AutomatonRef<Message>;
}

/** Any definition, for hosts and registries that handle many types. */
// The parameters are `any` because a definition is used both as a producer and a consumer of
// its types; `unknown` would make `AutomatonDefinition<Counter…>` unassignable here.
export type AnyAutomatonDefinition = AutomatonDefinition<any, any, any, any>;

/** A definition seen only through its state type (replay, snapshots). */
export type DefinitionOfState<State> = AutomatonDefinition<State, any, any, any>;

export type StateOf<D> = D extends AutomatonDefinition<infer S, infer _M, infer _E, infer _P> ? S : never;
export type MessageOf<D> = D extends AutomatonDefinition<infer _S, infer M, infer _E, infer _P> ? M : never;
export type EventOf<D> = D extends AutomatonDefinition<infer _S, infer _M, infer E, infer _P> ? E : never;

/**
 * The default of each type parameter when none are given: no value has this type, so the
 * compiler's error quotes it and tells the user what to write.
 */
export type TypeArgumentsRequired = "defineAutomaton needs its types: defineAutomaton<State, Message, Event>({ ... })";

/**
 * Validates a definition and returns it frozen, with `ref(key)`. Throws SsmsError
 * (argumentInvalid) when the type name is malformed, a member is not a function, or only one of
 * `snapshot`/`restore` is given.
 */
export function defineAutomaton<
  State = TypeArgumentsRequired,
  Message extends PlainConstraint<Message> = TypeArgumentsRequired,
  Event extends PlainConstraint<Event> = never,
  Snapshot = unknown,
>(spec: NoInfer<AutomatonSpec<State, Message, Event, Snapshot>>): AutomatonDefinition<State, Message, Event, Snapshot> {
  specCheck(spec);
  const type = spec.type;
  const definition: AutomatonDefinition<State, Message, Event, Snapshot> = {
    type,
    initial: spec.initial,
    handle: spec.handle,
    apply: spec.apply,
    snapshot: spec.snapshot,
    restore: spec.restore,
    ref: (key: string) => automatonId(type, key) as AutomatonRef<Message>,
  };
  return Object.freeze(definition);
}

function specCheck(spec: {
  readonly type: unknown; initial: unknown; handle: unknown; apply: unknown;
  readonly snapshot?: unknown; readonly restore?: unknown;
}): void {
  const typeShown = typeof spec.type === "string" ? spec.type : String(spec.type);
  const fail = (problem: string): never => {
    throw new SsmsError(ErrorCode.argumentInvalid, `automaton definition '${typeShown}': ${problem}`, { type: typeShown });
  };
  if (typeof spec.type !== "string") return fail("`type` must be a string");
  const typeProblem = automatonTypeProblem(spec.type);
  if (typeProblem !== undefined) fail(typeProblem);
  for (const member of ["initial", "handle", "apply"] as const) {
    if (typeof spec[member] !== "function") fail(`\`${member}\` must be a function`);
  }
  const hooks = (spec.snapshot === undefined ? 0 : 1) + (spec.restore === undefined ? 0 : 1);
  if (hooks === 1) fail("give both `snapshot` and `restore`, or neither");
  if (hooks === 2 && (typeof spec.snapshot !== "function" || typeof spec.restore !== "function")) {
    fail("`snapshot` and `restore` must be functions");
  }
}
