// Node metrics: the histogram's buckets, quantile estimate and Prometheus rendering agree with
// what was observed, labels are escaped, and the sampler's parser reads back what a node renders.

import test from "ava";
import { latencyBucketsParse, meanOfBuckets, quantileOfBuckets } from "../cluster/cluster-sampler.ts";
import { Histogram, prometheusText } from "./metrics.ts";

test("histogram buckets, quantiles and exposition agree with the observations", (t) => {
  const histogram = new Histogram([100, 1_000, 10_000]);
  for (const value of [50, 60, 500, 700, 900, 5_000, 20_000]) histogram.observe(value);
  t.is(histogram.count, 7);
  t.is(histogram.sumUs, 27_210);
  const median = histogram.quantileUs(0.5);
  t.true(median > 100 && median <= 1_000, `median ${median} lies in the (100, 1000] bucket`);
  t.true(Number.isNaN(new Histogram().quantileUs(0.5)), "no observations, no quantile");
  const text = prometheusText("n1", [{ name: "ssms_x_total", help: "x", type: "counter", values: [{ labels: { type: "a\"b" }, value: 3 }] }],
    [{ name: "ssms_step_latency_seconds", help: "h", histogram }]);
  t.regex(text, /^ssms_x_total\{node="n1",type="a\\"b"\} 3$/m, "label values are escaped");
  t.regex(text, /^ssms_step_latency_seconds_bucket\{node="n1",le="0.0001"\} 2$/m);
  t.regex(text, /^ssms_step_latency_seconds_bucket\{node="n1",le="0.001"\} 5$/m, "buckets are cumulative");
  t.regex(text, /^ssms_step_latency_seconds_bucket\{node="n1",le="\+Inf"\} 7$/m);
  t.regex(text, /^ssms_step_latency_seconds_count\{node="n1"\} 7$/m);
  const parsed = latencyBucketsParse(text);
  t.is(parsed.get("0.01"), 6);
  t.is(Math.round(meanOfBuckets(parsed)), Math.round(27_210 / 7));
  t.is(Math.round(quantileOfBuckets(parsed, 0.5)), Math.round(median), "the sampler's quantile is the node's");
});
