// Counters of one live transport, for metrics (the node exports them in Prometheus text) and for
// tests that prove an event was noticed rather than silently swallowed. The transport is best
// effort, so every message `send` accepts ends in exactly one of: delivered to a handler, or one
// of the `messagesDropped*` counters — except messages inside a connection that breaks, which
// TCP cannot account for (the DARQ above retries those).

export type TransportTcpStats = {
  /** Messages `send` accepted (same-process and remote). */
  messagesSent: number;
  /** Of those, delivered in this process without touching the network. */
  messagesSentLocal: number;
  /** Messages handed to a handler. */
  messagesDelivered: number;
  /** Arrived (or were sent locally) for an address nobody listens on. */
  messagesDroppedNoListener: number;
  /** `send` found no route: not listened here and not in the address book. */
  messagesDroppedUnroutable: number;
  /** Dropped at send because a peer's queue (or, for local sends, the inbox) was full. */
  messagesDroppedQueueFull: number;
  /** Messages that came in frames from peers. */
  messagesReceived: number;
  framesSent: number;
  bytesSent: number;
  framesReceived: number;
  bytesReceived: number;
  /** Frames refused as malformed or over a limit; each closed its connection. */
  framesRejected: number;
  /** Inbound connections that failed the handshake (bad MAC, wrong message, timeout). */
  authFailures: number;
  /** Outbound connections a peer refused at the handshake, or whose welcome did not verify. */
  authRejected: number;
  connectionsAccepted: number;
  /** Inbound connections closed at once because connectionsMax were open. */
  connectionsRefused: number;
  connectsAttempted: number;
  /** Outbound connections that completed the handshake. */
  connectsSucceeded: number;
  /** Outbound connections lost after the handshake. */
  disconnects: number;
  /** Times a socket write returned false and the link waited for 'drain'. */
  writeBlocks: number;
  /** Times reading from a socket paused because the inbox was full. */
  readPauses: number;
  handlerErrors: number;
  /** Most messages ever waiting in the inbox. */
  inboxPeak: number;
  /** Most bytes ever queued for one peer. */
  queuedBytesPeak: number;
};

export function transportTcpStats(): TransportTcpStats {
  return {
    messagesSent: 0, messagesSentLocal: 0, messagesDelivered: 0, messagesDroppedNoListener: 0,
    messagesDroppedUnroutable: 0, messagesDroppedQueueFull: 0, messagesReceived: 0, framesSent: 0, bytesSent: 0,
    framesReceived: 0, bytesReceived: 0, framesRejected: 0, authFailures: 0, authRejected: 0, connectionsAccepted: 0,
    connectionsRefused: 0, connectsAttempted: 0, connectsSucceeded: 0, disconnects: 0, writeBlocks: 0, readPauses: 0,
    handlerErrors: 0, inboxPeak: 0, queuedBytesPeak: 0,
  };
}

/** Messages accepted by `send` that have reached their end (delivered or dropped and counted). */
export function messagesAccounted(stats: TransportTcpStats): number {
  return stats.messagesDelivered + stats.messagesDroppedNoListener + stats.messagesDroppedUnroutable +
    stats.messagesDroppedQueueFull;
}
