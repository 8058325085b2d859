// Validates an experiment config once, reports every problem at once, and returns it frozen
// (STYLE 12). A problem names its JSON pointer, says what is wrong, lists the allowed values for
// enums and kinds, and shows a valid example, e.g.
//
//   experiments/pi.json: 2 problems
//     /workload/computeScale: the number -1 is out of range: expected a number > 0 and ≤ 1000000. Example: 10.
//     /cluster/darq/0/tier: the string "nvme" is not allowed. Allowed: hot-replicated, ssd, blob. Example: "hot-replicated".
//
// The hand-written walk (config-walk.ts) is paired with TypeBox's own Value.Check, and a test
// holds the two in agreement over randomly broken configs.

import { Value } from "@sinclair/typebox/value";
import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import { err, ok, type Result } from "../engine/io/result.ts";
import { cloneJson, deepFreeze, showPointer } from "./config-path.ts";
import { applyDefaults } from "./config-describe.ts";
import { checkRules, schemaProblems, type ValidateOptions } from "./config-rules.ts";
import type { ConfigProblem } from "./config-walk.ts";
import { checkSweep } from "./sweep-check.ts";
import { experimentSchema, type Experiment } from "./schema.ts";

export type { ConfigProblem } from "./config-walk.ts";
export type { KnownNames, ValidateOptions } from "./config-rules.ts";

/**
 * Every problem of `json` as an experiment config: schema, then cross-field rules, then the
 * sweep. Each stage runs once the one before is clean, because it reads what that one checked
 * (the sweep's points are built from the rest of the config).
 */
export function findProblems(json: unknown, options: ValidateOptions = {}): ConfigProblem[] {
  const problems = schemaProblems(json);
  if (problems.length === 0 && !Value.Check(experimentSchema, json)) {
    // The walk and TypeBox disagree (a bug here, caught by the agreement test); never let an
    // invalid config through, so fall back to TypeBox's own words.
    for (const error of Value.Errors(experimentSchema, json)) problems.push({ path: error.path, message: error.message });
  }
  if (problems.length > 0) return problems;
  checkRules(json as Experiment, options, problems);
  if (problems.length === 0) checkSweep(json as Experiment, options, problems);
  return problems;
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** One line per problem: `/path: what is wrong. Allowed: a, b. Example: value`. */
export function formatProblem(problem: ConfigProblem): string {
  const parts = [problem.message];
  if (problem.allowed !== undefined && problem.allowed.length > 0) parts.push(`Allowed: ${problem.allowed.join(", ")}`);
  if (problem.example !== undefined) parts.push(`Example: ${shortJson(problem.example)}`);
  return `${showPointer(problem.path)}: ${parts.map((part) => (/[.?]$/.test(part) ? part : `${part}.`)).join(" ")}`;
}

/** A report of all problems of the config read from `source` (a file name or other origin). */
export function formatProblems(source: string, problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return [`${source}: ${count}`, ...problems.map((problem) => `  ${formatProblem(problem)}`)].join("\n");
}

/**
 * Validates `json` (already parsed) as an experiment config. On success returns a deep-frozen
 * copy with schema defaults filled in; on failure an Err (code configInvalid) whose reason lists
 * every problem with its path.
 */
export function validateExperiment(json: unknown, source: string, options: ValidateOptions = {}): Result<Experiment> {
  const problems = findProblems(json, options);
  if (problems.length > 0) return err(ErrorCode.configInvalid, formatProblems(source, problems));
  const config = cloneJson(json);
  applyDefaults(experimentSchema, config);
  return ok(deepFreeze(config) as Experiment);
}

/** Line and column (1-based) of a character offset, for JSON syntax errors. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `line ${line}, column ${offset - before.lastIndexOf("\n")}`;
}

/** Parses JSON text and validates it; a syntax error is reported with its line and column. */
export function validateExperimentText(text: string, source: string, options: ValidateOptions = {}): Result<Experiment> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const position = /position (\d+)/.exec(message);
    const where = position === null ? "" : ` at ${lineAndColumn(text, Number(position[1]))}`;
    return err(ErrorCode.configInvalid, `${source}: not valid JSON${where}: ${message}`);
  }
  return validateExperiment(json, source, options);
}

/** As validateExperiment, but throws SsmsError(configInvalid) carrying the problems in `details`. */
export function experimentOrThrow(json: unknown, source: string, options: ValidateOptions = {}): Experiment {
  const problems = findProblems(json, options);
  if (problems.length > 0) throw new SsmsError(ErrorCode.configInvalid, formatProblems(source, problems), { source, problems });
  const config = cloneJson(json);
  applyDefaults(experimentSchema, config);
  return deepFreeze(config) as Experiment;
}
