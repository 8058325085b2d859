// TransportTcp: the Transport seam (engine/io/transport.ts) over real TCP, one per OS process,
// so the engine that runs on TransportSim in the simulator runs unchanged on sockets.
//
// API
//   const transport = await TransportTcp.start({ processId: "n1", secret, port: 0, book: {...} });
//   transport.endpoint            { host, port } it listens on (127.0.0.1 unless `host` is given)
//   transport.book                AddressBook: set(address, "host:port") / delete(address) at run time
//   transport.listen(address, handler) / unlisten(address)
//   transport.send(from, to, message, sizeBytes)   best effort; `sizeBytes` is ignored here
//   transport.stats               counters (transport-stats.ts), for metrics and tests
//   transport.idle()              nothing waits in this process's inbox or outgoing queues
//   await transport.close()       stops listening, closes every connection, delivers nothing more
// Options and their defaults: transport-tcp-config.ts. Problems the transport handles (refused
// peers, malformed frames) are counted in `stats` and reported to `onProblem`.
//
// Routing of `send(from, to, …)`: an address listened on in this process, or one the book maps
// to this process's own endpoint, is delivered here on a later turn without touching the
// network; an address the book maps elsewhere goes to that endpoint's PeerLink (one persistent,
// authenticated connection per peer process, batched frames, reconnect with backoff); an address
// with no route is dropped and counted. Every message is encoded at `send` (msgpackr), local
// ones too, so a handler sees the same copy semantics in-process as across processes, and a
// message over messageBytesMax throws SsmsError(messageTooLarge) whichever way it would go.
// Handlers run from the inbox (inbox.ts), never inside `send`.
//
// Trust: peers prove they hold the cluster secret before any frame is read (handshake.ts);
// whatever an authenticated peer sends is still checked (batch-codec.ts) and a defect closes
// only that connection. A handler that throws is counted and reported to `onHandlerError`; with
// no such option the error is rethrown on the next tick (a bug in a handler should stop the node,
// not vanish).

import * as net from "node:net";
import { assert } from "../../engine/io/assert.ts";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Address, Transport, TransportHandler } from "../../engine/io/transport.ts";
import { AddressBook, type Endpoint, endpointFormat, endpointParse } from "./address-book.ts";
import { addressLengthMax, entryDecode, entryEncode } from "./batch-codec.ts";
import { InboundConn } from "./inbound-conn.ts";
import { Inbox } from "./inbox.ts";
import { PeerLink } from "./peer-link.ts";
import { type TransportTcpConfig, type TransportTcpOptions, transportTcpConfig } from "./transport-tcp-config.ts";
import { type TransportTcpStats, transportTcpStats } from "./transport-stats.ts";

export class TransportTcp implements Transport {
  readonly config: TransportTcpConfig;
  readonly stats: TransportTcpStats = transportTcpStats();
  readonly book: AddressBook;
  private readonly handlers = new Map<Address, TransportHandler>();
  private readonly links = new Map<string, PeerLink>();
  private readonly inbound = new Set<InboundConn>();
  private readonly inbox: Inbox;
  private readonly server: net.Server;
  private endpointNow: Endpoint = { host: "", port: 0 };
  private endpointText = "";
  private flushList: PeerLink[] = [];
  private flushScheduled: NodeJS.Immediate | null = null;
  private closed = false;

  /** Validates `options`, listens, and resolves once the port is bound. */
  static async start(options: TransportTcpOptions): Promise<TransportTcp> {
    const transport = new TransportTcp(transportTcpConfig(options));
    await transport.bind();
    return transport;
  }

  private constructor(config: TransportTcpConfig) {
    this.config = config;
    this.book = new AddressBook(config.book);
    this.inbox = new Inbox(config.inboxMessagesHigh, config.deliverPerTickMax, this.deliver);
    this.server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server.maxConnections = config.connectionsMax;
    this.server.on("drop", () => {
      this.stats.connectionsRefused++;
      this.problem(ErrorCode.limitExceeded, `inbound connection refused: connectionsMax ${config.connectionsMax} open`, "?");
    });
  }

  get processId(): string {
    return this.config.processId;
  }

  /** Where this transport listens; peers put it in their address books. */
  get endpoint(): Endpoint {
    return this.endpointNow;
  }

  send(from: Address, to: Address, message: unknown, _sizeBytes: number): void {
    const entry = this.encode(from, to, message);
    const stats = this.stats;
    stats.messagesSent++;
    if (this.closed) {
      stats.messagesDroppedUnroutable++;
      return;
    }
    const endpoint = this.handlers.has(to) ? this.endpointText : this.book.get(to);
    if (endpoint === this.endpointText) {
      if (this.inbox.count >= this.config.inboxMessagesMax) {
        stats.messagesDroppedQueueFull++;
        return;
      }
      stats.messagesSentLocal++;
      this.inbox.push(from, to, entryDecode(entry));
      if (this.inbox.peak > stats.inboxPeak) stats.inboxPeak = this.inbox.peak;
      return;
    }
    if (endpoint === undefined) {
      stats.messagesDroppedUnroutable++;
      return;
    }
    const link = this.linkFor(endpoint);
    if (!link.enqueue(entry)) {
      stats.messagesDroppedQueueFull++;
      return;
    }
    if (!link.flushPending) {
      link.flushPending = true;
      this.flushList.push(link);
      this.flushScheduled ??= setImmediate(this.flushAll);
    }
  }

  /** Writes every link's queued frames now instead of at the end of this turn. */
  flush(): void {
    if (this.flushScheduled === null) return;
    clearImmediate(this.flushScheduled);
    this.flushAll();
  }

  listen(address: Address, handler: TransportHandler): void {
    assert(!this.handlers.has(address), `address '${address}' already has a listener`);
    this.handlers.set(address, handler);
  }

  unlisten(address: Address): void {
    this.handlers.delete(address);
  }

  /** True when nothing waits in this process: inbox empty, no batch or frame queued for a peer. */
  idle(): boolean {
    if (this.inbox.count > 0 || this.flushList.length > 0) return false;
    for (const link of this.links.values()) if (link.queuedBytes > 0) return false;
    return true;
  }

  /** Stops listening and closes every connection; queued and unread messages are dropped. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.flushScheduled !== null) clearImmediate(this.flushScheduled);
    this.flushScheduled = null;
    this.inbox.close();
    for (const link of this.links.values()) link.close();
    for (const connection of this.inbound) connection.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private encode(from: Address, to: Address, message: unknown): Uint8Array {
    for (const [role, address] of [["from", from], ["to", to]] as const) {
      if (typeof address !== "string" || address.length === 0 || address.length > addressLengthMax) {
        throw new SsmsError(ErrorCode.argumentInvalid, `send: '${role}' must be an address of 1..${addressLengthMax} characters, got ${JSON.stringify(address)?.slice(0, 80)}`);
      }
    }
    let entry: Uint8Array;
    try {
      entry = entryEncode(from, to, message);
    } catch (error) {
      throw new SsmsError(ErrorCode.messageInvalid, `send ${from} → ${to}: the message cannot be encoded with msgpack (${error instanceof Error ? error.message : String(error)}); send plain data`);
    }
    if (entry.length > this.config.messageBytesMax) {
      throw new SsmsError(ErrorCode.messageTooLarge, `send ${from} → ${to}: the message encodes to ${entry.length} bytes, above messageBytesMax ${this.config.messageBytesMax}; split it or raise messageBytesMax`, { from, to, sizeBytes: entry.length });
    }
    return entry;
  }

  private linkFor(endpointText: string): PeerLink {
    let link = this.links.get(endpointText);
    if (link === undefined) {
      const parsed = endpointParse(endpointText);
      assert(parsed.ok, `address book holds only parsed endpoints, got '${endpointText}'`);
      link = new PeerLink(endpointText, parsed.value, this);
      this.links.set(endpointText, link);
    }
    return link;
  }

  private readonly flushAll = (): void => {
    this.flushScheduled = null;
    const list = this.flushList;
    this.flushList = [];
    for (const link of list) {
      link.flushPending = false;
      link.flush();
    }
  };

  private readonly deliver = (from: Address, to: Address, message: unknown): void => {
    const stats = this.stats;
    if (this.inbox.peak > stats.inboxPeak) stats.inboxPeak = this.inbox.peak;
    const handler = this.handlers.get(to);
    if (handler === undefined) {
      stats.messagesDroppedNoListener++;
      return;
    }
    stats.messagesDelivered++;
    try {
      handler(from, message);
    } catch (error) {
      stats.handlerErrors++;
      const report = this.config.onHandlerError;
      if (report !== undefined) report(error, to);
      else process.nextTick(() => { throw error; });
    }
  };

  /** Part of the contexts given to links and connections. */
  problem(code: ErrorCode, reason: string, peer: string): void {
    this.config.onProblem?.({ code, reason, peer });
  }

  private accept(socket: net.Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.stats.connectionsAccepted++;
    const connection = new InboundConn(socket, {
      config: this.config, stats: this.stats, inbox: this.inbox,
      problem: (code, reason, peer) => this.problem(code, reason, peer),
      closed: (closedConnection) => this.inbound.delete(closedConnection),
    });
    this.inbound.add(connection);
  }

  private bind(): Promise<void> {
    const { host, port } = this.config;
    return new Promise((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException): void => {
        reject(new SsmsError(ErrorCode.configInvalid, `transport cannot listen on ${host}:${port}: ${error.code ?? error.message}`));
      };
      this.server.once("error", failed);
      this.server.listen({ host, port }, () => {
        this.server.off("error", failed);
        this.server.on("error", (error) => this.problem(ErrorCode.deviceFailed, `listener error: ${error.message}`, "-"));
        const address = this.server.address() as net.AddressInfo;
        this.endpointNow = Object.freeze({ host: address.address, port: address.port });
        this.endpointText = endpointFormat(this.endpointNow);
        resolve();
      });
    });
  }
}
