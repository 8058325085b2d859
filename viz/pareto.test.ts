// The Pareto frontier holds exactly the non-dominated configurations, in throughput order.

import test from "ava";
import fc from "fast-check";
import { dominates, paretoFrontier, type ParetoPoint } from "./pareto.ts";

test("a small hand-checked case: cheaper-and-faster wins, ties keep the first", (t) => {
  const points: ParetoPoint[] = [
    { throughputPerS: 100, costUsdPerMonth: 10 },
    { throughputPerS: 50, costUsdPerMonth: 20 }, // dominated by the first
    { throughputPerS: 1000, costUsdPerMonth: 50 },
    { throughputPerS: 1000, costUsdPerMonth: 50 }, // duplicate of the third
    { throughputPerS: 10, costUsdPerMonth: 1 },
  ];
  t.deepEqual(paretoFrontier(points), [4, 0, 2]);
});

test("frontier points dominate nobody on it, and every other point is dominated by one", (t) => {
  const point = fc.record({ throughputPerS: fc.integer({ min: 1, max: 50 }), costUsdPerMonth: fc.integer({ min: 1, max: 50 }) });
  fc.assert(
    fc.property(fc.array(point, { maxLength: 40 }), (points) => {
      const frontier = paretoFrontier(points);
      const on = new Set(frontier);
      const sorted = frontier.every((index, position) => position === 0 || (points[index] as ParetoPoint).throughputPerS > (points[frontier[position - 1] as number] as ParetoPoint).throughputPerS);
      const nonDominated = frontier.every((index) => points.every((other) => !dominates(other, points[index] as ParetoPoint)));
      const restDominatedOrDuplicate = points.every((candidate, index) => on.has(index) || frontier.some((member) => dominates(points[member] as ParetoPoint, candidate) || JSON.stringify(points[member]) === JSON.stringify(candidate)));
      return sorted && nonDominated && restDominatedOrDuplicate;
    }),
    { numRuns: 500, seed: 3 },
  );
  t.pass();
});

test("points with a non-finite value are never on the frontier", (t) => {
  t.deepEqual(paretoFrontier([{ throughputPerS: NaN, costUsdPerMonth: 0 }, { throughputPerS: 5, costUsdPerMonth: 5 }]), [1]);
});
