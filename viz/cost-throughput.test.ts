// The cost-versus-throughput figure: deterministic SVG, axis titles with units, a Pareto step
// line per group with dominated configurations hollow, every configuration labelled, and points
// a log axis cannot show counted rather than silently dropped.

import test from "ava";
import { costThroughputSvg, type CostThroughputRow } from "./cost-throughput.ts";
import { groupedBarsSvg } from "./grouped-bars.ts";
import { paretoFrontier } from "./pareto.ts";
import { sampleBarRows, sampleCostThroughputRows } from "./sample-data.ts";

test("identical rows give byte-identical SVG, also after building another figure", (t) => {
  const first = costThroughputSvg(sampleCostThroughputRows(), { title: "Figure 3" });
  groupedBarsSvg(sampleBarRows(), { valueLabel: "Throughput", valueUnit: "steps/s", categoryLabel: "Compute scale" });
  t.is(costThroughputSvg(sampleCostThroughputRows(), { title: "Figure 3" }), first);
});

test("axis titles carry their units", (t) => {
  const svg = costThroughputSvg(sampleCostThroughputRows(), { throughputUnit: "steps/s" });
  t.true(svg.includes(">Throughput (steps/s, log scale)<"));
  t.true(svg.includes(">Cost (USD/month)<"));
  t.true(costThroughputSvg(sampleCostThroughputRows(), { xScale: "linear" }).includes(">Throughput (msg/s)<"));
});

test("each group gets a frontier step line, and dominated configurations are hollow", (t) => {
  const rows = sampleCostThroughputRows();
  const svg = costThroughputSvg(rows);
  t.is(svg.match(/class="frontier"/g)?.length, 2);
  const dominated = ["c=1", "c=100"].reduce((sum, group) => {
    const members = rows.filter((row) => row.group === group);
    return sum + members.length - paretoFrontier(members).length;
  }, 0);
  t.true(dominated > 0, "the sample has dominated configurations");
  const points = svg.slice(svg.indexOf('class="points"'), svg.indexOf('class="labels"'));
  t.is(points.match(/<circle [^>]*fill="#ffffff" stroke="#/g)?.length, dominated);
});

test("every configuration is labelled, and error bars are drawn for rows with intervals", (t) => {
  const rows = sampleCostThroughputRows();
  const svg = costThroughputSvg(rows);
  for (const row of rows) t.true(svg.includes(`>${row.label}</text>`), row.label);
  t.is(svg.match(/<path d="M[^"]*v6M/g)?.length, rows.length, "one horizontal error bar per row");
});

test("rows a log axis cannot show are counted in a footnote; a linear axis shows them", (t) => {
  const rows: CostThroughputRow[] = [...sampleCostThroughputRows(), { label: "stalled", throughputPerS: 0, costUsdPerMonth: 100 }];
  const svg = costThroughputSvg(rows);
  t.true(svg.includes("1 of 13 configurations not shown"));
  t.false(svg.includes(">stalled<"));
  t.true(costThroughputSvg(rows, { xScale: "linear" }).includes(">stalled<"));
});

test("numbers in attributes have at most two decimals", (t) => {
  const svg = costThroughputSvg(sampleCostThroughputRows());
  t.false(/="[^"]*\d\.\d{3,}[^"]*"/.test(svg));
});
