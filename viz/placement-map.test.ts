// The placement map: deterministic SVG, one box per node grouped by pool, each automaton drawn
// where it runs (dot) and where its logical DARQ is (ring), once when both are one node.

import test from "ava";
import { placementMapSvg } from "./placement-map.ts";
import { samplePlacement } from "./sample-data.ts";

test("identical input gives byte-identical SVG", (t) => {
  t.is(placementMapSvg(samplePlacement()), placementMapSvg(samplePlacement()));
});

test("one box per node and one title per pool", (t) => {
  const input = samplePlacement();
  const svg = placementMapSvg(input);
  t.is(svg.match(/class="node"/g)?.length, input.nodes.length);
  for (const pool of ["vm-d8", "darq-ssd", "darq-hot"]) t.true(svg.includes(`>${pool} · `), pool);
});

test("an automaton is a dot where it runs and a ring where its DARQ is, once if co-located", (t) => {
  const input = samplePlacement();
  const svg = placementMapSvg(input);
  const colocated = input.automata.filter((automaton) => automaton.computeNode === automaton.darqNode).length;
  const marks = svg.match(/<circle [^>]*r="3.8"/g)?.length ?? 0;
  t.is(marks, 2 * input.automata.length - colocated);
  t.true(svg.includes(">pi-step/chain-4</text>"));
});

test("busy nodes show dots without names, and the footnote counts automata and nodes", (t) => {
  const svg = placementMapSvg(samplePlacement(), { namesPerNodeMax: 10 });
  t.false(svg.includes(">counter/k0</text>"));
  t.true(svg.includes("48 automata on 5 nodes"));
});

test("automata that name an unknown node are counted, not drawn", (t) => {
  const input = samplePlacement();
  const svg = placementMapSvg({ nodes: input.nodes, automata: [...input.automata, { id: "x/1", type: "x", computeNode: "gone", darqNode: "gone" }] });
  t.true(svg.includes("1 reference unknown nodes"));
});
