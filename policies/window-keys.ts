// Slots for window series: maps the monitor's keys (automaton ids, node ids, "from→to" talk
// pairs) to the dense integers SlidingSums and LatencyWindow index by. Bounded (STYLE 6): when
// every slot is taken, `slotOf` returns -1 and the caller decides (count it as dropped, or
// release idle keys first); nothing grows without limit. A released slot is reused (the most
// recently freed first), and the caller clears the window series of a slot it reuses.

import { assert } from "../engine/io/assert.ts";

export class KeySlots {
  private readonly slots = new Map<string, number>();
  private readonly keys: (string | null)[];
  private readonly free: number[] = [];
  private next = 0;

  constructor(readonly countMax: number) {
    assert(Number.isInteger(countMax) && countMax >= 1, `countMax must be an integer ≥ 1, got ${countMax}`);
    this.keys = new Array<string | null>(countMax).fill(null);
  }

  /** The slot of `key`, or undefined when it has none. */
  find(key: string): number | undefined {
    return this.slots.get(key);
  }

  /** The slot of `key`, assigning one if needed; -1 when all countMax slots are taken. */
  slotOf(key: string): number {
    const known = this.slots.get(key);
    if (known !== undefined) return known;
    let slot: number;
    if (this.free.length > 0) slot = this.free.pop()!;
    else if (this.next < this.countMax) slot = this.next++;
    else return -1;
    this.slots.set(key, slot);
    this.keys[slot] = key;
    return slot;
  }

  /** Frees the slot of `key`; returns it (so the caller can clear its series) or -1. */
  release(key: string): number {
    const slot = this.slots.get(key);
    if (slot === undefined) return -1;
    this.slots.delete(key);
    this.keys[slot] = null;
    this.free.push(slot);
    return slot;
  }

  keyOf(slot: number): string | null {
    return this.keys[slot] ?? null;
  }

  get size(): number {
    return this.slots.size;
  }

  /** Keys with their slots, in slot order (deterministic, unlike insertion into a hash). */
  entries(): [string, number][] {
    const result: [string, number][] = [];
    for (let slot = 0; slot < this.next; slot++) {
      const key = this.keys[slot];
      if (key !== null && key !== undefined) result.push([key, slot]);
    }
    return result;
  }
}
