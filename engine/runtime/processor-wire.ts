// Wire messages between a remote processor (an automaton host on a compute node that is not the
// DARQ's machine) and the processor service of the DARQ node, plus committed-state reads by
// clients. Plain objects, like engine/darq/wire.ts; every message names the automaton (= logical
// DARQ id) and the processor session it belongs to, so answers to an old session are ignored.
//
//   procRegister     compute → DARQ   host the logical DARQ if needed, register a new incarnation
//                                     (resent until answered; a resend of the same session is
//                                     answered again, never registered twice)
//   procRegistered   DARQ → compute   registration is durable: incarnation + unconsumed entries
//   procInput        DARQ → compute   a new durable IN entry, numbered 1, 2, … per session and
//                                     resent until acknowledged
//   procStep         compute → DARQ   submit a step, numbered per session, resent until answered;
//                                     carries cumulative acks of inputs and answers received
//   procStepDone     DARQ → compute   the step is durable (firstLsn) or was refused (code, reason);
//                                     kept and sent again for a resent step until acknowledged
//   procFailed       DARQ → compute   registration refused, or the session was fenced by a newer one
//   procRestarted    DARQ → compute   the DARQ node restarted (boot): sessions of older boots died
//   stateRead        client → DARQ    the SELF entries of a logical DARQ (its committed state)
//   stateReadReply   DARQ → client

import { Entry, type EntryKind, type Lsn } from "../darq/index.ts";

/** An entry on the wire: [lsn, kind, body, from, fromDarq, seq]. */
export type EntryRow = readonly [number, number, Uint8Array, string, boolean, number];

/** `epoch`: the metadata operation that asked for it; an older epoch than one seen is refused. */
export type ProcRegister = { readonly kind: "procRegister"; readonly id: string; readonly session: string; readonly epoch: number };
export type ProcRegistered = {
  readonly kind: "procRegistered"; readonly id: string; readonly session: string; readonly incarnation: number;
  /** The DARQ node's boot (unique per restart): the session lives as long as that boot. */
  readonly boot: string;
  readonly entries: readonly EntryRow[];
};
/** `id` and `session` are "" (it concerns every session with the sender). */
export type ProcRestarted = { readonly kind: "procRestarted"; readonly id: string; readonly session: string; readonly boot: string };
export type ProcInput = {
  readonly kind: "procInput"; readonly id: string; readonly session: string; readonly seq: number;
  readonly entry: EntryRow;
};
export type ProcStep = {
  readonly kind: "procStep"; readonly id: string; readonly session: string; readonly seq: number;
  /** Every input up to this number arrived; every answer up to `answersAcked` too. */
  readonly inputsAcked: number; readonly answersAcked: number;
  readonly incarnation: number; readonly consumed: readonly Lsn[]; readonly self: readonly Uint8Array[];
  readonly out: readonly { readonly to: string; readonly body: Uint8Array }[];
};
export type ProcStepDone = {
  readonly kind: "procStepDone"; readonly id: string; readonly session: string; readonly seq: number;
  readonly firstLsn: number; readonly code: string; readonly reason: string;
};
export type ProcFailed = {
  readonly kind: "procFailed"; readonly id: string; readonly session: string; readonly code: string; readonly reason: string;
};
export type StateRead = { readonly kind: "stateRead"; readonly id: string; readonly request: number };
export type StateReadReply = {
  readonly kind: "stateReadReply"; readonly id: string; readonly request: number;
  readonly code: string; readonly reason: string; readonly entries: readonly EntryRow[];
};

export type ProcessorWire = ProcRegister | ProcRegistered | ProcInput | ProcStep | ProcStepDone | ProcFailed |
  ProcRestarted | StateRead | StateReadReply;

const kinds = new Set(["procRegister", "procRegistered", "procInput", "procStep", "procStepDone", "procFailed",
  "procRestarted", "stateRead", "stateReadReply"]);

/** Bytes charged per message besides bodies. */
export const processorWireOverheadBytes = 64;

/**
 * Shape check of a message off the network: the kind and the fields every kind has. Both ends
 * run this code, so deeper fields are trusted once the kind and ids check out.
 */
export function processorWireParse(message: unknown): ProcessorWire | null {
  if (typeof message !== "object" || message === null) return null;
  const m = message as Record<string, unknown>;
  if (typeof m["kind"] !== "string" || !kinds.has(m["kind"]) || typeof m["id"] !== "string") return null;
  if (m["kind"] !== "stateRead" && m["kind"] !== "stateReadReply" && typeof m["session"] !== "string") return null;
  if (m["kind"] === "procStep" && !procStepShapeOk(m)) return null;
  return message as ProcessorWire;
}

/**
 * A step from the network is checked field by field: a malformed one is dropped, never thrown on.
 * Plain loops: every step of a remote processor passes here, so the check allocates nothing.
 */
function procStepShapeOk(m: Record<string, unknown>): boolean {
  if (!Number.isSafeInteger(m["seq"]) || !Number.isSafeInteger(m["inputsAcked"]) ||
    !Number.isSafeInteger(m["answersAcked"]) || !Number.isSafeInteger(m["incarnation"])) return false;
  const { consumed, self, out } = m;
  if (!Array.isArray(consumed) || !Array.isArray(self) || !Array.isArray(out)) return false;
  for (let index = 0; index < consumed.length; index++) if (!Number.isSafeInteger(consumed[index])) return false;
  for (let index = 0; index < self.length; index++) if (!(self[index] instanceof Uint8Array)) return false;
  for (let index = 0; index < out.length; index++) {
    const message: unknown = out[index];
    if (typeof message !== "object" || message === null) return false;
    const { to, body } = message as Record<string, unknown>;
    if (typeof to !== "string" || !(body instanceof Uint8Array)) return false;
  }
  return true;
}

export function entryRow(entry: Entry): EntryRow {
  return [entry.lsn, entry.kind, entry.body, entry.from, entry.fromDarq, entry.seq];
}

export function entryOfRow(row: EntryRow): Entry {
  return new Entry(row[0], row[1] as EntryKind, row[2], row[3], row[4], row[5]);
}

/** Wire size of some entries: bodies plus a fixed charge per entry. */
export function entriesBytes(entries: readonly EntryRow[]): number {
  let bytes = processorWireOverheadBytes;
  for (const row of entries) bytes += entryRowBytes(row);
  return bytes;
}

/** Wire size of one entry without the message overhead (entriesBytes([row]) without the array). */
export function entryRowBytes(row: EntryRow): number {
  return row[2].length + 24 + row[3].length;
}

export function stepBytes(step: Pick<ProcStep, "self" | "out" | "consumed">): number {
  let bytes = processorWireOverheadBytes + 8 * step.consumed.length;
  for (const body of step.self) bytes += body.length + 4;
  for (const message of step.out) bytes += message.body.length + message.to.length + 8;
  return bytes;
}
