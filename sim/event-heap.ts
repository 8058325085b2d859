// EventHeap: the ordering half of the event queue, a binary min-heap on (timeUs, seq) kept in
// three parallel typed arrays (times, seqs, slot indices). It knows nothing of callbacks: an
// entry's payload is a slot number the EventQueue owns. Typed arrays keep the entries unboxed and
// contiguous, so a push or pop allocates nothing and touches few cache lines. `seq` is unique per
// entry, so (timeUs, seq) is a strict total order and ties are impossible.

const capacityInitial = 64;

export class EventHeap {
  times = new Float64Array(capacityInitial);
  seqs = new Float64Array(capacityInitial);
  slots = new Int32Array(capacityInitial);
  /** Entries in use: indices [0, length). */
  length = 0;

  /** Adds an entry, growing the arrays when full. */
  push(timeUs: number, seq: number, slot: number): void {
    if (this.length === this.times.length) this.grow(this.length * 2);
    this.siftUp(this.length++, timeUs, seq, slot);
  }

  /** Removes entry 0 (the least): moves the last entry to the root and sifts it down. */
  removeTop(): void {
    const last = --this.length;
    if (last > 0) this.siftDown(0, this.times[last]!, this.seqs[last]!, this.slots[last]!);
  }

  /**
   * Keeps only entries whose slot passes `keep`, handing the others to `dropped`, then restores
   * the heap property bottom-up (Floyd), O(n). Used to shed cancelled entries in bulk.
   */
  retain(keep: (slot: number) => boolean, dropped: (slot: number) => void): void {
    const { times, seqs, slots } = this;
    let kept = 0;
    for (let index = 0; index < this.length; index++) {
      const slot = slots[index]!;
      if (!keep(slot)) {
        dropped(slot);
        continue;
      }
      times[kept] = times[index]!;
      seqs[kept] = seqs[index]!;
      slots[kept] = slot;
      kept++;
    }
    this.length = kept;
    for (let index = (kept >> 1) - 1; index >= 0; index--) {
      this.siftDown(index, times[index]!, seqs[index]!, slots[index]!);
    }
  }

  private siftUp(start: number, timeUs: number, seq: number, slot: number): void {
    const { times, seqs, slots } = this;
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent]!;
      if (parentTime < timeUs || (parentTime === timeUs && seqs[parent]! < seq)) break;
      times[index] = parentTime;
      seqs[index] = seqs[parent]!;
      slots[index] = slots[parent]!;
      index = parent;
    }
    times[index] = timeUs;
    seqs[index] = seq;
    slots[index] = slot;
  }

  private siftDown(start: number, timeUs: number, seq: number, slot: number): void {
    const { times, seqs, slots, length } = this;
    let index = start;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      let childTime = times[child]!;
      let childSeq = seqs[child]!;
      const right = child + 1;
      if (right < length) {
        const rightTime = times[right]!;
        if (rightTime < childTime || (rightTime === childTime && seqs[right]! < childSeq)) {
          child = right;
          childTime = rightTime;
          childSeq = seqs[right]!;
        }
      }
      if (timeUs < childTime || (timeUs === childTime && seq < childSeq)) break;
      times[index] = childTime;
      seqs[index] = childSeq;
      slots[index] = slots[child]!;
      index = child;
    }
    times[index] = timeUs;
    seqs[index] = seq;
    slots[index] = slot;
  }

  private grow(capacity: number): void {
    this.times = growArray(this.times, capacity);
    this.seqs = growArray(this.seqs, capacity);
    this.slots = growArray(this.slots, capacity);
  }
}

/** A copy of `array` in a new array of `capacity` elements. */
export function growArray<A extends Float64Array | Int32Array>(array: A, capacity: number): A {
  const next = new (array.constructor as new (length: number) => A)(capacity);
  next.set(array);
  return next;
}
