// Tests of the tidy check: each rule catches a violation planted in memory, allowed places and
// look-alikes (strings, comments, type-only imports, tests) do not trip it, and then the real
// test: the whole tree passes.

import test from "ava";
import * as fs from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { functionLinesMax, isTestFile, type SourceText, tidyCheck, type TidyRule } from "./tidy.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

function rulesOf(files: SourceText[]): TidyRule[] {
  return tidyCheck(files).map((violation) => violation.rule);
}

function one(path: string, text: string): TidyRule[] {
  return rulesOf([{ path, text }]);
}

/** A function whose body spans `lines` lines, brace to brace. */
function functionOfLines(name: string, lines: number): string {
  const body = Array.from({ length: lines - 2 }, (_, i) => `  const v${i} = ${i};`).join("\n");
  return `export function ${name}(): void {\n${body}\n}\n`;
}

test("banned globals are caught outside the I/O places, each one", (t) => {
  const uses = ["Date.now()", "performance.now()", "Math.random()", "setTimeout(f, 1)", "setImmediate(f)",
    "setInterval(f, 5)", "crypto.randomUUID()", "globalThis.Date.now()", "globalThis.setTimeout(f, 1)"];
  for (const use of uses) {
    t.deepEqual(one("sim/network.ts", `const f = () => {};\nexport const x = ${use};\n`), ["banned-global"], use);
  }
  const found = tidyCheck([{ path: "engine/darq/log.ts", text: "\n\nexport const t = Date.now();\n" }]);
  t.deepEqual(found.map((v) => [v.path, v.line]), [["engine/darq/log.ts", 3]], "reports file and line");
});

test("banned globals are allowed in engine/io/node/, live/, bench/, bin/ and tests", (t) => {
  const text = "export const x = Date.now() + Math.random();\nsetTimeout(() => {}, 1);\n";
  for (const path of ["engine/io/node/clock-node.ts", "live/cluster.ts", "bench/darq.ts", "bin/ssms.ts", "sim/queue.test.ts"]) {
    t.deepEqual(one(path, text), [], path);
  }
});

test("look-alikes in strings and comments are not violations", (t) => {
  const text = [
    "// Date.now and setTimeout are banned here; see the Clock seam.",
    "/** Never call Math.random: {@link setTimeout} */",
    "export const s = \"Date.now() setTimeout fs\";",
    "export const u = `performance.now() ${1}`;",
    "export const re = /Math.random/;",
  ].join("\n");
  t.deepEqual(one("engine/darq/codec.ts", text), []);
});

test("fs, net, dgram and child_process imports are caught outside the I/O places", (t) => {
  const imports = ['import * as fs from "node:fs";', 'import { readFileSync } from "fs";', 'import { Socket } from "node:net";',
    'import dgram from "node:dgram";', 'import { spawn } from "child_process";', 'const m = await import("node:fs/promises");',
    'export { open } from "node:fs";', 'const r = require("net");'];
  for (const line of imports) t.deepEqual(one("policies/optimizer.ts", line), ["banned-import"], line);
  t.deepEqual(one("live/node.ts", imports[0]!), []);
  t.deepEqual(one("engine/io/node/log.ts", imports[0]!), []);
  t.deepEqual(one("sim/x.ts", 'import type { Stats } from "node:fs";'), [], "a type-only import does no I/O");
  t.deepEqual(one("sim/x.ts", 'import { join } from "node:path";\nimport * as z from "node:zlib";'), []);
});

test("engine/ importing outside engine/ is caught; inside engine/ and packages are fine", (t) => {
  t.deepEqual(one("engine/darq/log.ts", 'import { x } from "../../sim/simulator.ts";'), ["engine-import"]);
  t.deepEqual(one("engine/darq/log.ts", 'import type { P } from "../../policies/placement.ts";'), ["engine-import"]);
  t.deepEqual(one("engine/runtime/router.ts", 'export * from "../../live/transport.ts";'), ["engine-import"]);
  t.deepEqual(one("engine/darq/log.ts", 'import { assert } from "../io/assert.ts";\nimport { pack } from "msgpackr";'), []);
});

test("policies/ and workloads/ importing sim/ or live/ is caught", (t) => {
  t.deepEqual(one("policies/placement.ts", 'import { ClockSim } from "../sim/clock-sim.ts";'), ["layer-import"]);
  t.deepEqual(one("workloads/pi/chain.ts", 'import { x } from "../../live/cluster.ts";'), ["layer-import"]);
  t.deepEqual(one("policies/placement.ts", 'import type { Clock } from "../engine/io/clock.ts";'), []);
  t.deepEqual(one("sim/cloud.ts", 'import { p } from "../policies/placement.ts";'), [], "sim may use policies");
});

test("a function body longer than the limit is caught, at the limit it is not", (t) => {
  t.deepEqual(one("sim/a.ts", functionOfLines("ok", functionLinesMax)), []);
  t.deepEqual(one("sim/a.ts", functionOfLines("long", functionLinesMax + 1)), ["function-length"]);
  const method = `export class C {\n  run(): void ${functionOfLines("x", functionLinesMax + 5).replace(/^.*?\{/, "{")}}\n`;
  t.deepEqual(one("sim/c.ts", method), ["function-length"], "methods count");
  const arrow = `export const f = (): void => ${functionOfLines("x", functionLinesMax + 1).replace(/^.*?\{/, "{")}`;
  const [violation] = tidyCheck([{ path: "sim/d.ts", text: arrow }]);
  t.is(violation?.rule, "function-length");
  t.regex(violation?.message ?? "", /function f is 101 lines/);
  const braces = `export function s(): string {\n  return "}}}}";\n${"  // {\n".repeat(functionLinesMax)}}\n`;
  t.deepEqual(one("sim/e.ts", braces), ["function-length"], "braces in strings and comments do not end a body");
});

test("the allowlist exempts a named long function and nothing else", (t) => {
  const files = [{ path: "sim/a.ts", text: functionOfLines("long", functionLinesMax + 10) + functionOfLines("other", functionLinesMax + 10) }];
  const found = tidyCheck(files, [{ path: "sim/a.ts", name: "long", reason: "a table of cases" }]);
  t.deepEqual(found.map((v) => v.message.split(" ")[1]), ["other"]);
});

test("to-do markers in comments are caught, in strings they are not", (t) => {
  const marker = "TO" + "DO";
  t.deepEqual(one("viz/plot.ts", `// ${marker}: axis labels\nexport const a = 1;\n`), ["marker"]);
  t.deepEqual(one("viz/plot.ts", `export function f(): void {\n  /* ${marker} */\n}\n`), ["marker"], "inside an empty block");
  t.deepEqual(one("viz/plot.ts", `export const a = "${marker}";\n`), []);
});

/** Every .ts file of the tree, relative to the root, except node_modules, results and hidden dirs. */
function treeFiles(dir: string, out: SourceText[] = []): SourceText[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules" || entry.name === "results" || entry.name.startsWith(".")) continue;
      treeFiles(path, out);
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
      const relativePath = relative(root, path).split(sep).join("/");
      if (!isTestFile(relativePath)) out.push({ path: relativePath, text: fs.readFileSync(path, "utf8") });
    }
  }
  return out;
}

test("the tree is tidy", (t) => {
  const files = treeFiles(root);
  t.true(files.some((file) => file.path === "tools/tidy.ts"), "the walk found the tree");
  const violations = tidyCheck(files);
  t.deepEqual(violations.map((v) => `${v.path}:${v.line} ${v.rule}: ${v.message}`), []);
});
