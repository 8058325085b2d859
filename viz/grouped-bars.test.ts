// Grouped bars on a log axis: deterministic SVG, a value-axis title with its unit, one bar and
// one error bar per row, bars a log axis cannot show counted in a footnote, and negative values
// hanging below the zero line of a linear axis.

import test from "ava";
import { groupedBarsSvg, type BarRow } from "./grouped-bars.ts";
import { sampleBarRows } from "./sample-data.ts";

const options = { valueLabel: "Throughput", valueUnit: "steps/s", categoryLabel: "Compute scale c" } as const;

test("identical rows give byte-identical SVG", (t) => {
  t.is(groupedBarsSvg(sampleBarRows(), options), groupedBarsSvg(sampleBarRows(), options));
});

test("the value axis names its unit and scale, the category axis its groups", (t) => {
  const svg = groupedBarsSvg(sampleBarRows(), options);
  t.true(svg.includes(">Throughput (steps/s, log scale)<"));
  t.true(svg.includes(">Compute scale c<"));
  for (const category of ["c=1", "c=10", "c=100"]) t.true(svg.includes(`>${category}</text>`));
  t.true(groupedBarsSvg(sampleBarRows(), { ...options, scale: "linear" }).includes(">Throughput (steps/s)<"));
});

test("one bar and one error bar per row, in the series colours of the legend", (t) => {
  const rows = sampleBarRows();
  const svg = groupedBarsSvg(rows, options);
  const bars = svg.slice(svg.indexOf('class="bars"'), svg.indexOf('class="error-bars"'));
  t.is(bars.match(/<rect /g)?.length, rows.length);
  t.is(svg.match(/<path d="M[^"]*h8M/g)?.length, rows.length);
  for (const series of ["not co-located", "co-located DARQ", "co-located both"]) t.true(svg.includes(`>${series}</text>`));
});

test("bars taller on a log axis stay proportional to the log of their value", (t) => {
  const rows: BarRow[] = [
    { category: "a", series: "s", value: 10 },
    { category: "b", series: "s", value: 1000 },
  ];
  const svg = groupedBarsSvg(rows, { ...options, scale: "log" });
  const bars = svg.slice(svg.indexOf('class="bars"'), svg.indexOf('class="error-bars"'));
  const heights = [...bars.matchAll(/<rect x="[^"]*" y="[^"]*" width="[^"]*" height="([^"]*)" fill="#0072B2"/g)].map((match) => Number(match[1]));
  t.is(heights.length, 2);
  t.true(Math.abs((heights[1] as number) / (heights[0] as number) - 3) < 0.05, `10 is one decade above the axis base, 1000 three: ${heights.join(", ")}`);
});

test("zero values are counted in a footnote on a log axis", (t) => {
  const svg = groupedBarsSvg([...sampleBarRows(), { category: "c=1", series: "broken", value: 0 }], options);
  t.true(svg.includes("1 of 10 bars not shown"));
});

test("negative values on a linear scale hang below the zero line", (t) => {
  const svg = groupedBarsSvg([
    { category: "a", series: "up", value: 100 },
    { category: "a", series: "down", value: -50 },
  ], { valueLabel: "Score", valueUnit: "score", categoryLabel: "workload", scale: "linear" });
  const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)"[^>]*fill="#/g)].map((match) => Number(match[1]));
  const bars = heights.slice(-2);
  t.true(bars.every((height) => height > 0), `both bars drawn: ${bars.join(", ")}`);
  t.true(Math.abs(bars[0]! - 2 * bars[1]!) < 1.5, "heights proportional to |value|");
});
