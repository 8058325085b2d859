// Replications become one row per configuration with a Student-t 95% confidence interval.

import test from "ava";
import { aggregateBars, aggregateCostThroughput } from "./replications.ts";
import { ci95, summarizeBy, tQuantile975 } from "./replications.ts";

test("the 95% CI of the mean uses Student's t for few replications", (t) => {
  const interval = ci95([10, 12, 14]);
  t.is(interval.mean, 12);
  // sd = 2, n = 3, t(2) = 4.303: half-width 4.303 * 2 / sqrt(3)
  t.is(Number((interval.high - interval.mean).toFixed(3)), 4.969);
  t.is(ci95([5]).low, 5);
  t.is(tQuantile975(1000) < 1.97 && tQuantile975(1000) > 1.96, true);
});

test("runs of one configuration collapse to a mean with error bars on both axes", (t) => {
  const rows = aggregateCostThroughput([
    { label: "D8s ssd", group: "c=1", throughputPerS: 100, costUsdPerMonth: 50 },
    { label: "D8s blob", group: "c=1", throughputPerS: 10, costUsdPerMonth: 5 },
    { label: "D8s ssd", group: "c=1", throughputPerS: 120, costUsdPerMonth: 50 },
  ]);
  t.deepEqual(rows.map((row) => [row.label, row.throughputPerS]), [["D8s ssd", 110], ["D8s blob", 10]]);
  t.truthy(rows[0]?.throughputPerSCi95);
  t.is(rows[1]?.throughputPerSCi95, undefined, "a single run has no interval");
  t.deepEqual(rows[0]?.costUsdPerMonthCi95, [50, 50]);
});

test("bars group by category and series, in first-seen order", (t) => {
  const rows = aggregateBars([
    { category: "c=1", series: "none", value: 1 },
    { category: "c=1", series: "both", value: 3 },
    { category: "c=1", series: "none", value: 3 },
  ]);
  t.deepEqual(rows.map((row) => [row.series, row.value]), [["none", 2], ["both", 3]]);
});

test("summarizeBy keeps first-seen group order and summarises any metric", (t) => {
  const summary = summarizeBy([{ k: "b", v: 1 }, { k: "a", v: 2 }, { k: "b", v: 3 }], (row) => row.k, (row) => row.v);
  t.deepEqual([...summary.keys()], ["b", "a"]);
  t.is(summary.get("b")?.mean, 2);
  t.is(summary.get("a")?.count, 1);
});
