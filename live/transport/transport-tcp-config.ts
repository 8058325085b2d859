// Options of the live TCP transport, validated once at start and then frozen (STYLE 12): unknown
// keys are rejected and every problem is reported with its key, so a cluster launcher that passes
// a typo hears about it instead of running on a default. Defaults are chosen for loopback
// clusters: listen on 127.0.0.1 only, frames up to 16 MiB, and bounded queues everywhere so a
// slow or dead peer costs memory up to a limit, never without one.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Address } from "../../engine/io/transport.ts";
import { endpointParse } from "./address-book.ts";

/** Something the transport noticed and handled (a refused peer, a malformed frame, a drop). */
export type TransportProblem = { readonly code: ErrorCode; readonly reason: string; readonly peer: string };

export type TransportTcpOptions = {
  /** This process's id in the cluster ("n1"); peers see it in the handshake. */
  readonly processId: string;
  /** The cluster secret (at least 16 bytes). It authenticates peers and never goes on the wire. */
  readonly secret: string | Uint8Array;
  /** Interface to listen on; 127.0.0.1 unless configured (anything else is an explicit choice). */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one (read it back from `endpoint`). */
  readonly port?: number;
  /** Initial address book: logical address → "host:port". */
  readonly book?: Readonly<Record<Address, string>>;
  /** Largest frame body accepted from an authenticated peer. */
  readonly frameBodyBytesMax?: number;
  /** Largest encoded message `send` accepts; larger ones throw SsmsError(messageTooLarge). */
  readonly messageBytesMax?: number;
  /** A batch is sealed into a frame once its body reaches this many bytes (or at the tick). */
  readonly batchBytesMax?: number;
  /** Most messages in one frame, for senders and receivers alike. */
  readonly batchMessagesMax?: number;
  /** Most bytes queued for one peer (while connecting or blocked); beyond, sends are dropped. */
  readonly queuedBytesMax?: number;
  /** Inbox length at which reading from sockets pauses (resumes at half of it). */
  readonly inboxMessagesHigh?: number;
  /** Inbox length beyond which same-process sends are dropped. */
  readonly inboxMessagesMax?: number;
  /** Most messages handed to handlers per event-loop turn, so sockets are served in between. */
  readonly deliverPerTickMax?: number;
  /** A connection that has not authenticated by then is closed. */
  readonly handshakeTimeoutMs?: number;
  /** First reconnect delay; doubles per failed attempt up to reconnectDelayMsMax. */
  readonly reconnectDelayMsMin?: number;
  readonly reconnectDelayMsMax?: number;
  /** Most inbound connections at once; more are refused. */
  readonly connectionsMax?: number;
  /** Told about every problem the transport handled (for logs and metrics). */
  readonly onProblem?: (problem: TransportProblem) => void;
  /** Told when a handler throws; by default the error is rethrown on the next tick. */
  readonly onHandlerError?: (error: unknown, address: Address) => void;
};

export type TransportTcpConfig = Required<Omit<TransportTcpOptions, "onProblem" | "onHandlerError" | "secret">> & {
  readonly secret: Uint8Array;
  readonly onProblem: ((problem: TransportProblem) => void) | undefined;
  readonly onHandlerError: ((error: unknown, address: Address) => void) | undefined;
};

const mebibyte = 1024 * 1024;

export const transportTcpDefaults = {
  host: "127.0.0.1",
  port: 0,
  frameBodyBytesMax: 16 * mebibyte,
  messageBytesMax: 4 * mebibyte,
  batchBytesMax: 256 * 1024,
  batchMessagesMax: 16_384,
  queuedBytesMax: 64 * mebibyte,
  inboxMessagesHigh: 16_384,
  inboxMessagesMax: 262_144,
  deliverPerTickMax: 4096,
  handshakeTimeoutMs: 5000,
  reconnectDelayMsMin: 20,
  reconnectDelayMsMax: 2000,
  connectionsMax: 1024,
} as const;

/** Bytes a frame adds around its messages: header, map keys, process id and array header. */
export const frameOverheadBytesMax = 8 + 64 + 4 * 128;
export const secretBytesMin = 16;
export const processIdLengthMax = 128;

const integerKeys = [
  "frameBodyBytesMax", "messageBytesMax", "batchBytesMax", "batchMessagesMax", "queuedBytesMax",
  "inboxMessagesHigh", "inboxMessagesMax", "deliverPerTickMax", "handshakeTimeoutMs", "reconnectDelayMsMin",
  "reconnectDelayMsMax", "connectionsMax",
] as const;
const knownKeys = new Set<string>([
  ...integerKeys, "processId", "secret", "host", "port", "book", "onProblem", "onHandlerError",
]);

/** Checks `options`, fills defaults and freezes; throws one SsmsError(configInvalid) listing every problem. */
export function transportTcpConfig(options: TransportTcpOptions): TransportTcpConfig {
  const problems: string[] = [];
  for (const key of Object.keys(options)) if (!knownKeys.has(key)) problems.push(`${key}: unknown option`);
  const merged = { ...transportTcpDefaults, book: {}, ...options };
  for (const key of integerKeys) {
    const value = merged[key];
    if (!Number.isSafeInteger(value) || value < 1) problems.push(`${key}: must be an integer ≥ 1, got ${String(value)}`);
  }
  if (typeof merged.processId !== "string" || merged.processId.length === 0 || merged.processId.length > processIdLengthMax) {
    problems.push(`processId: must be a non-empty string of at most ${processIdLengthMax} characters`);
  }
  const secret = typeof merged.secret === "string" ? new TextEncoder().encode(merged.secret) : merged.secret;
  if (!(secret instanceof Uint8Array) || secret.length < secretBytesMin) {
    problems.push(`secret: must be at least ${secretBytesMin} bytes`);
  }
  if (!Number.isSafeInteger(merged.port) || merged.port < 0 || merged.port > 65535) problems.push(`port: must be 0..65535`);
  if (typeof merged.host !== "string" || !endpointParse(`${merged.host.includes(":") ? `[${merged.host}]` : merged.host}:1`).ok) {
    problems.push(`host: '${String(merged.host)}' is not a host name or address`);
  }
  for (const [address, endpoint] of Object.entries(merged.book)) {
    const parsed = endpointParse(endpoint);
    if (!parsed.ok) problems.push(`book.${address}: ${parsed.reason}`);
  }
  problems.push(...limitProblems(merged));
  if (problems.length > 0) {
    throw new SsmsError(ErrorCode.configInvalid, `transport options invalid: ${problems.join("; ")}`, { problems });
  }
  return Object.freeze({
    ...merged, secret, onProblem: options.onProblem, onHandlerError: options.onHandlerError,
  });
}

/** Relations between limits: a message must fit in a frame, the inbox watermarks in order. */
function limitProblems(merged: Record<(typeof integerKeys)[number], number>): string[] {
  const problems: string[] = [];
  if (merged.messageBytesMax + frameOverheadBytesMax > merged.frameBodyBytesMax) {
    problems.push(`messageBytesMax: ${merged.messageBytesMax} plus ${frameOverheadBytesMax} bytes of framing must fit in frameBodyBytesMax ${merged.frameBodyBytesMax}`);
  }
  if (merged.batchBytesMax > merged.frameBodyBytesMax) problems.push("batchBytesMax: must not exceed frameBodyBytesMax");
  if (merged.queuedBytesMax < merged.messageBytesMax) problems.push("queuedBytesMax: must hold at least one message of messageBytesMax");
  if (merged.inboxMessagesHigh > merged.inboxMessagesMax) problems.push("inboxMessagesHigh: must not exceed inboxMessagesMax");
  if (merged.reconnectDelayMsMin > merged.reconnectDelayMsMax) problems.push("reconnectDelayMsMin: must not exceed reconnectDelayMsMax");
  return problems;
}
