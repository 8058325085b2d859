// Time series: deterministic SVG, one panel per metric present with its unit, one line per
// series, and every fault drawn as a marker with its label in a row where it overlaps no other.

import test from "ava";
import { sampleTimeseries } from "./sample-data.ts";
import { timeseriesSvg, type FaultMarker } from "./timeseries.ts";

test("identical rows give byte-identical SVG", (t) => {
  const { rows, faults } = sampleTimeseries();
  t.is(timeseriesSvg(rows, { faults }), timeseriesSvg(sampleTimeseries().rows, { faults: sampleTimeseries().faults }));
});

test("each panel's axis names its unit, and the shared time axis is in seconds", (t) => {
  const { rows, faults } = sampleTimeseries();
  const svg = timeseriesSvg(rows, { faults });
  for (const title of ["Throughput (msg/s)", "Latency (ms)", "Cost (USD/hour)", "Time (s)"]) t.true(svg.includes(`>${title}<`), title);
  t.is(svg.match(/class="panel"/g)?.length, 3);
  t.is(svg.match(/>Time \(s\)</g)?.length, 1, "only the bottom panel labels the time axis");
});

test("panels whose metrics are absent are left out", (t) => {
  const svg = timeseriesSvg([{ timeUs: 0, throughputPerS: 5 }, { timeUs: 1_000_000, throughputPerS: 7 }]);
  t.is(svg.match(/class="panel"/g)?.length, 1);
  t.false(svg.includes("Latency"));
});

test("every fault has a dashed marker and its label; a fault with an end is shaded", (t) => {
  const { rows, faults } = sampleTimeseries();
  const svg = timeseriesSvg(rows, { faults });
  t.is(svg.match(/stroke-dasharray="4,3"/g)?.length, faults.length);
  for (const fault of faults) t.true(svg.includes(`>${fault.label}</text>`), fault.label);
  const spans = svg.slice(svg.indexOf('class="fault-spans"'), svg.indexOf('class="panel"'));
  t.is(spans.match(/<rect /g)?.length, 1);
});

test("labels of faults close in time go to separate rows", (t) => {
  const faults: FaultMarker[] = [
    { timeUs: 10_000_000, label: "crash darq-1" },
    { timeUs: 11_000_000, label: "crash darq-2" },
    { timeUs: 12_000_000, label: "crash darq-3" },
  ];
  const svg = timeseriesSvg(sampleTimeseries().rows, { faults });
  const ys = [...svg.matchAll(/<text x="[^"]*" y="([^"]*)" text-anchor="start" font-size="10" fill="#c0392b">/g)].map((match) => match[1]);
  t.is(new Set(ys).size, 3);
});
