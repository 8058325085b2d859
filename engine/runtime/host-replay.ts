// Recovery of an automaton from its logical DARQ: the unconsumed entries come SELF first in log
// order, then IN (DESIGN §3 property 7). Replaying the SELF records through `apply` (or
// `restore` for a snapshot, which replaces everything before it) rebuilds the state of the last
// committed step; the IN entries are the inputs still to handle. The user writes none of this.
//
// A snapshot may follow SELF records that it did not consume (steps that were not yet durable
// when the snapshot was taken): they are applied and then overwritten by the snapshot, which
// already contains them, so the result is the same either way.

import { ErrorCode } from "../io/errors.ts";
import { err, ok, type Result } from "../io/result.ts";
import { EntryKind, type Entry } from "../darq/index.ts";
import type { DefinitionOfState } from "./automaton.ts";
import { SelfKind, selfDecode, type DeadLetter } from "./codec.ts";
import type { AutomatonId } from "./ids.ts";
import { applyEvents, describeError } from "./step-builder.ts";

export interface Replayed<State> {
  readonly state: State;
  /** LSNs of the unconsumed SELF records: the next compaction consumes them. */
  readonly selfLsns: number[];
  /** Kept dead letters, oldest first. */
  readonly deadLetters: DeadLetter[];
  /** Unconsumed IN entries in log order: the inputs still to handle. */
  readonly inputs: Entry[];
}

/**
 * Rebuilds state from `entries` (readUnconsumed order). An Err means the automaton cannot run.
 * `from`: apply the entries to this state instead of the initial one (a standby tailing the log
 * applies only the SELF records it has not seen yet).
 */
export function replay<State>(
  definition: DefinitionOfState<State>,
  self: AutomatonId,
  entries: readonly Entry[],
  deadLettersKeptMax: number,
  from?: { readonly state: State },
): Result<Replayed<State>> {
  let state = from === undefined ? definition.initial() : from.state;
  const selfLsns: number[] = [];
  let deadLetters: DeadLetter[] = [];
  const inputs: Entry[] = [];
  for (const entry of entries) {
    if (entry.kind !== EntryKind.self) {
      inputs.push(entry);
      continue;
    }
    const where = `automaton '${self}': replay of SELF record at lsn ${entry.lsn}`;
    const record = selfDecode(entry.body);
    if (!record.ok) return err(record.code, `${where}: ${record.reason}`);
    selfLsns.push(entry.lsn);
    const value = record.value;
    if (value.kind === SelfKind.events) {
      const applied = applyEvents(definition, self, state, value.events, { nowUs: value.nowUs });
      if (!applied.ok) return err(applied.code, `${where}: ${applied.reason}`);
      state = applied.value;
    } else if (value.kind === SelfKind.snapshot) {
      const restored = restore(definition, value.snapshot);
      if (!restored.ok) return err(restored.code, `${where}: ${restored.reason}`);
      state = restored.value;
      deadLetters = [...value.deadLetters];
    } else {
      deadLetters.push(value.deadLetter);
    }
  }
  if (deadLetters.length > deadLettersKeptMax) deadLetters = deadLetters.slice(deadLetters.length - deadLettersKeptMax);
  return ok({ state, selfLsns, deadLetters, inputs });
}

/** The state a snapshot stands for: `restore(snapshot)`, or the snapshot itself for plain state. */
export function restore<State>(
  definition: DefinitionOfState<State>,
  snapshot: unknown,
): Result<State> {
  if (definition.restore === undefined) return ok(snapshot as State);
  try {
    return ok(definition.restore(snapshot) as State);
  } catch (cause) {
    return err(ErrorCode.handlerFailed, `restore threw ${describeError(cause)}`);
  }
}

/** What a snapshot stores: `snapshot(state)`, or the state itself when it is plain data. */
export function snapshotOf<State>(
  definition: DefinitionOfState<State>,
  state: State,
): Result<unknown> {
  if (definition.snapshot === undefined) return ok(state);
  try {
    return ok(definition.snapshot(state));
  } catch (cause) {
    return err(ErrorCode.handlerFailed, `snapshot threw ${describeError(cause)}`);
  }
}
