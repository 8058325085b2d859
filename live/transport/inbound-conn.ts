// The inbound side of the transport: one accepted connection from a peer process. It sends a
// challenge at once, accepts nothing but a valid hello (handshake.ts) within handshakeTimeoutMs,
// and only then raises the frame limit from a kilobyte to frameBodyBytesMax and takes batches.
//
// Every defect closes the connection and is counted and reported; nothing is thrown out of a
// socket callback and nothing malformed reaches a handler: a frame with a bad length or CRC,
// a body that is not msgpack or not {process, messages: [[from, to, message], …]}, a batch over
// batchMessagesMax, a process id other than the authenticated one. A peer that reconnects starts
// over with a fresh challenge, so refusing a connection costs it nothing but a reconnect.
//
// Backpressure: after each frame, if the inbox is full, the socket pauses (bytes already read
// stay in the FrameReader, at most a socket chunk beyond one frame) until the inbox calls
// `resume`.

import type * as net from "node:net";
import { ErrorCode } from "../../engine/io/errors.ts";
import { frameHeaderBytes } from "../../engine/io/frame.ts";
import { batchDecode } from "./batch-codec.ts";
import { FrameReader, frameIncomplete, isFrameDefect } from "./frame-reader.ts";
import { controlDecode, controlFrame, handshakeBodyBytesMax, helloMac, macMatches, nonceNew, welcomeMac } from "./handshake.ts";
import type { Inbox, InboxWaiter } from "./inbox.ts";
import type { TransportTcpConfig } from "./transport-tcp-config.ts";
import type { TransportTcpStats } from "./transport-stats.ts";

export interface InboundContext {
  readonly config: TransportTcpConfig;
  readonly stats: TransportTcpStats;
  readonly inbox: Inbox;
  problem(code: ErrorCode, reason: string, peer: string): void;
  closed(connection: InboundConn): void;
}

/** Reasons sent back in a reject are cut to this length, so the reject fits a handshake frame. */
const rejectReasonLengthMax = 200;

export class InboundConn implements InboxWaiter {
  private peerProcess: string | null = null;
  private readonly serverNonce = nonceNew();
  private readonly reader = new FrameReader(handshakeBodyBytesMax);
  private readonly peer: string;
  private paused = false;
  private closed = false;
  private timer: NodeJS.Timeout | null;

  constructor(private readonly socket: net.Socket, private readonly context: InboundContext) {
    const { config } = context;
    this.peer = `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? "?"}`;
    socket.setNoDelay(true);
    socket.write(controlFrame({ kind: "challenge", process: config.processId, nonce: this.serverNonce }));
    this.timer = setTimeout(() => this.refuse(ErrorCode.unauthorized, `no valid hello within ${config.handshakeTimeoutMs} ms`),
      config.handshakeTimeoutMs);
    socket.on("data", (chunk: Buffer) => {
      if (this.closed) return;
      this.reader.push(chunk);
      this.parse();
    });
    // 'close' always follows 'error'.
    socket.on("error", () => {});
    socket.on("close", () => {
      this.closed = true;
      this.timerClear();
      context.inbox.forget(this);
      context.closed(this);
    });
  }

  /** The inbox has room again: read what is buffered, then let the socket flow. */
  resume(): void {
    if (this.closed || !this.paused) return;
    this.paused = false;
    this.parse();
    if (!this.paused && !this.closed) this.socket.resume();
  }

  close(): void {
    this.closed = true;
    this.timerClear();
    this.socket.destroy();
  }

  private parse(): void {
    const { inbox, stats } = this.context;
    while (!this.paused && !this.closed) {
      const frame = this.reader.next();
      if (frame === frameIncomplete) return;
      if (isFrameDefect(frame)) {
        return this.refuse(frame.defect === "length" ? ErrorCode.limitExceeded : ErrorCode.frameCorrupt, frame.reason);
      }
      if (this.peerProcess === null) this.onHello(frame);
      else this.onBatch(frame);
      if (!this.closed && inbox.full) {
        this.paused = true;
        this.socket.pause();
        stats.readPauses++;
        inbox.waitForRoom(this);
      }
    }
  }

  private onHello(body: Buffer): void {
    const { config } = this.context;
    const control = controlDecode(body);
    if (!control.ok) return this.refuse(control.code, control.reason);
    const hello = control.value;
    if (hello.kind !== "hello") return this.refuse(ErrorCode.unauthorized, `expected a hello, got '${hello.kind}'`);
    const expected = helloMac(config.secret, hello.nonce, this.serverNonce, hello.process, config.processId);
    if (!macMatches(hello.mac, expected)) {
      return this.refuse(ErrorCode.unauthorized, `hello from process '${hello.process}' does not verify: wrong cluster secret`);
    }
    this.timerClear();
    this.peerProcess = hello.process;
    this.reader.bodyBytesMax = config.frameBodyBytesMax;
    const mac = welcomeMac(config.secret, this.serverNonce, hello.nonce, config.processId, hello.process);
    this.socket.write(controlFrame({ kind: "welcome", mac }));
  }

  private onBatch(body: Buffer): void {
    const { config, stats, inbox } = this.context;
    stats.framesReceived++;
    stats.bytesReceived += frameHeaderBytes + body.length;
    const batch = batchDecode(body, this.peerProcess!, config);
    if (!batch.ok) return this.refuse(batch.code, batch.reason);
    const entries = batch.value;
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index]!;
      inbox.push(entry[0], entry[1], entry[2]);
    }
    stats.messagesReceived += entries.length;
  }

  /** Closes the connection for a defect: counted, reported, and told to the peer in a reject. */
  private refuse(code: ErrorCode, reason: string): void {
    if (this.closed) return;
    const { stats } = this.context;
    if (this.peerProcess === null) stats.authFailures++;
    else stats.framesRejected++;
    const who = this.peerProcess === null ? this.peer : `${this.peer} (${this.peerProcess})`;
    this.context.problem(code, reason, who);
    this.closed = true;
    this.timerClear();
    const reject = controlFrame({ kind: "reject", code, reason: reason.slice(0, rejectReasonLengthMax) });
    this.socket.end(reject, () => this.socket.destroy());
    // A peer that does not read must not keep the connection half-open.
    this.socket.setTimeout(1000, () => this.socket.destroy());
  }

  private timerClear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
