// EventHeap: entries come out in strict (timeUs, seq) order whatever order they went in, across
// growth of the arrays, and `retain` sheds exactly the rejected entries while keeping the order.

import test from "ava";
import fc from "fast-check";
import { EventHeap } from "./event-heap.ts";

type Entry = { timeUs: number; seq: number; slot: number };

function popAll(heap: EventHeap): Entry[] {
  const out: Entry[] = [];
  while (heap.length > 0) {
    out.push({ timeUs: heap.times[0]!, seq: heap.seqs[0]!, slot: heap.slots[0]! });
    heap.removeTop();
  }
  return out;
}

const byTimeThenSeq = (a: Entry, b: Entry): number => a.timeUs - b.timeUs || a.seq - b.seq;

test("entries pop in (timeUs, seq) order, also past the initial capacity", (t) => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 500 }), (times) => {
    const heap = new EventHeap();
    const entries = times.map((timeUs, seq) => ({ timeUs, seq, slot: seq }));
    for (const entry of entries) heap.push(entry.timeUs, entry.seq, entry.slot);
    return JSON.stringify(popAll(heap)) === JSON.stringify([...entries].sort(byTimeThenSeq));
  }), { numRuns: 100, seed: 7 });
  t.pass("fast-check found no counterexample (it throws on one)");
});

test("retain drops exactly the rejected slots and keeps the rest in order", (t) => {
  const heap = new EventHeap();
  const entries: Entry[] = [];
  for (let seq = 0; seq < 300; seq++) {
    const entry = { timeUs: (seq * 7919) % 101, seq, slot: seq };
    entries.push(entry);
    heap.push(entry.timeUs, entry.seq, entry.slot);
  }
  const dropped: number[] = [];
  heap.retain((slot) => slot % 3 !== 0, (slot) => dropped.push(slot));
  t.deepEqual(dropped.sort((a, b) => a - b), entries.filter((e) => e.slot % 3 === 0).map((e) => e.slot));
  t.deepEqual(popAll(heap), entries.filter((e) => e.slot % 3 !== 0).sort(byTimeThenSeq));
});
