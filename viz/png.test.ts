// PNG rendering: every figure renders at twice its SVG size with visible ink, text is drawn with
// the bundled font (no system fonts loaded), and the same SVG gives the same PNG bytes. Samples
// are written to a temp dir, or to SSMS_VIZ_SAMPLES_DIR when set, to look at.

import test from "ava";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { costThroughputSvg } from "./cost-throughput.ts";
import { createSvg, serializeSvg } from "./dom.ts";
import { groupedBarsSvg } from "./grouped-bars.ts";
import { placementMapSvg } from "./placement-map.ts";
import { pngSize, svgToPng } from "./png.ts";
import { sampleBarRows, sampleCostThroughputRows, samplePlacement, sampleTimeseries } from "./sample-data.ts";
import { timeseriesSvg } from "./timeseries.ts";

const outputDir = process.env["SSMS_VIZ_SAMPLES_DIR"] ?? mkdtempSync(join(tmpdir(), "ssms-viz-"));

const figures: Record<string, () => string> = {
  "cost-throughput": () => costThroughputSvg(sampleCostThroughputRows(), { title: "Pi chain: cost vs. throughput" }),
  "grouped-bars": () => groupedBarsSvg(sampleBarRows(), { title: "Benefit of co-location", valueLabel: "Throughput", valueUnit: "steps/s", categoryLabel: "Compute scale" }),
  timeseries: () => timeseriesSvg(sampleTimeseries().rows, { faults: sampleTimeseries().faults, title: "Pi chain under faults" }),
  "placement-map": () => placementMapSvg(samplePlacement(), { title: "Placement" }),
};

function svgSize(svg: string): { widthPx: number; heightPx: number } {
  const match = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg);
  return { widthPx: Number(match?.[1]), heightPx: Number(match?.[2]) };
}

/** Fraction of pixels that are clearly not white. */
function inkFraction(svg: string): number {
  const pixels = new Resvg(svg, { font: { loadSystemFonts: false } }).render().pixels;
  let dark = 0;
  for (let index = 0; index < pixels.length; index += 4) if ((pixels[index] as number) + (pixels[index + 1] as number) + (pixels[index + 2] as number) < 600) dark++;
  return dark / (pixels.length / 4);
}

for (const [name, build] of Object.entries(figures)) {
  test(`${name} renders to a PNG twice the SVG's size, with ink on it`, (t) => {
    const svg = build();
    const png = svgToPng(svg);
    const { widthPx, heightPx } = svgSize(svg);
    t.deepEqual(pngSize(png), { widthPx: 2 * widthPx, heightPx: 2 * heightPx });
    t.true(inkFraction(svg) > 0.01, "the figure is not blank");
    writeFileSync(join(outputDir, `${name}.svg`), svg);
    writeFileSync(join(outputDir, `${name}.png`), png);
  });
}

test("text is drawn with the bundled font and the same SVG gives the same PNG bytes", (t) => {
  const svg = createSvg(200, 40);
  svg.append("text").attr("x", 10).attr("y", 28).attr("font-size", 24).text("Throughput");
  const text = serializeSvg(svg);
  const withFont = svgToPng(text, { scale: 1 });
  const blank = serializeSvg(createSvg(200, 40));
  t.notDeepEqual(withFont, svgToPng(blank, { scale: 1 }), "the text left pixels, so a font was found");
  t.deepEqual(svgToPng(text, { scale: 1 }), withFont);
  t.deepEqual(pngSize(withFont), { widthPx: 200, heightPx: 40 });
});

test("pngSize rejects bytes that are not a PNG", (t) => {
  t.is(pngSize(new Uint8Array([1, 2, 3])), undefined);
});
