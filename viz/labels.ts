// Greedy point-label placement. Each label tries candidate spots around its point (right, left,
// above, below, the diagonals, then the same farther out) and takes the first that stays inside
// the plot and overlaps no placed label and no point. When none is free it takes the spot with
// the least overlap, so every label is shown. Labels are placed in the given order, so callers
// put the important ones (the Pareto frontier) first. Text widths are estimates (theme.ts).

import { textWidthPx } from "./theme.ts";

export type Box = { x: number; y: number; widthPx: number; heightPx: number };

export type LabelRequest = { readonly anchorX: number; readonly anchorY: number; readonly text: string };

export type PlacedLabel = {
  readonly text: string;
  /** Text position (start of the baseline) and anchor for an SVG <text>. */
  readonly x: number;
  readonly y: number;
  readonly box: Box;
  /** True when the label sits far from its point and needs a leader line. */
  readonly leader: boolean;
  readonly anchorX: number;
  readonly anchorY: number;
};

export type LabelLayoutOptions = {
  readonly fontSizePx: number;
  /** Radius of the point markers that labels must not cover. */
  readonly pointRadiusPx: number;
  /** The area labels must stay inside. */
  readonly bounds: Box;
  /** Other marks labels should avoid (e.g. thin boxes along lines). */
  readonly obstacles?: readonly Box[];
};

// Offsets in units of the gap; ring 1 first, then ring 2, then ring 3.
const directions: readonly (readonly [number, number])[] = [
  [1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1],
];

function overlapArea(a: Box, b: Box): number {
  const width = Math.min(a.x + a.widthPx, b.x + b.widthPx) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.heightPx, b.y + b.heightPx) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

function outsideArea(box: Box, bounds: Box): number {
  const inside = overlapArea(box, bounds);
  return box.widthPx * box.heightPx - inside;
}

/** The box of a label whose nearest edge sits `distance` from the anchor in direction (dx, dy). */
function candidateBox(request: LabelRequest, dx: number, dy: number, distance: number, widthPx: number, heightPx: number): Box {
  const x = dx > 0 ? request.anchorX + distance : dx < 0 ? request.anchorX - distance - widthPx : request.anchorX - widthPx / 2;
  const y = dy > 0 ? request.anchorY + distance : dy < 0 ? request.anchorY - distance - heightPx : request.anchorY - heightPx / 2;
  return { x, y, widthPx, heightPx };
}

/** Places every label; the result is in request order. */
export function placeLabels(requests: readonly LabelRequest[], points: readonly { x: number; y: number }[], options: LabelLayoutOptions): PlacedLabel[] {
  const heightPx = options.fontSizePx * 1.2;
  const gapPx = options.pointRadiusPx + 3;
  const obstacles: Box[] = points.map((point) => ({
    x: point.x - options.pointRadiusPx,
    y: point.y - options.pointRadiusPx,
    widthPx: 2 * options.pointRadiusPx,
    heightPx: 2 * options.pointRadiusPx,
  }));
  obstacles.push(...(options.obstacles ?? []));
  const placed: PlacedLabel[] = [];
  for (const request of requests) {
    const widthPx = textWidthPx(request.text, options.fontSizePx);
    let best: { box: Box; cost: number; ring: number } | undefined;
    for (let ring = 1; ring <= 3 && (best === undefined || best.cost > 0); ring++) {
      for (const [dx, dy] of directions) {
        const box = candidateBox(request, dx, dy, gapPx * (ring === 1 ? 1 : ring * 2), widthPx, heightPx);
        let cost = outsideArea(box, options.bounds) * 4;
        for (const other of placed) cost += overlapArea(box, other.box);
        for (const obstacle of obstacles) cost += overlapArea(box, obstacle) * 2;
        if (best === undefined || cost < best.cost) best = { box, cost, ring };
        if (cost === 0) break;
      }
    }
    const chosen = best as { box: Box; cost: number; ring: number };
    placed.push({
      text: request.text,
      x: chosen.box.x,
      y: chosen.box.y + options.fontSizePx * 0.95,
      box: chosen.box,
      leader: chosen.ring > 1,
      anchorX: request.anchorX,
      anchorY: request.anchorY,
    });
  }
  return placed;
}

/** Total pairwise overlap of placed label boxes (0 means no two labels touch). */
export function labelOverlapPx2(labels: readonly PlacedLabel[]): number {
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) total += overlapArea((labels[i] as PlacedLabel).box, (labels[j] as PlacedLabel).box);
  }
  return total;
}
