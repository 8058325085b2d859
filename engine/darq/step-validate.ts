// Step validation: everything that can make a step invalid is checked here, before anything is
// appended or changed, so a refused step has no effect at all (property 1). The reason names the
// step's logical DARQ and the offending input, so the processor's log says what went wrong.
//
// How inputs are classified: an LSN this DARQ never issued, or an IN not yet durable (a processor
// cannot have observed it), is unknown; an issued, durable LSN that is not among the logical
// DARQ's unconsumed entries was consumed already (by a committed or a pending step) or belongs
// to something else, and conflicts. Listing the same LSN twice in one step also conflicts. The
// processor's own SELF messages may be consumed while still pending (snapshot after snapshot).

import { coverageMark } from "../io/coverage.ts";
import { ErrorCode } from "../io/errors.ts";
import { frameBodyBytesMax } from "../io/frame.ts";
import { err, type Err } from "../io/result.ts";
import type { DarqConfig } from "./darq-config.ts";
import { stepCountMax, type Step } from "./entry.ts";
import type { DarqState, LogicalDarq } from "./logical-darq.ts";

/** Longest logical DARQ or producer id, in UTF-16 units (3 UTF-8 bytes each at most). */
export const idCharsMax = 1024;

export function idProblem(what: string, id: unknown): string | null {
  if (typeof id !== "string" || id.length === 0 || id.length > idCharsMax) {
    return `${what} must be a non-empty string of at most ${idCharsMax} characters, got ${JSON.stringify(id)}`;
  }
  return null;
}

/**
 * Null if `step` may be appended to `logical` now; otherwise why not. `bytesBound` is
 * stepBytesBound(step), which the caller computed anyway to reserve the frame.
 */
export function stepValidate(
  state: DarqState, logical: LogicalDarq, step: Step, config: DarqConfig, bytesBound: number,
): Err | null {
  if (step.incarnation !== logical.incarnation) {
    coverageMark("darq.fencing.staleStepRefused");
    return err(ErrorCode.stepStaleIncarnation,
      `${whereOf(logical)} has incarnation ${step.incarnation}, but the current one is ${logical.incarnation}: ` +
      "a newer processor registered; this one must stop");
  }
  const { consumed, self, out } = step;
  if (consumed.length + self.length + out.length === 0) {
    return err(ErrorCode.stepEmpty, `${whereOf(logical)} consumes, writes and sends nothing`);
  }
  if (consumed.length > stepCountMax || self.length > stepCountMax || out.length > stepCountMax) {
    return err(ErrorCode.limitExceeded, `${whereOf(logical)} has more than ${stepCountMax} inputs, self- or out-messages`);
  }
  const inputProblem = consumedValidate(state, logical, consumed);
  if (inputProblem !== null) return inputProblem;
  for (const body of self) {
    if (!(body instanceof Uint8Array) || body.length > config.bodyBytesMax) return bodyTooLarge(whereOf(logical), body);
  }
  for (const message of out) {
    const problem = idProblem("out-message target", message.to);
    if (problem !== null) return err(ErrorCode.argumentInvalid, `${whereOf(logical)}: ${problem}`);
    if (!(message.body instanceof Uint8Array) || message.body.length > config.bodyBytesMax) {
      return bodyTooLarge(whereOf(logical), message.body);
    }
  }
  if (bytesBound > frameBodyBytesMax) {
    return err(ErrorCode.messageTooLarge, `${whereOf(logical)} does not fit in one log frame (${frameBodyBytesMax} bytes)`);
  }
  return null;
}

/** Built only for a refusal: every step passes through here, and most are fine. */
function whereOf(logical: LogicalDarq): string {
  return `step of logical DARQ '${logical.name}'`;
}

function bodyTooLarge(where: string, body: unknown): Err {
  const size = body instanceof Uint8Array ? `${body.length} bytes` : "not a Uint8Array";
  return err(ErrorCode.messageTooLarge, `${where}: a message body must be a Uint8Array within bodyBytesMax (${size})`);
}

function consumedValidate(state: DarqState, logical: LogicalDarq, consumed: readonly number[]): Err | null {
  for (let index = 0; index < consumed.length; index++) {
    const lsn = consumed[index]!;
    if (!Number.isSafeInteger(lsn) || lsn < 1 || lsn >= state.lsnNext) {
      return err(ErrorCode.stepUnknownInput, `${whereOf(logical)} consumes LSN ${lsn}, which this DARQ never issued`);
    }
    // Its own SELF messages a processor may consume before they are durable: the step that
    // wrote one precedes the consuming step in the log, so a crash cannot keep the second alone.
    if (logical.selves.has(lsn)) continue;
    if (lsn >= state.lsnDurable) {
      return err(ErrorCode.stepUnknownInput, `${whereOf(logical)} consumes LSN ${lsn}, which is not durable yet`);
    }
    if (!logical.ins.has(lsn)) {
      return err(ErrorCode.stepConflict,
        `${whereOf(logical)} consumes LSN ${lsn}, which is not one of its unconsumed entries (already consumed by ` +
        "another step, or not its entry)");
    }
  }
  if (hasDuplicate(consumed)) {
    return err(ErrorCode.stepConflict, `${whereOf(logical)} lists the same input LSN twice`);
  }
  return null;
}

function hasDuplicate(values: readonly number[]): boolean {
  const count = values.length;
  if (count < 2) return false;
  if (count <= 16) {
    for (let i = 1; i < count; i++) for (let j = 0; j < i; j++) if (values[i] === values[j]) return true;
    return false;
  }
  return new Set(values).size !== count;
}
