// Tidy: the project's structural rules as a pure check over source texts (STYLE 15, after
// TigerBeetle's tidy.zig). tools/tidy.test.ts runs it over the tree, so a rule broken anywhere
// fails the build instead of eroding quietly.
//
// Rules:
// - banned-global: Date.now, performance.now, Math.random, setTimeout, setImmediate, setInterval
//   and randomUUID never in the deterministic places (engine/ but engine/io/node/, sim/,
//   policies/, workloads/). There time and randomness come through the Clock and Random seams,
//   or the simulator is not deterministic. The outer layers (live/, experiments/, viz/, bench/,
//   bin/, tools/) drive real processes and files and may use them.
// - banned-import: fs, net, dgram and child_process never in the deterministic places either.
// - engine-import: engine/ imports nothing outside engine/ (relative paths leaving it).
// - layer-import: policies/ and workloads/ do not import sim/ or live/.
// - function-length: no function body longer than functionLinesMax lines, measured from its
//   opening brace to the matching closing brace, unless allowlisted with a reason.
// - marker: no to-do markers in comments; the work is done or written up elsewhere.
// The TypeScript parser finds calls, imports, function bodies and comments, so text in strings
// and comments neither hides nor fakes a violation (a "brace" in a string cannot skew a length). Test files (*.test.ts) are not checked.

import { posix } from "node:path";
import ts from "typescript";

export type SourceText = { readonly path: string; readonly text: string };

export type TidyRule = "banned-global" | "banned-import" | "engine-import" | "layer-import" | "function-length" | "marker";

export type Violation = { readonly path: string; readonly line: number; readonly rule: TidyRule; readonly message: string };

/** A function allowed to be long: where, which, and why. */
export type FunctionAllowance = { readonly path: string; readonly name: string; readonly reason: string };

export const functionLinesMax = 100;

/** Functions allowed past functionLinesMax. Keep it short; every entry says why. */
export const functionLengthAllowlist: readonly FunctionAllowance[] = [];

const deterministicPlaces = ["engine/", "sim/", "policies/", "workloads/"];
const ioPlacesInside = ["engine/io/node/"];
const bannedProperties = new Set(["Date.now", "performance.now", "Math.random"]);
const bannedIdentifiers = new Set(["setTimeout", "setImmediate", "setInterval", "randomUUID"]);
const bannedModules = new Set([
  "fs", "node:fs", "fs/promises", "node:fs/promises", "net", "node:net", "dgram", "node:dgram",
  "child_process", "node:child_process",
]);
// Spelled in pieces so this file does not trip its own rule.
const markerPattern = new RegExp(`\\b(${["TO" + "DO", "FIX" + "ME", "X" + "XX"].join("|")})\\b`);

export function isTestFile(path: string): boolean {
  return path.endsWith(".test.ts");
}

function inIoPlace(path: string): boolean {
  if (ioPlacesInside.some((place) => path.startsWith(place))) return true;
  return !deterministicPlaces.some((place) => path.startsWith(place));
}

/** Checks every non-test file; paths are relative to the repository root, with `/`. */
export function tidyCheck(files: readonly SourceText[], allowlist: readonly FunctionAllowance[] = functionLengthAllowlist): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    if (isTestFile(file.path) || !file.path.endsWith(".ts")) continue;
    const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const report = (node: ts.Node | number, rule: TidyRule, message: string): void => {
      const position = typeof node === "number" ? node : node.getStart(source);
      const line = source.getLineAndCharacterOfPosition(position).line + 1;
      violations.push({ path: file.path, line, rule, message });
    };
    const commentsSeen = new Set<number>();
    // getChildren includes tokens, so comments before a `}` (in an empty block) are seen too;
    // JSDoc nodes are comments and are checked as such, not as code.
    const visit = (node: ts.Node): void => {
      if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
      checkNode(file.path, source, node, report, allowlist);
      checkComments(file.text, node, commentsSeen, report);
      for (const child of node.getChildren(source)) visit(child);
    };
    visit(source);
  }
  return violations;
}

type Report = (node: ts.Node | number, rule: TidyRule, message: string) => void;

function checkNode(path: string, source: ts.SourceFile, node: ts.Node, report: Report, allowlist: readonly FunctionAllowance[]): void {
  if (!inIoPlace(path)) {
    if (ts.isPropertyAccessExpression(node)) {
      const text = node.getText(source).replace(/\s+/g, "").replace(/^globalThis\./, "");
      if (bannedProperties.has(text)) report(node, "banned-global", `${text} outside the I/O places; use the Clock or Random seam`);
    } else if (ts.isIdentifier(node) && bannedIdentifiers.has(node.text)) {
      report(node, "banned-global", `${node.text} outside the I/O places; use the Clock seam (or Random for ids)`);
    }
  }
  const specifier = importSpecifier(node);
  if (specifier !== undefined) checkImport(path, specifier.text, specifier.typeOnly, specifier.node, report);
  const body = functionBody(node);
  if (body !== undefined) checkLength(path, source, node, body, report, allowlist);
}

type ImportFound = { text: string; typeOnly: boolean; node: ts.Node };

/** The module a node imports: static and type imports, re-exports, import(), require(). */
function importSpecifier(node: ts.Node): ImportFound | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined &&
    ts.isStringLiteral(node.moduleSpecifier)) {
    const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
    return { text: node.moduleSpecifier.text, typeOnly, node };
  }
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) &&
    ts.isStringLiteral(node.moduleReference.expression)) {
    return { text: node.moduleReference.expression.text, typeOnly: node.isTypeOnly, node };
  }
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
    const isRequire = ts.isIdentifier(callee) && callee.text === "require";
    const argument = node.arguments[0];
    if ((isImport || isRequire) && argument !== undefined && ts.isStringLiteralLike(argument)) {
      return { text: argument.text, typeOnly: false, node };
    }
  }
  return undefined;
}

function checkImport(path: string, specifier: string, typeOnly: boolean, node: ts.Node, report: Report): void {
  if (bannedModules.has(specifier) && !typeOnly && !inIoPlace(path)) {
    report(node, "banned-import", `imports '${specifier}' in a deterministic place (${deterministicPlaces.join(", ")} but ${ioPlacesInside.join(", ")})`);
  }
  if (!specifier.startsWith(".")) return;
  const target = posix.normalize(posix.join(posix.dirname(path), specifier));
  if (path.startsWith("engine/") && !target.startsWith("engine/")) {
    report(node, "engine-import", `engine/ imports '${specifier}' (${target}), outside engine/`);
  }
  if ((path.startsWith("policies/") || path.startsWith("workloads/")) &&
    (target.startsWith("sim/") || target.startsWith("live/"))) {
    report(node, "layer-import", `${path.split("/")[0]}/ imports '${specifier}' (${target}); policies and workloads must not depend on sim/ or live/`);
  }
}

/** The block body of a function-like node, if it has one. */
function functionBody(node: ts.Node): ts.Block | undefined {
  if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)) {
    return node.body !== undefined && ts.isBlock(node.body) ? node.body : undefined;
  }
  return undefined;
}

function functionName(node: ts.Node, source: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name !== undefined) return named.name.getText(source);
  const parent = node.parent;
  if (parent !== undefined && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) ||
    ts.isPropertyDeclaration(parent))) {
    return parent.name.getText(source);
  }
  return "<anonymous>";
}

function checkLength(path: string, source: ts.SourceFile, node: ts.Node, body: ts.Block, report: Report, allowlist: readonly FunctionAllowance[]): void {
  const first = source.getLineAndCharacterOfPosition(body.getStart(source)).line;
  const last = source.getLineAndCharacterOfPosition(body.getEnd()).line;
  const lines = last - first + 1;
  if (lines <= functionLinesMax) return;
  const name = functionName(node, source);
  if (allowlist.some((entry) => entry.path === path && entry.name === name)) return;
  report(node, "function-length",
    `function ${name} is ${lines} lines long (max ${functionLinesMax}); split it, or allowlist it in tools/tidy.ts with a reason`);
}

/** Checks the comments before and after `node` (each comment once: `seen` holds their starts). */
function checkComments(text: string, node: ts.Node, seen: Set<number>, report: Report): void {
  const ranges = [...ts.getLeadingCommentRanges(text, node.pos) ?? [], ...ts.getTrailingCommentRanges(text, node.end) ?? []];
  for (const range of ranges) {
    if (seen.has(range.pos)) continue;
    seen.add(range.pos);
    const match = markerPattern.exec(text.slice(range.pos, range.end));
    if (match !== null) report(range.pos + match.index, "marker", `'${match[1]}' marker in a comment`);
  }
}
