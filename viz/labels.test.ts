// Greedy label placement keeps labels apart and inside the plot when there is room, and still
// places every label (with a leader line) when there is not.

import test from "ava";
import { labelOverlapPx2, placeLabels } from "./labels.ts";

const bounds = { x: 0, y: 0, widthPx: 600, heightPx: 400 };

test("labels of a tight cluster do not overlap each other and stay inside the plot", (t) => {
  const points = Array.from({ length: 8 }, (_, index) => ({ x: 300 + (index % 3) * 12, y: 200 + Math.floor(index / 3) * 12 }));
  const requests = points.map((point, index) => ({ anchorX: point.x, anchorY: point.y, text: `config-${index}` }));
  const placed = placeLabels(requests, points, { fontSizePx: 10, pointRadiusPx: 5, bounds });
  t.is(placed.length, points.length);
  t.is(labelOverlapPx2(placed), 0);
  for (const label of placed) {
    t.true(label.box.x >= 0 && label.box.y >= 0 && label.box.x + label.box.widthPx <= 600 && label.box.y + label.box.heightPx <= 400, label.text);
  }
});

test("a label next to the right edge goes to the left of its point", (t) => {
  const [label] = placeLabels([{ anchorX: 595, anchorY: 100, text: "edge" }], [{ x: 595, y: 100 }], { fontSizePx: 10, pointRadiusPx: 4, bounds });
  t.true((label?.box.x ?? 600) + (label?.box.widthPx ?? 0) <= 595);
});

test("when no spot is free every label is still placed, and placement is deterministic", (t) => {
  const points = Array.from({ length: 30 }, () => ({ x: 20, y: 20 }));
  const requests = points.map((_, index) => ({ anchorX: 20, anchorY: 20, text: `a-long-configuration-label-${index}` }));
  const small = { x: 0, y: 0, widthPx: 60, heightPx: 40 };
  const first = placeLabels(requests, points, { fontSizePx: 10, pointRadiusPx: 4, bounds: small });
  t.is(first.length, 30);
  t.deepEqual(placeLabels(requests, points, { fontSizePx: 10, pointRadiusPx: 4, bounds: small }), first);
});

test("labels avoid obstacles such as frontier lines when they can", (t) => {
  const obstacle = { x: 105, y: 90, widthPx: 200, heightPx: 20 };
  const [label] = placeLabels([{ anchorX: 100, anchorY: 100, text: "dot" }], [{ x: 100, y: 100 }], { fontSizePx: 10, pointRadiusPx: 4, bounds, obstacles: [obstacle] });
  t.true((label?.box.x ?? 0) + (label?.box.widthPx ?? 0) <= 100, "the right-hand spot is taken by the line, so the label goes left");
});
