// The inbox: messages waiting to be handed to this process's handlers, from peers and from
// same-process sends alike. Handlers run on a later event-loop turn (setImmediate), never inside
// `send` or a socket callback, and at most deliverPerTickMax per turn so sockets and timers are
// served in between.
//
// It is also where backpressure starts: when more than `high` messages wait, connections stop
// reading (their sockets pause, TCP's window closes, the sender's writes block and its queue
// fills up to its bound); once the inbox has drained to half of `high`, they are resumed. The
// handler is looked up at delivery, so a message for an address unlistened meanwhile is dropped.
//
// Storage is a ring of three parallel arrays that grows by doubling and is reused, so a steady
// flow allocates nothing here.

import { assert } from "../../engine/io/assert.ts";
import type { Address } from "../../engine/io/transport.ts";

/** Something that paused reading because the inbox was full, resumed when it has room again. */
export interface InboxWaiter {
  resume(): void;
}

export type InboxDeliver = (from: Address, to: Address, message: unknown) => void;

export class Inbox {
  private froms: Address[] = new Array<Address>(1024);
  private tos: Address[] = new Array<Address>(1024);
  private messages: unknown[] = new Array<unknown>(1024);
  private head = 0;
  private countNow = 0;
  private scheduled: NodeJS.Immediate | null = null;
  private readonly waiters = new Set<InboxWaiter>();
  private closed = false;
  /** Most messages ever waiting. */
  peak = 0;

  constructor(
    private readonly high: number,
    private readonly deliverPerTickMax: number,
    private readonly deliver: InboxDeliver,
  ) {}

  get count(): number {
    return this.countNow;
  }

  /** True when connections should stop reading. */
  get full(): boolean {
    return this.countNow >= this.high;
  }

  push(from: Address, to: Address, message: unknown): void {
    if (this.closed) return;
    if (this.countNow === this.froms.length) this.grow();
    const at = (this.head + this.countNow) & (this.froms.length - 1);
    this.froms[at] = from;
    this.tos[at] = to;
    this.messages[at] = message;
    this.countNow++;
    if (this.countNow > this.peak) this.peak = this.countNow;
    if (this.scheduled === null) this.scheduled = setImmediate(this.drain);
  }

  /** `waiter.resume()` is called once the inbox has drained to half of `high`. */
  waitForRoom(waiter: InboxWaiter): void {
    this.waiters.add(waiter);
  }

  forget(waiter: InboxWaiter): void {
    this.waiters.delete(waiter);
  }

  /** Drops everything waiting and delivers nothing more. */
  close(): void {
    this.closed = true;
    if (this.scheduled !== null) clearImmediate(this.scheduled);
    this.scheduled = null;
    this.waiters.clear();
    this.messages.fill(undefined);
    this.countNow = 0;
  }

  private readonly drain = (): void => {
    this.scheduled = null;
    const mask = this.froms.length - 1;
    let budget = this.deliverPerTickMax;
    while (this.countNow > 0 && budget-- > 0 && !this.closed) {
      const at = this.head;
      const from = this.froms[at]!;
      const to = this.tos[at]!;
      const message = this.messages[at];
      this.messages[at] = undefined;
      this.head = (at + 1) & mask;
      this.countNow--;
      this.deliver(from, to, message);
    }
    if (this.countNow > 0 && this.scheduled === null && !this.closed) this.scheduled = setImmediate(this.drain);
    if (this.countNow <= this.high >>> 1 && this.waiters.size > 0) this.resumeWaiters();
  };

  private resumeWaiters(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    // A resumed connection may refill the inbox and pause again; it then re-registers itself.
    for (const waiter of waiters) waiter.resume();
  }

  private grow(): void {
    const size = this.froms.length;
    assert((size & (size - 1)) === 0, "inbox ring size is a power of two");
    const froms = new Array<Address>(2 * size);
    const tos = new Array<Address>(2 * size);
    const messages = new Array<unknown>(2 * size);
    for (let index = 0; index < this.countNow; index++) {
      const at = (this.head + index) & (size - 1);
      froms[index] = this.froms[at]!;
      tos[index] = this.tos[at]!;
      messages[index] = this.messages[at];
    }
    this.froms = froms;
    this.tos = tos;
    this.messages = messages;
    this.head = 0;
  }
}
