// A server-side DOM for d3 (jsdom), and the serializer that turns a built figure into SVG text.
// One jsdom window is created lazily and reused: a window costs tens of milliseconds, and each
// figure is a detached <svg> element, so figures never see each other. Serialization is
// deterministic: no ids, no timestamps, attributes in the order the builder set them, and every
// number in an attribute rounded to two decimals.

import * as d3 from "d3";
import { JSDOM } from "jsdom";
import { fontFamily, ink } from "./theme.ts";

const svgNamespace = "http://www.w3.org/2000/svg";

type Window = JSDOM["window"];
let shared: Window | undefined;

function window(): Window {
  shared ??= new JSDOM("<!DOCTYPE html><html><body></body></html>").window;
  return shared;
}

export type Svg = d3.Selection<SVGSVGElement, unknown, null, undefined>;
export type Group = d3.Selection<SVGGElement, unknown, null, undefined>;

/** A new, empty figure with a white background and the figure font set once at the root. */
export function createSvg(widthPx: number, heightPx: number): Svg {
  const element = window().document.createElementNS(svgNamespace, "svg") as SVGSVGElement;
  const svg = d3.select(element);
  svg
    .attr("xmlns", svgNamespace)
    .attr("width", widthPx)
    .attr("height", heightPx)
    .attr("viewBox", `0 0 ${widthPx} ${heightPx}`)
    .attr("font-family", fontFamily)
    .attr("fill", ink.text);
  svg.append("rect").attr("width", widthPx).attr("height", heightPx).attr("fill", ink.background);
  return svg;
}

/** Rounds numbers with more than two decimals inside attribute values (a safety net for d3). */
function roundAttributeNumbers(text: string): string {
  return text.replace(/="([^"]*)"/g, (_whole, value: string) => {
    const rounded = value.replace(/-?\d+\.\d{3,}/g, (number) => {
      const fixed = (Math.round(Number(number) * 100) / 100).toString();
      return fixed === "-0" ? "0" : fixed;
    });
    return `="${rounded}"`;
  });
}

/** The figure as SVG text (XML), ready to write to a .svg file or inline into HTML. */
export function serializeSvg(svg: Svg): string {
  const node = svg.node();
  if (node === null) throw new Error("serializeSvg needs a non-empty selection");
  const text = new (window().XMLSerializer)().serializeToString(node);
  return `${roundAttributeNumbers(text)}\n`;
}
