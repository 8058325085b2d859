// RemoteDarqLink: one compute node's end of the processor wire. It listens on the node's
// processor address and hands each answer to the RemoteDarq session it names; sessions are
// numbered per link (and the link is named after its node and boot), so a session id is never
// reused and a late answer to an ended session finds nobody.

import type { Clock } from "../io/clock.ts";
import type { Err } from "../io/result.ts";
import type { Address, Transport } from "../io/transport.ts";
import { entriesBytes, processorWireParse, type StateRead, type StateReadReply } from "./processor-wire.ts";
import { RemoteDarq, remoteDarqTimingDefault, type RemoteDarqTiming } from "./remote-darq.ts";

export class RemoteDarqLink {
  private readonly sessions = new Map<string, RemoteDarq>();
  /** Committed-state reads in flight (standbys tailing a DARQ), by request number. */
  private readonly reads = new Map<number, (reply: StateReadReply) => void>();
  private readNext = 1;
  private sessionNext = 1;
  private stopped = false;

  constructor(
    private readonly transport: Transport,
    private readonly clock: Clock,
    /** Where the DARQ nodes' processor services answer. */
    readonly address: Address,
    /** Unique per link lifetime (node name and boot number), so session ids never repeat. */
    private readonly sessionPrefix: string,
    private readonly timing: RemoteDarqTiming = remoteDarqTimingDefault,
  ) {
    transport.listen(address, (from, message) => this.receive(from, message));
  }

  /** A new session for automaton `id` with the processor service at `server`, registering at `epoch`. */
  open(id: string, server: Address, epoch: number, onBroken: (reason: Err) => void): RemoteDarq {
    const session = `${this.sessionPrefix}:${this.sessionNext++}`;
    const remote = new RemoteDarq(id, session, this.transport, this.clock, this.address, server, (reason) => {
      this.sessions.delete(session);
      onBroken(reason);
    }, epoch, this.timing);
    this.sessions.set(session, remote);
    return remote;
  }

  /** Ends a session: later answers to it are dropped. */
  close(remote: RemoteDarq): void {
    remote.close();
    this.sessions.delete(remote.session);
  }

  /**
   * Asks the processor service at `server` for the committed SELF entries of `id` (read-only: no
   * registration, nothing fenced). Unanswered reads (lost, or the server is down) are dropped
   * after `forgetUs`; the caller simply reads again later.
   */
  readState(id: string, server: Address, forgetUs: number, done: (reply: StateReadReply) => void): void {
    if (this.stopped) return;
    const request = this.readNext++;
    this.reads.set(request, done);
    this.clock.timerStart(forgetUs, () => this.reads.delete(request));
    const message: StateRead = { kind: "stateRead", id, request };
    this.transport.send(this.address, server, message, entriesBytes([]));
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const remote of this.sessions.values()) remote.close();
    this.sessions.clear();
    this.reads.clear();
    this.transport.unlisten(this.address);
  }

  private receive(from: Address, raw: unknown): void {
    const message = processorWireParse(raw);
    if (message === null || this.stopped) return;
    if (message.kind === "stateReadReply") {
      const done = this.reads.get(message.request);
      this.reads.delete(message.request);
      return done?.(message);
    }
    if (!("session" in message)) return;
    if (message.kind === "procRestarted") {
      for (const remote of [...this.sessions.values()]) if (remote.server === from) remote.onRestarted(message.boot);
      return;
    }
    const remote = this.sessions.get(message.session);
    if (remote === undefined || remote.id !== message.id) return;
    switch (message.kind) {
      case "procRegistered":
        return remote.onRegistered(message);
      case "procInput":
        return remote.onInputArrived(message);
      case "procStepDone":
        return remote.onStepDone(message);
      case "procFailed":
        return remote.onFailed(message);
      default:
        return;
    }
  }
}
