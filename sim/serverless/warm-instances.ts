// WarmInstances: the idle, warm instances of a serverless function, with lazy expiry.
//
// Each idle instance is just the time it went idle. They are released in time order, so the
// array is sorted: the newest is at the tail (reused first, LIFO) and the oldest at the head
// (expired first). An instance idle since `s` is gone from `s + idleExpiryUs` on. Nothing runs
// when an instance expires; whoever asks next drops the expired ones from the head. So an idle
// function costs no events at all, however many instances it has.

import { assert } from "../../engine/io/assert.ts";

export class WarmInstances {
  private idleSinceUs = new Float64Array(16);
  private head = 0;
  private tail = 0;

  constructor(private readonly idleExpiryUs: number) {
    assert(idleExpiryUs >= 0, `idleExpiryUs must be ≥ 0, got ${idleExpiryUs}`);
  }

  /** Takes the most recently idle warm instance; false if none is warm at `nowUs`. */
  take(nowUs: number): boolean {
    this.expire(nowUs);
    if (this.tail === this.head) return false;
    this.tail--;
    return true;
  }

  /** An instance finished its invocation at `nowUs` and is idle from now. */
  release(nowUs: number): void {
    assert(this.tail === this.head || this.idleSinceUs[this.tail - 1]! <= nowUs, "instances must be released in time order");
    if (this.tail === this.idleSinceUs.length) {
      const live = this.tail - this.head;
      if (2 * live <= this.idleSinceUs.length) {
        this.idleSinceUs.copyWithin(0, this.head, this.tail);
      } else {
        const grown = new Float64Array(2 * this.idleSinceUs.length);
        grown.set(this.idleSinceUs.subarray(this.head, this.tail));
        this.idleSinceUs = grown;
      }
      this.head = 0;
      this.tail = live;
    }
    this.idleSinceUs[this.tail++] = nowUs;
  }

  /** Warm instances at `nowUs`. */
  count(nowUs: number): number {
    this.expire(nowUs);
    return this.tail - this.head;
  }

  private expire(nowUs: number): void {
    while (this.head < this.tail && this.idleSinceUs[this.head]! + this.idleExpiryUs <= nowUs) this.head++;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    }
  }
}
