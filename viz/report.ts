// A self-contained HTML report of one run: the manifest (commit, config hash, seed,
// fingerprint), a summary table, the figures inlined as SVG, and the config that produced them.
// One file, no scripts, no external assets, so it can be mailed or archived with the results.
// Like the figures it is byte-identical for identical input: no timestamps, fixed formatting.

import { formatCell } from "./format.ts";

export type Cell = string | number | boolean | null;

export type ReportFigure = {
  readonly title: string;
  /** SVG text from one of the figure builders. */
  readonly svg: string;
  readonly caption?: string;
};

export type ReportInput = {
  readonly title: string;
  /** Key facts of the run, shown first (e.g. commit, configHash, seed, fingerprint). */
  readonly manifest?: Readonly<Record<string, Cell>>;
  /** One row per sweep point (or per run); numbers are right-aligned. */
  readonly summary?: readonly Readonly<Record<string, Cell>>[];
  /** Column order for the summary; default the keys in first-seen order. */
  readonly summaryColumns?: readonly string[];
  readonly figures?: readonly ReportFigure[];
  /** Shown as indented JSON at the end. */
  readonly config?: unknown;
  readonly notes?: readonly string[];
};

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const style = `
body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #222; margin: 2em auto; max-width: 980px; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.number { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; } figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #555; } pre { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: 0.8em; }
`.trim();

function cellHtml(value: Cell | undefined): string {
  const className = typeof value === "number" ? ' class="number"' : "";
  return `<td${className}>${escapeHtml(formatCell(value))}</td>`;
}

function manifestHtml(manifest: Readonly<Record<string, Cell>>): string {
  const rows = Object.entries(manifest).map(([key, value]) => `<tr><th>${escapeHtml(key)}</th>${cellHtml(value)}</tr>`);
  return `<table class="manifest">\n${rows.join("\n")}\n</table>`;
}

function summaryHtml(rows: readonly Readonly<Record<string, Cell>>[], columns: readonly string[] | undefined): string {
  const keys = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const head = `<tr>${keys.map((key) => `<th>${escapeHtml(key)}</th>`).join("")}</tr>`;
  const body = rows.map((row) => `<tr>${keys.map((key) => cellHtml(row[key])).join("")}</tr>`);
  return `<div class="scroll"><table class="summary">\n${head}\n${body.join("\n")}\n</table></div>`;
}

function figureHtml(figure: ReportFigure): string {
  const caption = figure.caption === undefined ? "" : `\n<figcaption>${escapeHtml(figure.caption)}</figcaption>`;
  // The SVG comes from the figure builders, which escape all text they draw.
  return `<figure>\n<h3>${escapeHtml(figure.title)}</h3>\n${figure.svg.trim()}${caption}\n</figure>`;
}

/** The report as one HTML document. */
export function reportHtml(input: ReportInput): string {
  const parts = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    `<head>\n<meta charset="utf-8">\n<title>${escapeHtml(input.title)}</title>\n<style>\n${style}\n</style>\n</head>`,
    "<body>",
    `<h1>${escapeHtml(input.title)}</h1>`,
  ];
  if (input.manifest !== undefined) parts.push("<h2>Run</h2>", manifestHtml(input.manifest));
  if (input.notes !== undefined && input.notes.length > 0) parts.push(`<ul class="notes">\n${input.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join("\n")}\n</ul>`);
  if (input.summary !== undefined && input.summary.length > 0) parts.push("<h2>Summary</h2>", summaryHtml(input.summary, input.summaryColumns));
  if (input.figures !== undefined && input.figures.length > 0) parts.push("<h2>Figures</h2>", ...input.figures.map(figureHtml));
  if (input.config !== undefined) parts.push("<h2>Configuration</h2>", `<pre>${escapeHtml(JSON.stringify(input.config, null, 2))}</pre>`);
  parts.push("</body>", "</html>", "");
  return parts.join("\n");
}
