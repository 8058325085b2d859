// Proves that types.typetest.ts tests what it says: `tsc` alone only checks that each
// `@ts-expect-error` line has *some* error, which a typo would also satisfy. Here the file is
// compiled with its directives removed, and every marked line must fail with exactly the TS code
// its directive names, while every unmarked line must compile cleanly.

import test from "ava";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const typetestPath = join(here, "types.typetest.ts");
const directive = /^(\s*)\/\/ @ts-expect-error TS(\d+) (.+)$/;

type Expectation = { line: number; code: number; why: string };

function withoutDirectives(source: string): { text: string; expected: Expectation[] } {
  const expected: Expectation[] = [];
  const lines = source.split("\n").map((line, index) => {
    const match = directive.exec(line);
    if (match === null) return line;
    expected.push({ line: index + 1, code: Number(match[2]), why: match[3] ?? "" });
    return `${match[1] ?? ""}// expected TS${match[2] ?? ""}`;
  });
  return { text: lines.join("\n"), expected };
}

function compile(text: string): readonly ts.Diagnostic[] {
  const configPath = join(here, "..", "..", "tsconfig.json");
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath));
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (path) => (path === typetestPath ? text : readFile(path));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (path, language, onError, create) => path === typetestPath
    ? ts.createSourceFile(path, text, language)
    : getSourceFile(path, language, onError, create);
  const program = ts.createProgram([typetestPath], parsed.options, host);
  const file = program.getSourceFile(typetestPath);
  if (file === undefined) throw new Error(`typetest file not found at ${typetestPath}`);
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
}

test("every @ts-expect-error line in types.typetest.ts fails with the code it names, and nothing else fails", (t) => {
  const source = readFileSync(typetestPath, "utf8");
  const { text, expected } = withoutDirectives(source);
  t.true(expected.length >= 20, "the type test keeps its catalogue of mistakes");
  t.is(source.split("@ts-expect-error").length - 1, expected.length + 1,
    "every directive names its code (the one extra is the mention in the header comment)");

  const diagnostics = compile(text).map((diagnostic) => {
    const start = diagnostic.start ?? 0;
    const line = diagnostic.file === undefined ? 0 : diagnostic.file.getLineAndCharacterOfPosition(start).line;
    return { line: line + 1, code: diagnostic.code, message: ts.flattenDiagnosticMessageText(diagnostic.messageText, " ") };
  });
  for (const expectation of expected) {
    const onLine = diagnostics.filter((d) => d.line === expectation.line + 1);
    t.true(onLine.some((d) => d.code === expectation.code),
      `line ${expectation.line + 1} (${expectation.why}) fails with TS${expectation.code}; got ` +
      `${JSON.stringify(onLine.map((d) => `TS${d.code} ${d.message}`))}`);
  }
  const markedLines = new Set(expected.map((e) => e.line + 1));
  const unexpected = diagnostics.filter((d) => !markedLines.has(d.line));
  t.deepEqual(unexpected, [], "correct uses compile without errors");
});

test("the errors for missing type arguments and non-plain messages say what to do", (t) => {
  const { text } = withoutDirectives(readFileSync(typetestPath, "utf8"));
  const messages = compile(text).map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));
  t.true(messages.some((m) => m.includes("defineAutomaton needs its types: defineAutomaton<State, Message, Event>")));
  t.true(messages.some((m) => m.includes("Type '{ at: Date; }' does not satisfy the constraint " +
    "'\"messages and events must be plain data: no Map, Set, Date, class instance or function\"'")));
});
