// EntryQueue: a logical DARQ's unconsumed entries of one kind, in LSN order. Entries arrive in
// LSN order (LSNs are assigned at append), so the queue is an array sorted by LSN; finding one is
// a binary search, consuming one leaves a hole that the head skips, and holes are squeezed out
// once they are the majority. In the common pattern (consume the oldest input, replace the latest
// snapshot) this is a few array stores per step, with no hashing and no allocation.

import { assert } from "../io/assert.ts";
import type { Lsn } from "./entry.ts";
import { lsnIndex } from "./lsn-search.ts";

export class EntryQueue<T> {
  private lsns: Lsn[] = [];
  private items: (T | null)[] = [];
  private head = 0;
  private holes = 0;

  /** Unconsumed entries. */
  get size(): number {
    return this.items.length - this.head - this.holes;
  }

  /** Adds `item` under `lsn`, which must exceed every LSN added before. */
  push(lsn: Lsn, item: T): void {
    const count = this.lsns.length;
    if (!(count === 0 || this.lsns[count - 1]! < lsn)) assert(false, `entry queue: LSN ${lsn} out of order`);
    this.lsns.push(lsn);
    this.items.push(item);
  }

  /** The position of `lsn` if it is unconsumed here, else -1. */
  find(lsn: Lsn): number {
    const at = lsnIndex(this.lsns, this.head, this.lsns.length - 1, lsn);
    return at === -1 || this.items[at] === null ? -1 : at;
  }

  has(lsn: Lsn): boolean {
    return this.find(lsn) !== -1;
  }

  /** Removes the entry at `position` (from `find`) and returns it. */
  take(position: number): T {
    const item = this.items[position];
    assert(item !== undefined && item !== null, "entry queue: take of a consumed entry");
    this.items[position] = null;
    if (position === this.head) {
      this.head++;
      this.skipHoles();
    } else {
      this.holes++;
    }
    // Resetting an emptied queue costs two array truncations, so it waits for a few dead slots.
    if (this.head === this.items.length) {
      if (this.head >= 16) this.clear();
    } else if (this.head + this.holes > 64 && (this.head + this.holes) * 2 > this.items.length) {
      this.squeeze();
    }
    return item;
  }

  /** Calls `visit` for each unconsumed entry in LSN order; stops when it returns false. */
  forEach(visit: (lsn: Lsn, item: T) => boolean | void): void {
    const { lsns, items } = this;
    for (let at = this.head; at < items.length; at++) {
      const item = items[at];
      if (item !== null && item !== undefined && visit(lsns[at]!, item) === false) return;
    }
  }

  private skipHoles(): void {
    const items = this.items;
    while (this.head < items.length && items[this.head] === null) {
      this.head++;
      this.holes--;
    }
  }

  private clear(): void {
    this.lsns.length = 0;
    this.items.length = 0;
    this.head = 0;
    this.holes = 0;
  }

  /** Rebuilds the arrays without the consumed prefix and holes. */
  private squeeze(): void {
    const lsns: Lsn[] = [];
    const items: T[] = [];
    this.forEach((lsn, item) => {
      lsns.push(lsn);
      items.push(item);
    });
    this.lsns = lsns;
    this.items = items;
    this.head = 0;
    this.holes = 0;
  }
}
