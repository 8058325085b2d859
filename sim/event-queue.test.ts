// EventQueue behaviour: total (timeUs, seq) order, FIFO at one instant, lazy cancellation with
// compaction, the countMax limit, and the assertions that keep time from going backwards. A
// property test compares long random operation sequences against a plain sorted-array model.

import test from "ava";
import fc from "fast-check";
import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import { EventQueue, type EventId } from "./event-queue.ts";

function drain(queue: EventQueue): void {
  while (queue.popNext());
}

test("events due at the same instant fire in the order they were scheduled", (t) => {
  const queue = new EventQueue();
  const fired: string[] = [];
  for (let index = 0; index < 50; index++) {
    queue.schedule(100, () => fired.push(`a${index}`));
    queue.schedule(50 + (index % 3), () => fired.push(`b${index}`));
  }
  drain(queue);
  const atHundred = fired.filter((name) => name.startsWith("a"));
  t.deepEqual(atHundred, Array.from({ length: 50 }, (_, index) => `a${index}`));
  t.deepEqual(fired.slice(-50), atHundred, "all later-time events come after earlier ones");
  t.is(queue.nowUs, 100);
});

test("events scheduled from a callback at the current instant run after those already due", (t) => {
  const queue = new EventQueue();
  const fired: string[] = [];
  queue.schedule(10, () => {
    fired.push("first");
    queue.schedule(10, () => fired.push("third"));
  });
  queue.schedule(10, () => fired.push("second"));
  drain(queue);
  t.deepEqual(fired, ["first", "second", "third"]);
});

test("scheduling in the past or at a fractional time is an assertion failure", (t) => {
  const queue = new EventQueue();
  queue.schedule(20, () => {});
  queue.popNext();
  t.throws(() => queue.schedule(19, () => {}), { message: /integer ≥ now \(20us\)/ });
  t.throws(() => queue.schedule(25.5, () => {}), { message: /integer/ });
  t.throws(() => queue.schedule(Number.NaN, () => {}), { message: /integer/ });
  t.notThrows(() => queue.schedule(20, () => {}));
});

test("cancel stops an event; cancelling twice, after firing, or a bogus id is a no-op", (t) => {
  const queue = new EventQueue();
  const fired: number[] = [];
  const ids = [1, 2, 3].map((value) => queue.schedule(value, () => fired.push(value)));
  queue.cancel(ids[1]!);
  queue.cancel(ids[1]!);
  t.is(queue.size, 2);
  queue.popNext();
  // Slot of the fired event is reused by the next schedule; the old id must not reach it.
  const reused = queue.schedule(5, () => fired.push(5));
  queue.cancel(ids[0]!);
  queue.cancel(-1);
  queue.cancel(0.5);
  queue.cancel(Number.MAX_SAFE_INTEGER);
  drain(queue);
  t.deepEqual(fired, [1, 3, 5]);
  t.not(reused, ids[0]);
  t.is(queue.size, 0);
});

test("peekTimeUs and peekSeq skip cancelled events and report an empty queue", (t) => {
  const queue = new EventQueue();
  t.is(queue.peekTimeUs(), Infinity);
  t.is(queue.peekSeq(), -1);
  const first = queue.schedule(5, () => {});
  queue.schedule(9, () => {});
  queue.cancel(first);
  t.is(queue.peekTimeUs(), 9);
  t.is(queue.peekSeq(), 1);
  t.false(queue.popNext() && queue.popNext(), "only one live event");
});

test("countMax is a clear limitExceeded error, and capacity returns when events leave", (t) => {
  const queue = new EventQueue({ countMax: 3 });
  const ids: EventId[] = [];
  for (let index = 0; index < 3; index++) ids.push(queue.schedule(index, () => {}));
  const error = t.throws(() => queue.schedule(10, () => {}), { instanceOf: SsmsError });
  t.is(error?.code, ErrorCode.limitExceeded);
  t.regex(error?.message ?? "", /countMax=3/);
  queue.cancel(ids[2]!);
  t.notThrows(() => queue.schedule(10, () => {}));
  queue.popNext();
  t.notThrows(() => queue.schedule(11, () => {}));
  t.throws(() => new EventQueue({ countMax: 0 }), { instanceOf: SsmsError });
});

test("heavy start/cancel churn keeps the heap within twice the live count", (t) => {
  const queue = new EventQueue();
  const fired: number[] = [];
  const keep: number[] = [];
  for (let round = 0; round < 100; round++) {
    const ids: EventId[] = [];
    for (let index = 0; index < 100; index++) {
      const timeUs = 1_000_000 + round * 100 + index;
      ids.push(queue.schedule(timeUs, () => fired.push(timeUs)));
    }
    // Keep one of each hundred; the rest are cancelled retransmit timers.
    ids.forEach((id, index) => (index === round % 100 ? keep.push(1_000_000 + round * 100 + index) : queue.cancel(id)));
    t.true(queue.entryCount <= Math.max(2 * queue.size + 1, 256 + 100), `heap holds ${queue.entryCount} entries`);
  }
  drain(queue);
  t.deepEqual(fired, keep);
});

test("a callback may not pop (no reentrancy), and a throwing callback leaves the queue usable", (t) => {
  const queue = new EventQueue();
  queue.schedule(1, () => queue.popNext());
  t.throws(() => queue.popNext(), { message: /inside an event callback/ });
  queue.schedule(2, () => {
    throw new Error("model failed");
  });
  queue.schedule(3, () => {});
  t.throws(() => queue.popNext(), { message: "model failed" });
  t.true(queue.popNext());
  t.is(queue.nowUs, 3);
  t.is(queue.size, 0);
});

test("advanceTo moves time forward but never past a pending event", (t) => {
  const queue = new EventQueue();
  queue.advanceTo(40);
  t.is(queue.nowUs, 40);
  queue.schedule(50, () => {});
  t.throws(() => queue.advanceTo(60), { message: /skip an event/ });
  t.throws(() => queue.advanceTo(30), { message: /≥ now/ });
  queue.advanceTo(49);
  t.is(queue.nowUs, 49);
});

// Model: a list of live events; the next is the one with least (timeUs, seq).
type Op = { kind: "schedule"; delayUs: number } | { kind: "cancel"; pick: number } | { kind: "pop" };
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("schedule" as const), delayUs: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("pop" as const) }),
);

test("random schedule/cancel/pop sequences fire exactly what a sorted-list model fires", (t) => {
  fc.assert(fc.property(fc.array(opArbitrary, { maxLength: 3000 }), (ops) => {
    const queue = new EventQueue();
    const model: Array<{ timeUs: number; seq: number; id: EventId }> = [];
    const everIds: EventId[] = [];
    const fired: number[] = [];
    const expected: number[] = [];
    let seq = 0;
    for (const op of ops) {
      if (op.kind === "schedule") {
        const mySeq = seq++;
        const timeUs = queue.nowUs + op.delayUs;
        const id = queue.schedule(timeUs, () => fired.push(mySeq));
        model.push({ timeUs, seq: mySeq, id });
        everIds.push(id);
      } else if (op.kind === "cancel" && everIds.length > 0) {
        const id = everIds[op.pick % everIds.length]!;
        queue.cancel(id);
        const at = model.findIndex((entry) => entry.id === id);
        if (at >= 0) model.splice(at, 1);
      } else if (op.kind === "pop") {
        model.sort((a, b) => a.timeUs - b.timeUs || a.seq - b.seq);
        const next = model.shift();
        if (next !== undefined) expected.push(next.seq);
        if (queue.popNext() !== (next !== undefined)) return false;
      }
      if (queue.size !== model.length) return false;
    }
    return fired.join() === expected.join();
  }), { numRuns: 60, seed: 42 });
  t.pass("fast-check found no counterexample (it throws on one)");
});
