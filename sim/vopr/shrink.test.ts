// Delta debugging: ddmin returns a 1-minimal failing subsequence (every entry it keeps is needed,
// order kept), the empty schedule when the failure needs no entry, and stops at its test budget
// with the best schedule so far. Property-tested with fast-check on random failure conditions
// ("fails when these k entries are all present"), whose minimum is known exactly.

import test from "ava";
import fc from "fast-check";
import { ddmin } from "./shrink.ts";

test("ddmin finds exactly the entries a failure needs, in order", (t) => {
  const items = Array.from({ length: 40 }, (_, index) => index);
  const needed = [3, 17, 31];
  const result = ddmin(items, (subset) => needed.every((item) => subset.includes(item)), 1_000);
  t.deepEqual(result.items, needed);
  t.true(result.complete);
  t.true(result.tests < 200, `took ${result.tests} tests`);
});

test("ddmin returns the empty schedule when the failure needs no entry, after one test", (t) => {
  const result = ddmin([1, 2, 3], () => true, 100);
  t.deepEqual(result, { items: [], tests: 1, complete: true });
});

test("ddmin is 1-minimal for random monotone failure conditions", (t) => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 60 }).chain((length) => fc.tuple(fc.constant(length), fc.uniqueArray(fc.nat(length - 1), { minLength: 1, maxLength: 5 }))),
    ([length, needed]) => {
      const items = Array.from({ length }, (_, index) => index);
      const fails = (subset: readonly number[]): boolean => needed.every((item) => subset.includes(item));
      const result = ddmin(items, fails, 10_000);
      const sorted = [...needed].sort((a, b) => a - b);
      return result.complete && fails(result.items) && JSON.stringify(result.items) === JSON.stringify(sorted);
    },
  ), { numRuns: 200, seed: 7 });
  t.pass();
});

test("ddmin stops at its test budget and says the result may not be minimal", (t) => {
  const items = Array.from({ length: 64 }, (_, index) => index);
  const result = ddmin(items, (subset) => subset.includes(5) && subset.includes(60), 3);
  t.false(result.complete);
  t.true(result.tests <= 4);
  t.true(result.items.includes(5) && result.items.includes(60), "what it returns still fails");
});

test("ddmin of a failure that needs nothing but one entry keeps that entry", (t) => {
  const result = ddmin(["a", "b", "c", "d", "e"], (subset) => subset.includes("d"), 100);
  t.deepEqual(result.items, ["d"]);
});
