// The HTML report: self-contained, deterministic, escapes what it is given, and inlines the
// figures, the summary table and the config.

import test from "ava";
import { costThroughputSvg } from "./cost-throughput.ts";
import { reportHtml, type ReportInput } from "./report.ts";
import { sampleCostThroughputRows } from "./sample-data.ts";

function input(): ReportInput {
  return {
    title: "pi-chain <baseline>",
    manifest: { commit: "abc123", configHash: "f00d", seed: 42, fingerprint: "9e1c" },
    summary: [
      { point: 0, label: "D8s_v3 ssd", throughputPerS: 3214.5678, costUsdPerMonth: 1200 },
      { point: 1, label: "D8s_v3 blob", throughputPerS: 301.25, costUsdPerMonth: 650.5 },
    ],
    figures: [{ title: "Cost vs. throughput", svg: costThroughputSvg(sampleCostThroughputRows()), caption: "means of 2 replications" }],
    config: { name: "pi-chain", workload: { kind: "pi-chain", note: "a<b" } },
  };
}

test("identical input gives byte-identical HTML", (t) => {
  t.is(reportHtml(input()), reportHtml(input()));
});

test("the report inlines its figures and needs nothing from outside", (t) => {
  const html = reportHtml(input());
  t.true(html.startsWith("<!DOCTYPE html>"));
  t.is(html.match(/<svg /g)?.length, 1);
  t.false(/<script|<link|src="http|href="http/.test(html));
});

test("text is escaped, numbers are formatted and right-aligned in the summary", (t) => {
  const html = reportHtml(input());
  t.true(html.includes("<h1>pi-chain &lt;baseline&gt;</h1>"));
  t.true(html.includes('&quot;note&quot;: &quot;a&lt;b&quot;'));
  t.true(html.includes('<td class="number">3,215</td>'));
  t.true(html.includes('<td class="number">301.3</td>'));
  t.true(html.includes("<th>configHash</th>"));
});
