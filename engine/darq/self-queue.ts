// SelfQueue: a logical DARQ's unconsumed SELF bodies, in LSN order, packed into one byte arena
// with the LSNs, offsets and lengths in typed arrays beside it.
//
// Why not an EntryQueue of Uint8Arrays: SELF records live long (until the automaton's next
// snapshot, by default a thousand steps), and a simulation keeps millions of them. One small
// byte array per record costs a JS object (and usually a copy out of an encoder's shared buffer)
// that every major garbage collection must visit; here a record costs its bytes plus 20 bytes of
// typed-array bookkeeping and no object at all. Views of the bodies are made only when read
// (recovery, registration, checkpoints, migration: the rare paths).
//
// Bytes once written are never overwritten: the arena only grows at its end, and when it is full
// the live bodies move to a new arena. So a view handed out by forEach stays valid and unchanged
// for as long as its holder keeps it (a registration reply in flight, say), whatever is consumed
// or pushed afterwards. Consuming leaves a hole (length -1) that the head skips; holes are
// squeezed out, with the arena, once they are the majority.

import { assert } from "../io/assert.ts";
import type { Lsn } from "./entry.ts";
import { lsnIndex } from "./lsn-search.ts";

const entriesInitial = 4;
const bytesInitial = 64;
const consumed = -1;

export class SelfQueue {
  private lsns = new Float64Array(entriesInitial);
  private starts = new Float64Array(entriesInitial);
  /** Body length per entry; -1 once consumed. */
  private lengths = new Int32Array(entriesInitial);
  private count = 0;
  private head = 0;
  private holes = 0;
  private arena = new Uint8Array(bytesInitial);
  private arenaUsed = 0;

  /** Unconsumed entries. */
  get size(): number {
    return this.count - this.head - this.holes;
  }

  /** Copies `body` in under `lsn`, which must exceed every LSN added before. */
  push(lsn: Lsn, body: Uint8Array): void {
    const count = this.count;
    if (!(count === 0 || this.lsns[count - 1]! < lsn)) assert(false, `self queue: LSN ${lsn} out of order`);
    if (count === this.lsns.length) this.squeezeOrGrow();
    const length = body.length;
    if (this.arenaUsed + length > this.arena.length) this.arenaMove(length);
    const at = this.count;
    this.arena.set(body, this.arenaUsed);
    this.lsns[at] = lsn;
    this.starts[at] = this.arenaUsed;
    this.lengths[at] = length;
    this.arenaUsed += length;
    this.count = at + 1;
  }

  /** The position of `lsn` if it is unconsumed here, else -1. */
  find(lsn: Lsn): number {
    const at = lsnIndex(this.lsns, this.head, this.count - 1, lsn);
    return at === -1 || this.lengths[at] === consumed ? -1 : at;
  }

  has(lsn: Lsn): boolean {
    return this.find(lsn) !== -1;
  }

  /** Consumes the entry at `position` (from `find`); returns its body length. */
  take(position: number): number {
    const length = this.lengths[position];
    assert(position < this.count && length !== undefined && length !== consumed, "self queue: take of a consumed entry");
    this.lengths[position] = consumed;
    if (position === this.head) {
      this.head++;
      while (this.head < this.count && this.lengths[this.head] === consumed) {
        this.head++;
        this.holes--;
      }
    } else {
      this.holes++;
    }
    if (this.head === this.count) {
      // Empty: start over in a fresh arena (views of the old one stay valid for their holders).
      this.count = 0;
      this.head = 0;
      this.holes = 0;
      this.arena = new Uint8Array(Math.min(this.arena.length, 4096));
      this.arenaUsed = 0;
    }
    return length;
  }

  /** Calls `visit` with each unconsumed entry (a view of its body) in LSN order; stops when it returns false. */
  forEach(visit: (lsn: Lsn, body: Uint8Array) => boolean | void): void {
    for (let at = this.head; at < this.count; at++) {
      const length = this.lengths[at]!;
      if (length === consumed) continue;
      const start = this.starts[at]!;
      if (visit(this.lsns[at]!, this.arena.subarray(start, start + length)) === false) return;
    }
  }

  /** The index arrays are full: drop the consumed prefix and holes if they are many, else double. */
  private squeezeOrGrow(): void {
    const dead = this.head + this.holes;
    const capacity = dead * 2 >= this.count ? Math.max(entriesInitial, this.lsns.length) : this.lsns.length * 2;
    this.rebuild(capacity, this.arena.length);
  }

  /** The arena cannot take `length` more bytes: move the live bodies to a new one with room. */
  private arenaMove(length: number): void {
    let live = 0;
    for (let at = this.head; at < this.count; at++) if (this.lengths[at]! !== consumed) live += this.lengths[at]!;
    let capacity = bytesInitial;
    while (capacity < 2 * (live + length)) capacity *= 2;
    this.rebuild(this.lsns.length, capacity);
  }

  /** Copies the unconsumed entries into new arrays and a new arena, in order, without holes. */
  private rebuild(entries: number, arenaBytes: number): void {
    const lsns = new Float64Array(entries);
    const starts = new Float64Array(entries);
    const lengths = new Int32Array(entries);
    const arena = new Uint8Array(arenaBytes);
    let kept = 0;
    let used = 0;
    for (let at = this.head; at < this.count; at++) {
      const length = this.lengths[at]!;
      if (length === consumed) continue;
      const start = this.starts[at]!;
      arena.set(this.arena.subarray(start, start + length), used);
      lsns[kept] = this.lsns[at]!;
      starts[kept] = used;
      lengths[kept] = length;
      used += length;
      kept++;
    }
    this.lsns = lsns;
    this.starts = starts;
    this.lengths = lengths;
    this.arena = arena;
    this.arenaUsed = used;
    this.count = kept;
    this.head = 0;
    this.holes = 0;
  }
}
