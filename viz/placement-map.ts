// Where automata live: one band per pool, one box per node, and inside each box the automata it
// hosts, coloured by automaton type. An automaton appears twice, as a filled dot in the node that
// runs its steps and as a ring in the node that holds its logical DARQ; when both are the same
// node (co-located) it appears once as a dot with a dark ring. Busy nodes show dots without
// names, so the map stays readable with thousands of automata.

import { serializeSvg, type Group } from "./dom.ts";
import { createFrame, distinctInOrder } from "./frame.ts";
import { formatInteger, px } from "./format.ts";
import { legendHeightPx, type LegendEntry } from "./legend.ts";
import { fontSizePx, ink, seriesColor } from "./theme.ts";

export type PlacementNode = {
  readonly id: string;
  readonly pool: string;
  /** What the node offers: compute, a DARQ, or both (a DARQ machine's spare cores). */
  readonly role: "compute" | "darq" | "both";
  /** Instance size or storage tier, shown under the id. */
  readonly size?: string;
};

export type PlacementAutomaton = {
  /** Logical id `type/key`. */
  readonly id: string;
  readonly type: string;
  readonly computeNode: string;
  readonly darqNode: string;
};

export type PlacementMapOptions = {
  readonly title?: string;
  readonly widthPx?: number;
  /** Most automata a node lists by name; busier nodes show dots only (default 10). */
  readonly namesPerNodeMax?: number;
};

type Entry = { automaton: PlacementAutomaton; mark: "dot" | "ring" | "both" };

const boxWidthPx = 176;
const boxGapPx = 12;
const headerPx = 34;
const rowPx = 14;
const dotCellPx = 11;
const poolTitlePx = 22;

function entriesByNode(nodes: readonly PlacementNode[], automata: readonly PlacementAutomaton[]): { entries: Map<string, Entry[]>; unplaced: number } {
  const entries = new Map<string, Entry[]>(nodes.map((node) => [node.id, []]));
  let unplaced = 0;
  for (const automaton of automata) {
    const compute = entries.get(automaton.computeNode);
    const darq = entries.get(automaton.darqNode);
    if (compute === undefined || darq === undefined) unplaced++;
    if (automaton.computeNode === automaton.darqNode) {
      compute?.push({ automaton, mark: "both" });
      continue;
    }
    compute?.push({ automaton, mark: "dot" });
    darq?.push({ automaton, mark: "ring" });
  }
  return { entries, unplaced };
}

function contentHeightPx(count: number, namesMax: number): number {
  if (count <= namesMax) return Math.max(1, count) * rowPx;
  const perRow = Math.floor((boxWidthPx - 16) / dotCellPx);
  return Math.ceil(count / perRow) * dotCellPx + 4;
}

function drawMark(group: Group, x: number, y: number, mark: Entry["mark"], color: string): void {
  const circle = group.append("circle").attr("cx", px(x)).attr("cy", px(y)).attr("r", 3.8);
  if (mark === "ring") circle.attr("fill", "#ffffff").attr("stroke", color).attr("stroke-width", 1.5);
  else if (mark === "both") circle.attr("fill", color).attr("stroke", ink.text).attr("stroke-width", 1.2);
  else circle.attr("fill", color);
}

const roleNames: Record<PlacementNode["role"], string> = { compute: "compute", darq: "DARQ", both: "DARQ + compute" };

function shortName(id: string, widthPx: number): string {
  const charsMax = Math.floor(widthPx / (fontSizePx.label * 0.62));
  return id.length <= charsMax ? id : `${id.slice(0, Math.max(1, charsMax - 1))}…`;
}

function drawNode(layer: Group, node: PlacementNode, entries: readonly Entry[], colorOf: (type: string) => string, heightPx: number, namesMax: number): void {
  layer.append("rect").attr("width", boxWidthPx).attr("height", px(heightPx)).attr("rx", 4).attr("fill", ink.boxFill).attr("stroke", ink.boxStroke);
  layer.append("text").attr("x", 8).attr("y", 14).attr("font-size", fontSizePx.legend).attr("font-weight", "bold").text(shortName(node.id, boxWidthPx - 44));
  const count = formatInteger(entries.length);
  layer.append("text").attr("x", boxWidthPx - 8).attr("y", 14).attr("text-anchor", "end").attr("font-size", fontSizePx.label).attr("fill", ink.muted).text(count);
  layer.append("text").attr("x", 8).attr("y", 27).attr("font-size", fontSizePx.label).attr("fill", ink.muted).text(shortName(node.size ?? roleNames[node.role], boxWidthPx - 16));
  if (entries.length <= namesMax) {
    entries.forEach((entry, index) => {
      const y = headerPx + index * rowPx + rowPx / 2;
      drawMark(layer, 13, y, entry.mark, colorOf(entry.automaton.type));
      layer.append("text").attr("x", 22).attr("y", px(y + 3.5)).attr("font-size", fontSizePx.label).text(shortName(entry.automaton.id, boxWidthPx - 30));
    });
    return;
  }
  const perRow = Math.floor((boxWidthPx - 16) / dotCellPx);
  entries.forEach((entry, index) => {
    const x = 13 + (index % perRow) * dotCellPx;
    const y = headerPx + Math.floor(index / perRow) * dotCellPx + dotCellPx / 2;
    drawMark(layer, x, y, entry.mark, colorOf(entry.automaton.type));
  });
}

/** The placement map as SVG text. */
export function placementMapSvg(input: { readonly nodes: readonly PlacementNode[]; readonly automata: readonly PlacementAutomaton[] }, options: PlacementMapOptions = {}): string {
  const widthPx = options.widthPx ?? 760;
  const namesMax = options.namesPerNodeMax ?? 10;
  const { entries, unplaced } = entriesByNode(input.nodes, input.automata);
  const types = distinctInOrder(input.automata.map((automaton) => automaton.type)).sort();
  const colorOf = (type: string) => seriesColor(types.indexOf(type));
  const pools = distinctInOrder(input.nodes.map((node) => node.pool));
  const perRow = Math.max(1, Math.floor((widthPx - 32 + boxGapPx) / (boxWidthPx + boxGapPx)));
  const layout: { pool: string; rows: { nodes: PlacementNode[]; heightPx: number }[] }[] = pools.map((pool) => {
    const poolNodes = input.nodes.filter((node) => node.pool === pool);
    const rows = [];
    for (let start = 0; start < poolNodes.length; start += perRow) {
      const rowNodes = poolNodes.slice(start, start + perRow);
      const heightPx = headerPx + 6 + Math.max(...rowNodes.map((node) => contentHeightPx(entries.get(node.id)?.length ?? 0, namesMax)));
      rows.push({ nodes: rowNodes, heightPx });
    }
    return { pool, rows };
  });
  const bodyPx = layout.reduce((sum, pool) => sum + poolTitlePx + pool.rows.reduce((rowsSum, row) => rowsSum + row.heightPx + boxGapPx, 0), 0);
  const legend: LegendEntry[] = [
    ...types.map((type, index): LegendEntry => ({ label: type, color: seriesColor(index), mark: "dot" })),
    { label: "runs steps here", color: ink.muted, mark: "dot" },
    { label: "logical DARQ here", color: ink.muted, mark: "ring" },
  ];
  const footnote = `${formatInteger(input.automata.length)} automata on ${formatInteger(input.nodes.length)} nodes; the number at a node's top right counts its marks; a dark ring marks compute and DARQ on one node${unplaced > 0 ? `; ${unplaced} reference unknown nodes` : ""}.`;
  const frame = createFrame({ widthPx, heightPx: 28 + legendHeightPx(legend, widthPx - 32) + 10 + bodyPx + 8 + 16, title: options.title ?? "Placement", legend, axes: { top: 10, right: 16, bottom: 8, left: 16 }, footnote });
  let y = 0;
  for (const pool of layout) {
    const poolNodes = input.nodes.filter((node) => node.pool === pool.pool);
    const roles = distinctInOrder(poolNodes.map((node) => roleNames[node.role])).join(", ");
    frame.plot.append("text").attr("x", 0).attr("y", px(y + 14)).attr("font-size", fontSizePx.axisTitle).attr("font-weight", "bold").text(`${pool.pool} · ${roles} · ${poolNodes.length} ${poolNodes.length === 1 ? "node" : "nodes"}`);
    y += poolTitlePx;
    for (const row of pool.rows) {
      row.nodes.forEach((node, column) => {
        const layer = frame.plot.append("g").attr("class", "node").attr("transform", `translate(${column * (boxWidthPx + boxGapPx)},${px(y)})`);
        drawNode(layer, node, entries.get(node.id) ?? [], colorOf, row.heightPx, namesMax);
      });
      y += row.heightPx + boxGapPx;
    }
  }
  return serializeSvg(frame.svg);
}
