// SVG to PNG with resvg. resvg draws text only with fonts it is given; this loads DejaVu Sans
// from the dejavu-fonts-ttf package and nothing from the system, so the same SVG gives the same
// PNG bytes on any machine, with or without fonts installed.

import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import { fontFamily } from "./theme.ts";

const require = createRequire(import.meta.url);
const fontFiles = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"].map((file) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`));

export type PngOptions = {
  /** Output pixels per SVG pixel (default 2, crisp on high-density screens and in papers). */
  readonly scale?: number;
};

/** Renders `svg` to PNG bytes at `scale` times its own width. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const scale = options.scale ?? 2;
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: fontFamily },
    background: "#ffffff",
  });
  return resvg.render().asPng();
}

/** Width and height of a PNG, read from its IHDR chunk; undefined if `png` is not a PNG. */
export function pngSize(png: Uint8Array): { widthPx: number; heightPx: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((byte, index) => png[index] !== byte)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { widthPx: view.getUint32(16), heightPx: view.getUint32(20) };
}
