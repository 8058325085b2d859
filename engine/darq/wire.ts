// Wire messages between DARQs and from producers, as plain objects (the Transport seam carries
// them; live transports encode them with msgpackr). Every message names the logical DARQs it is
// about, so a DARQ can tell when it is asked about a logical DARQ it does not host.
//
//   data      source → target: out-messages seqFirst, seqFirst+1, … of the (source, target) pair
//   ack       target → source: every message of the pair up to `seq` is durable at the target
//   nack      target → source: arrived out of order; the target expects `seqExpected` next
//   notHere   "I do not host `target`": the sender invalidates its route and re-resolves
//   enqueue   producer → target: an external message (producer, seq)
//   enqueued  target → producer: (producer, seq) is durable (also sent again for duplicates)

import { ErrorCode } from "../io/errors.ts";

export type WireData = {
  readonly kind: "data";
  readonly source: string;
  readonly target: string;
  readonly seqFirst: number;
  readonly bodies: readonly Uint8Array[];
};
export type WireAck = { readonly kind: "ack"; readonly source: string; readonly target: string; readonly seq: number };
export type WireNack = {
  readonly kind: "nack"; readonly source: string; readonly target: string; readonly seqExpected: number;
};
/** `source` is the sending logical DARQ or producer; `code` is always ErrorCode.notHere. */
export type WireNotHere = {
  readonly kind: "notHere"; readonly code: typeof ErrorCode.notHere; readonly source: string; readonly target: string;
};
export type WireEnqueue = {
  readonly kind: "enqueue"; readonly producer: string; readonly seq: number; readonly target: string;
  readonly body: Uint8Array;
};
export type WireEnqueued = {
  readonly kind: "enqueued"; readonly producer: string; readonly seq: number; readonly target: string;
};

export type WireMessage = WireData | WireAck | WireNack | WireNotHere | WireEnqueue | WireEnqueued;

/** Bytes a message is charged on the wire besides its bodies (ids, numbers, framing). */
export const wireOverheadBytes = 48;

export function notHere(source: string, target: string): WireNotHere {
  return { kind: "notHere", code: ErrorCode.notHere, source, target };
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

function isSeq(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Checks the shape of a message that came off the network; anything else is dropped by the
 * caller (a peer running other code, or garbage), never trusted.
 */
export function wireParse(message: unknown): WireMessage | null {
  if (typeof message !== "object" || message === null) return null;
  const m = message as Record<string, unknown>;
  switch (m["kind"]) {
    case "data": {
      const bodies = m["bodies"];
      if (!isText(m["source"]) || !isText(m["target"]) || !isSeq(m["seqFirst"]) || m["seqFirst"] < 1) return null;
      if (!Array.isArray(bodies) || !bodies.every((body) => body instanceof Uint8Array)) return null;
      return message as WireData;
    }
    case "ack":
      return isText(m["source"]) && isText(m["target"]) && isSeq(m["seq"]) ? (message as WireAck) : null;
    case "nack":
      return isText(m["source"]) && isText(m["target"]) && isSeq(m["seqExpected"]) ? (message as WireNack) : null;
    case "notHere":
      return isText(m["source"]) && isText(m["target"]) ? (message as WireNotHere) : null;
    case "enqueue":
      return isText(m["producer"]) && isText(m["target"]) && isSeq(m["seq"]) && m["seq"] >= 1 &&
        m["body"] instanceof Uint8Array ? (message as WireEnqueue) : null;
    case "enqueued":
      return isText(m["producer"]) && isText(m["target"]) && isSeq(m["seq"]) ? (message as WireEnqueued) : null;
    default:
      return null;
  }
}
