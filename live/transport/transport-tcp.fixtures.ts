// Shared by the live transport's tests: starting transports that know each other, waiting until
// traffic has settled, and a raw client that speaks the wire protocol by hand (to send what a
// well-behaved TransportTcp never would). Waits poll real time, bounded; no test asserts on time.

import * as net from "node:net";
import { frameEncode } from "../../engine/io/frame.ts";
import { transportPackr } from "./batch-codec.ts";
import { FrameReader, frameIncomplete, isFrameDefect } from "./frame-reader.ts";
import { controlDecode, controlFrame, handshakeBodyBytesMax, helloMac, nonceNew } from "./handshake.ts";
import { endpointFormat } from "./address-book.ts";
import { TransportTcp } from "./transport-tcp.ts";
import type { TransportTcpOptions } from "./transport-tcp-config.ts";
import { messagesAccounted } from "./transport-stats.ts";

export const secretTest = "a-test-cluster-secret-of-enough-bytes";

type Overrides = Partial<Omit<TransportTcpOptions, "processId" | "secret">> & { secret?: string };

export function transportStart(processId: string, overrides: Overrides = {}): Promise<TransportTcp> {
  return TransportTcp.start({ processId, secret: secretTest, ...overrides });
}

/** Resolves once `condition` holds; polls every millisecond, gives up after `waitMsMax`. */
export async function waitFor(condition: () => boolean, what: string | (() => string), waitMsMax = 20_000): Promise<void> {
  const pollsMax = waitMsMax;
  for (let poll = 0; poll < pollsMax; poll++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`gave up waiting for ${typeof what === "string" ? what : what()}`);
}

/**
 * Resolves once every message sent through `transports` has been delivered or dropped (summed
 * over all of them, since one sends and another delivers), nothing is queued, and that held on
 * two polls in a row (a handler may send more in between).
 */
export async function settle(transports: readonly TransportTcp[]): Promise<void> {
  let quietPolls = 0;
  const quiet = (): boolean => {
    let sent = 0;
    let accounted = 0;
    for (const transport of transports) {
      sent += transport.stats.messagesSent;
      accounted += messagesAccounted(transport.stats);
    }
    const done = sent === accounted && transports.every((transport) => transport.idle());
    quietPolls = done ? quietPolls + 1 : 0;
    return quietPolls >= 2;
  };
  await waitFor(quiet, () => `traffic to settle: ${JSON.stringify(transports.map((transport) => transport.stats))}`);
}

/** A hand-driven client connection that records the frames the server sends it. */
export class RawClient {
  readonly socket: net.Socket;
  readonly frames: Uint8Array[] = [];
  closed = false;
  private readonly reader = new FrameReader(handshakeBodyBytesMax);

  constructor(transport: TransportTcp) {
    this.socket = net.connect({ host: transport.endpoint.host, port: transport.endpoint.port });
    this.socket.on("data", (chunk: Buffer) => {
      this.reader.push(chunk);
      for (let frame = this.reader.next(); frame !== frameIncomplete && !isFrameDefect(frame); frame = this.reader.next()) {
        this.frames.push(new Uint8Array(frame));
      }
    });
    this.socket.on("error", () => {});
    this.socket.on("close", () => (this.closed = true));
  }

  /** Waits for the challenge, answers with a hello computed with `secret`; returns the hello frame. */
  async handshake(processId: string, secret: string, serverId: string): Promise<Uint8Array> {
    await waitFor(() => this.frames.length >= 1, "the challenge");
    const challenge = controlDecode(this.frames[0]!);
    if (!challenge.ok || challenge.value.kind !== "challenge") throw new Error("first frame is not a challenge");
    const nonce = nonceNew();
    const mac = helloMac(new TextEncoder().encode(secret), nonce, challenge.value.nonce, processId, serverId);
    const hello = controlFrame({ kind: "hello", process: processId, nonce, mac });
    this.socket.write(hello);
    await waitFor(() => this.frames.length >= 2 || this.closed, "the welcome");
    return hello;
  }

  /** Writes a frame holding one batch of `messages` from `processId`. */
  sendBatch(processId: string, messages: unknown[][]): void {
    this.socket.write(frameEncode(transportPackr.pack({ process: processId, messages })));
  }

  /** Resolves when the server has closed the connection. */
  async closedByServer(): Promise<void> {
    await waitFor(() => this.closed, "the server to close the connection");
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** "host:port" of a transport, for address books. */
export function endpointOf(transport: TransportTcp): string {
  return endpointFormat(transport.endpoint);
}
