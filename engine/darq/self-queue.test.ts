// SelfQueue against a plain model: any sequence of pushes and consumptions leaves exactly the
// unconsumed bodies, in LSN order, with their bytes intact; and a view handed out earlier keeps
// its bytes whatever happens to the queue afterwards (registration replies hold such views).

import test from "ava";
import fc from "fast-check";
import { SelfQueue } from "./self-queue.ts";

type Op = { readonly kind: "push"; readonly size: number } | { readonly kind: "take"; readonly pick: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("push" as const), size: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ kind: fc.constant("take" as const), pick: fc.nat() }),
);

function bodyOf(lsn: number, size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, index) => (lsn * 31 + index) & 0xff);
}

function contents(queue: SelfQueue): [number, number[]][] {
  const rows: [number, number[]][] = [];
  queue.forEach((lsn, body) => {
    rows.push([lsn, [...body]]);
  });
  return rows;
}

test("pushes and takes in any order leave exactly the unconsumed bodies, in LSN order", (t) => {
  fc.assert(fc.property(fc.array(opArbitrary, { maxLength: 400 }), (ops) => {
    const queue = new SelfQueue();
    const model = new Map<number, Uint8Array>();
    let lsn = 0;
    for (const op of ops) {
      if (op.kind === "push") {
        lsn += 1 + (op.size % 3);
        const body = bodyOf(lsn, op.size);
        queue.push(lsn, body);
        model.set(lsn, body);
        continue;
      }
      const live = [...model.keys()];
      if (live.length === 0) continue;
      const target = live[op.pick % live.length]!;
      const position = queue.find(target);
      if (position === -1) return false;
      if (queue.take(position) !== model.get(target)!.length) return false;
      model.delete(target);
      if (queue.has(target)) return false;
    }
    const expected = [...model].sort((a, b) => a[0] - b[0]).map(([key, body]): [number, number[]] => [key, [...body]]);
    return queue.size === model.size && JSON.stringify(contents(queue)) === JSON.stringify(expected);
  }), { numRuns: 300 });
  t.pass();
});

test("a view handed out by forEach keeps its bytes after the queue is emptied, refilled and grown", (t) => {
  const queue = new SelfQueue();
  queue.push(1, bodyOf(1, 40));
  let kept: Uint8Array | null = null;
  queue.forEach((_lsn, body) => {
    kept = body;
  });
  queue.take(queue.find(1));
  for (let lsn = 2; lsn < 200; lsn++) queue.push(lsn, bodyOf(lsn, 57));
  t.deepEqual([...kept!], [...bodyOf(1, 40)]);
  t.is(queue.size, 198);
});

test("find answers -1 for LSNs never pushed or already consumed, and push refuses LSNs out of order", (t) => {
  const queue = new SelfQueue();
  queue.push(5, bodyOf(5, 3));
  queue.push(9, bodyOf(9, 3));
  t.is(queue.find(7), -1);
  t.is(queue.take(queue.find(5)), 3);
  t.is(queue.find(5), -1);
  t.throws(() => queue.push(8, bodyOf(8, 1)), { message: /out of order/ });
});
