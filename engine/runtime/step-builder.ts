// The pure step builder: (definition, state, message, step inputs) → the staged effects
// {events, sends, workUs}, or a failure that names the automaton, the input and the error.
// This is the whole of an automaton's behaviour during a step, without any I/O, so handlers are
// tested by feeding messages and comparing the step they stage (STYLE 3), and the host only adds
// validation, append and delivery around it.
//
// A handler that throws stages nothing: the half-staged effects are discarded with the context.
// A handler that returns something (a Promise from an `async` handler that slipped past the type
// checker) fails the step too, because effects staged after an `await` would miss their step.

import { ErrorCode } from "../io/errors.ts";
import { err, ok, type Err, type Ok, type Result } from "../io/result.ts";
import type {
  AnyAutomatonDefinition, AutomatonBehaviour, AutomatonDefinition, EventOf, MessageOf, StateOf,
} from "./automaton.ts";
import { StepStaging, type StagedStep, type StepInfo, type StepInputs } from "./context.ts";
import type { AutomatonId } from "./ids.ts";
import { idHash32 } from "./step-random.ts";

/** A step that could not be built; `cause` is what the handler threw (or returned). */
export type StepFailure = Err & { readonly cause: unknown };

export type StepBuilt<Event> = Ok<StagedStep<Event>> | StepFailure;

/** Builds the steps of one automaton, reusing one context. */
export class StepBuilder<State, Message, Event> {
  private readonly staging: StepStaging<Event>;

  constructor(
    // `any` snapshot type: the builder never snapshots, and `restore` makes that type invariant.
    private readonly definition: AutomatonDefinition<State, Message, Event, any>,
    readonly self: AutomatonId,
  ) {
    this.staging = new StepStaging<Event>(self, idHash32(self));
  }

  /**
   * Runs `handle` once and returns the staged step as plain data (fresh arrays per step, so it
   * may be kept). Never throws for a handler's fault.
   */
  build(state: Readonly<State>, message: Message, inputs: StepInputs): StepBuilt<Event> {
    const staging = this.staging;
    staging.begin(inputs);
    let returned: unknown;
    try {
      returned = this.definition.handle(staging, state, message);
    } catch (cause) {
      staging.end();
      return this.failure(message, inputs, `threw ${describeError(cause)}`, cause);
    }
    staging.end();
    if (returned !== undefined) {
      const thenable = isThenable(returned);
      // Its later use of the closed ctx rejects; the step already failed, so that is not news.
      if (thenable) (returned as PromiseLike<unknown>).then(undefined, () => undefined);
      const problem = thenable
        ? "returned a Promise; handlers must be synchronous (stage effects on ctx and return)"
        : "returned a value; handlers stage effects on ctx and return nothing";
      return this.failure(message, inputs, problem, returned);
    }
    return ok({ events: staging.events, sends: staging.sends, workUs: staging.workUs });
  }

  private failure(message: unknown, inputs: StepInputs, problem: string, cause: unknown): StepFailure {
    const reason = `automaton '${this.self}' failed to handle the message at lsn ${inputs.lsn} ` +
      `(${preview(message)}): handle ${problem}`;
    return { ...err(ErrorCode.handlerFailed, reason), cause };
  }
}

/**
 * Folds a step's events into state with `apply`. Throws SsmsError(handlerFailed) naming the
 * automaton and the event when `apply` throws: state can then no longer be trusted, so the
 * caller stops the automaton rather than skip the event.
 */
export function applyEvents<State, Event>(
  definition: Pick<AutomatonBehaviour<State, never, Event>, "apply">,
  self: AutomatonId,
  state: State,
  events: readonly Event[],
  step: StepInfo,
): Result<State> {
  let next = state;
  for (let i = 0; i < events.length; i++) {
    try {
      next = definition.apply(next, events[i] as Event, step);
    } catch (cause) {
      return err(ErrorCode.handlerFailed,
        `automaton '${self}': apply threw ${describeError(cause)} on event ${preview(events[i])}; ` +
        "apply must accept every event its handler emits, live and on replay");
    }
  }
  return ok(next);
}

/**
 * One step of `definition` from `state` on `message`, with its own context: the function form
 * of StepBuilder for tests and tools (STYLE 3: feed messages, compare steps).
 */
export function buildStep<D extends AnyAutomatonDefinition>(
  definition: D,
  self: AutomatonId,
  state: Readonly<StateOf<D>>,
  message: MessageOf<D>,
  inputs: StepInputs,
): StepBuilt<EventOf<D>> {
  return new StepBuilder<StateOf<D>, MessageOf<D>, EventOf<D>>(definition, self).build(state, message, inputs);
}

function isThenable(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

export function describeError(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return preview(cause);
}

const previewLengthMax = 200;

/** A bounded one-line rendering of a message or event for error messages. */
export function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_key, field: unknown) =>
      typeof field === "bigint" ? `${field}n` : field instanceof Uint8Array ? `<${field.length} bytes>` : field) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > previewLengthMax ? `${text.slice(0, previewLengthMax)}…` : text;
}
