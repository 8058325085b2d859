// The outbound side of the transport: one persistent connection to one peer process (an
// endpoint), opened on the first message, authenticated by the handshake (handshake.ts), and
// reopened after a failure with capped exponential backoff and jitter.
//
// Messages go into an open batch (BatchWriter). A batch is sealed into a frame at the end of
// the event-loop turn (the transport calls `flush`), or earlier once it reaches batchBytesMax or
// batchMessagesMax. Frames are written while the socket takes them; when `write` returns false
// the link waits for 'drain', and meanwhile batches grow to full size instead of being sealed
// every turn. While connecting, backing off or blocked, everything stays queued up to
// queuedBytesMax; beyond it `enqueue` refuses and the transport counts the drop (the transport
// is best effort; the DARQ out-sender retries). Frames handed to a socket that then breaks are
// lost with it, for the same reason. The connection carries data one way only: the peer never
// sends anything after its welcome, and replies travel on the peer's own link to us.

import * as net from "node:net";
import { ErrorCode } from "../../engine/io/errors.ts";
import type { Endpoint } from "./address-book.ts";
import { BatchWriter } from "./batch-codec.ts";
import { FrameReader, frameIncomplete, isFrameDefect } from "./frame-reader.ts";
import { controlDecode, controlFrame, handshakeBodyBytesMax, helloMac, macMatches, nonceNew, welcomeMac } from "./handshake.ts";
import type { TransportTcpConfig } from "./transport-tcp-config.ts";
import type { TransportTcpStats } from "./transport-stats.ts";

export interface LinkContext {
  readonly config: TransportTcpConfig;
  readonly stats: TransportTcpStats;
  problem(code: ErrorCode, reason: string, peer: string): void;
}

type LinkState = "idle" | "connecting" | "open" | "backoff" | "closed";

/** TCP keepalive probes detect a peer machine that vanished without closing the connection. */
const keepAliveDelayMs = 10_000;

export class PeerLink {
  /** Set by the transport while this link waits for the end-of-turn flush. */
  flushPending = false;
  private state: LinkState = "idle";
  private socket: net.Socket | null = null;
  private reader = new FrameReader(handshakeBodyBytesMax);
  private readonly batch: BatchWriter;
  private frames: Buffer[] = [];
  private framesHead = 0;
  private framesBytes = 0;
  private blocked = false;
  private attempts = 0;
  private timer: NodeJS.Timeout | null = null;
  private clientNonce: Uint8Array = new Uint8Array(0);
  private serverNonce: Uint8Array | null = null;
  private serverId = "";

  constructor(readonly endpointText: string, private readonly endpoint: Endpoint, private readonly context: LinkContext) {
    this.batch = new BatchWriter(context.config.processId, context.config.batchBytesMax);
  }

  /** Bytes waiting for this peer: the open batch's entries and sealed frames not yet written. */
  get queuedBytes(): number {
    return this.batch.entryBytes + this.framesBytes;
  }

  get isOpen(): boolean {
    return this.state === "open";
  }

  /** Queues an encoded entry; false when the queue is full (the caller counts the drop). */
  enqueue(entry: Uint8Array): boolean {
    const { config, stats } = this.context;
    if (this.state === "closed" || this.queuedBytes + entry.length > config.queuedBytesMax) return false;
    if (this.batch.count > 0 &&
      (this.batch.bodyBytesWith(entry.length) > config.batchBytesMax || this.batch.count >= config.batchMessagesMax)) {
      this.seal();
      this.pump();
    }
    this.batch.append(entry);
    if (this.queuedBytes > stats.queuedBytesPeak) stats.queuedBytesPeak = this.queuedBytes;
    if (this.state === "idle") this.connect();
    return true;
  }

  /** End of the turn: seals the open batch and writes, unless the link cannot write now. */
  flush(): void {
    if (this.state !== "open" || this.blocked) return;
    if (this.batch.count > 0) this.seal();
    this.pump();
  }

  close(): void {
    this.state = "closed";
    this.timerClear();
    this.socket?.destroy();
    this.socket = null;
    this.frames = [];
    this.framesHead = 0;
    this.framesBytes = 0;
  }

  private seal(): void {
    const frame = this.batch.seal();
    this.frames.push(frame);
    this.framesBytes += frame.length;
  }

  private pump(): void {
    const socket = this.socket;
    const { stats } = this.context;
    while (socket !== null && this.state === "open" && !this.blocked && this.framesHead < this.frames.length) {
      const frame = this.frames[this.framesHead]!;
      this.framesHead++;
      this.framesBytes -= frame.length;
      stats.framesSent++;
      stats.bytesSent += frame.length;
      if (!socket.write(frame)) {
        this.blocked = true;
        stats.writeBlocks++;
      }
    }
    if (this.framesHead === this.frames.length) {
      this.frames.length = 0;
      this.framesHead = 0;
    } else if (this.framesHead >= 1024) {
      this.frames = this.frames.slice(this.framesHead);
      this.framesHead = 0;
    }
  }

  private connect(): void {
    const { config, stats } = this.context;
    this.state = "connecting";
    stats.connectsAttempted++;
    this.reader = new FrameReader(handshakeBodyBytesMax);
    this.clientNonce = nonceNew();
    this.serverNonce = null;
    const socket = net.connect({ host: this.endpoint.host, port: this.endpoint.port, noDelay: true });
    socket.setKeepAlive(true, keepAliveDelayMs);
    this.socket = socket;
    this.timer = setTimeout(() => this.fail(ErrorCode.unauthorized, `no handshake within ${config.handshakeTimeoutMs} ms`), config.handshakeTimeoutMs);
    socket.on("data", (chunk: Buffer) => this.onData(socket, chunk));
    socket.on("drain", () => {
      if (socket !== this.socket) return;
      this.blocked = false;
      this.flush();
    });
    // 'close' always follows 'error'; the link recovers there.
    socket.on("error", () => {});
    socket.on("close", () => this.onClose(socket));
  }

  private onData(socket: net.Socket, chunk: Buffer): void {
    if (socket !== this.socket) return;
    this.reader.push(chunk);
    for (;;) {
      const frame = this.reader.next();
      if (frame === frameIncomplete) return;
      if (isFrameDefect(frame)) return this.fail(ErrorCode.frameCorrupt, `handshake from peer: ${frame.reason}`);
      if (this.state !== "connecting") return this.fail(ErrorCode.messageInvalid, "peer sent a frame after its welcome");
      this.onControl(socket, frame);
      if (socket !== this.socket) return;
    }
  }

  private onControl(socket: net.Socket, body: Buffer): void {
    const { config, stats } = this.context;
    const control = controlDecode(body);
    if (!control.ok) return this.fail(control.code, control.reason);
    const message = control.value;
    if (message.kind === "reject") {
      stats.authRejected++;
      return this.fail(ErrorCode.unauthorized, `peer refused the connection: ${message.code}: ${message.reason}`);
    }
    if (message.kind === "challenge" && this.serverNonce === null) {
      this.serverNonce = message.nonce;
      this.serverId = message.process;
      const mac = helloMac(config.secret, this.clientNonce, message.nonce, config.processId, message.process);
      socket.write(controlFrame({ kind: "hello", process: config.processId, nonce: this.clientNonce, mac }));
      return;
    }
    if (message.kind === "welcome" && this.serverNonce !== null) {
      const expected = welcomeMac(config.secret, this.serverNonce, this.clientNonce, this.serverId, config.processId);
      if (!macMatches(message.mac, expected)) {
        stats.authRejected++;
        return this.fail(ErrorCode.unauthorized, "peer's welcome does not verify: it does not hold this cluster's secret");
      }
      this.opened();
      return;
    }
    this.fail(ErrorCode.unauthorized, `unexpected handshake message '${message.kind}'`);
  }

  private opened(): void {
    this.timerClear();
    this.state = "open";
    this.attempts = 0;
    this.context.stats.connectsSucceeded++;
    this.flush();
  }

  private fail(code: ErrorCode, reason: string): void {
    this.context.problem(code, reason, `${this.endpointText}${this.serverId === "" ? "" : ` (${this.serverId})`}`);
    this.socket?.destroy();
  }

  private onClose(socket: net.Socket): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.timerClear();
    this.blocked = false;
    if (this.state === "closed") return;
    if (this.state === "open") this.context.stats.disconnects++;
    this.attempts++;
    this.backoff();
  }

  /** Waits before the next attempt: min·2^(attempts−1), capped at max, times a jitter in [0.5, 1). */
  private backoff(): void {
    if (this.queuedBytes === 0) {
      this.state = "idle";
      return;
    }
    const { reconnectDelayMsMin: min, reconnectDelayMsMax: max } = this.context.config;
    const delayMs = Math.min(max, min * 2 ** Math.min(this.attempts - 1, 30)) * (0.5 + Math.random() / 2);
    this.state = "backoff";
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.state !== "backoff") return;
      if (this.queuedBytes > 0) this.connect();
      else this.state = "idle";
    }, delayMs);
  }

  private timerClear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
