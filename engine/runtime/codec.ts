// Encoding of the runtime's DARQ bodies with one shared msgpackr Packr (plain maps, no record
// extension: bodies must decode on their own, in any order, after any crash).
//
// IN/OUT bodies are envelopes, `[to, message]` or `[to, message, replyTo]`: every message names
// its target automaton, which is what the router and a DARQ's "not here" check rely on.
//
// SELF bodies are the automaton's write-ahead records, replayed in log order on recovery:
//   [0, nowUs, events]                           the events of one committed step
//   [1, snapshot, deadLetters]                   compaction: replaces every older SELF record
//   [2, lsn, body, reason, attempts, nowUs]      a poison input consumed into a dead letter
// A step writes at most one SELF record, so all its events replay together with its time.
// Messages and events are plain data (plain-data.ts); msgpackr renames a `__proto__` key on
// decode to guard against prototype pollution, so that one key name does not round-trip.

import { Packr } from "msgpackr";
import { ErrorCode } from "../io/errors.ts";
import { err, ok, type Result } from "../io/result.ts";
import type { AutomatonId, AutomatonRef } from "./ids.ts";

/** The one Packr of the runtime. `copyBuffers`: decoded bytes never alias a DARQ's buffers. */
export const packr = new Packr({ useRecords: false, copyBuffers: true });
/**
 * For snapshots: a state may hold a map of more than 65,535 keys (the metadata automaton's
 * record per automaton), which the fast fixed 16-bit map header cannot encode. Same decoder.
 */
const packrSnapshots = new Packr({ useRecords: false, copyBuffers: true, variableMapSize: true });

export interface Envelope {
  readonly to: AutomatonId;
  readonly message: unknown;
  readonly replyTo: AutomatonId | undefined;
}

export function envelopeEncode(to: AutomatonId, message: unknown, replyTo?: AutomatonId): Uint8Array {
  return packr.pack(replyTo === undefined ? [to, message] : [to, message, replyTo]);
}

/** The typed form for clients: only messages the target accepts compile. */
export function messageEncode<Message>(to: AutomatonRef<Message>, message: NoInfer<Message>, replyTo?: AutomatonId): Uint8Array {
  return envelopeEncode(to, message, replyTo);
}

/** Decodes an IN/OUT body; only the shape is checked (the receiver compares `to` with itself). */
export function envelopeDecode(body: Uint8Array): Result<Envelope> {
  let decoded: unknown;
  try {
    decoded = packr.unpack(body);
  } catch (cause) {
    return err(ErrorCode.messageInvalid, `message body of ${body.length} bytes is not msgpack: ${String(cause)}`);
  }
  if (!Array.isArray(decoded) || decoded.length < 2 || decoded.length > 3) {
    return err(ErrorCode.messageInvalid, "message body is not an envelope [to, message, replyTo?]");
  }
  const [to, message, replyTo] = decoded as unknown[];
  if (typeof to !== "string" || !to.includes("/")) {
    return err(ErrorCode.messageInvalid, "message envelope names no target automaton 'type/key'");
  }
  if (replyTo !== undefined && (typeof replyTo !== "string" || !replyTo.includes("/"))) {
    return err(ErrorCode.messageInvalid, `message envelope for '${to}' has a malformed replyTo`);
  }
  return ok({ to: to as AutomatonId, message, replyTo: replyTo as AutomatonId | undefined });
}

/** A poison input that was consumed instead of blocking its automaton. */
export interface DeadLetter {
  /** LSN of the input in its logical DARQ at the time it was dead-lettered. */
  readonly lsn: number;
  /** The input's body as it was (it may not even decode). */
  readonly body: Uint8Array;
  /** Why it could not be handled (the last failure, with its ErrorCode). */
  readonly reason: string;
  readonly attempts: number;
  readonly nowUs: number;
}

export const SelfKind = { events: 0, snapshot: 1, deadLetter: 2 } as const;

export type SelfRecord =
  | { readonly kind: typeof SelfKind.events; readonly nowUs: number; readonly events: readonly unknown[] }
  | { readonly kind: typeof SelfKind.snapshot; readonly snapshot: unknown; readonly deadLetters: readonly DeadLetter[] }
  | { readonly kind: typeof SelfKind.deadLetter; readonly deadLetter: DeadLetter };

export function selfEventsEncode(nowUs: number, events: readonly unknown[]): Uint8Array {
  return packr.pack([SelfKind.events, nowUs, events]);
}

export function selfSnapshotEncode(snapshot: unknown, deadLetters: readonly DeadLetter[]): Uint8Array {
  return packrSnapshots.pack([SelfKind.snapshot, snapshot, deadLetters.map(deadLetterRow)]);
}

export function selfDeadLetterEncode(deadLetter: DeadLetter): Uint8Array {
  return packr.pack([SelfKind.deadLetter, ...deadLetterRow(deadLetter)]);
}

/** Decodes a SELF body. A failure means the log holds what this runtime did not write. */
export function selfDecode(body: Uint8Array): Result<SelfRecord> {
  let row: unknown;
  try {
    row = packr.unpack(body);
  } catch (cause) {
    return err(ErrorCode.messageInvalid, `SELF record of ${body.length} bytes is not msgpack: ${String(cause)}`);
  }
  if (!Array.isArray(row)) return err(ErrorCode.messageInvalid, "SELF record is not an array");
  const fields = row as unknown[];
  switch (fields[0]) {
    case SelfKind.events:
      if (typeof fields[1] === "number" && Array.isArray(fields[2]) && fields.length === 3) {
        return ok({ kind: SelfKind.events, nowUs: fields[1], events: fields[2] as unknown[] });
      }
      break;
    case SelfKind.snapshot: {
      if (fields.length !== 3 || !Array.isArray(fields[2])) break;
      const deadLetters: DeadLetter[] = [];
      for (const entry of fields[2] as unknown[]) {
        const letter = Array.isArray(entry) ? deadLetterFromRow(entry as unknown[]) : undefined;
        if (letter === undefined) return err(ErrorCode.messageInvalid, "SELF snapshot holds a malformed dead letter");
        deadLetters.push(letter);
      }
      return ok({ kind: SelfKind.snapshot, snapshot: fields[1], deadLetters });
    }
    case SelfKind.deadLetter: {
      const deadLetter = deadLetterFromRow(fields.slice(1));
      if (deadLetter !== undefined) return ok({ kind: SelfKind.deadLetter, deadLetter });
      break;
    }
    default:
      return err(ErrorCode.messageInvalid, `SELF record of unknown kind ${String(fields[0])}`);
  }
  return err(ErrorCode.messageInvalid, `SELF record of kind ${String(fields[0])} is malformed`);
}

function deadLetterRow(letter: DeadLetter): unknown[] {
  return [letter.lsn, letter.body, letter.reason, letter.attempts, letter.nowUs];
}

function deadLetterFromRow(row: readonly unknown[]): DeadLetter | undefined {
  const [lsn, body, reason, attempts, nowUs] = row;
  if (row.length !== 5 || typeof lsn !== "number" || !(body instanceof Uint8Array) || typeof reason !== "string" ||
    typeof attempts !== "number" || typeof nowUs !== "number") return undefined;
  return { lsn, body, reason, attempts, nowUs };
}
