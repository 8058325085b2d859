// Loading cloud profiles: validate once, then freeze (STYLE 12).
//
// A profile is checked in three passes, and every problem found is reported with its JSON
// pointer: the schema (types, required fields, unknown keys rejected), provenance (every number
// sourced, sources well-formed; figure.ts), and cross-references (a VM's family exists, the
// default serverless plan exists, distributions are well-ordered). The result is deeply frozen.
//
// The bundled profiles are imported as JSON modules, so loading them by name does no file I/O.
// Loading from a path needs the caller to pass `readText`: sim/ never touches the file system
// (the CLI passes `(path) => readFileSync(path, "utf8")`).

import type { TSchema } from "@sinclair/typebox";
import { ValueErrorType, type ValueError } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import aws2024 from "./aws-2024.json" with { type: "json" };
import azure2024 from "./azure-2024.json" with { type: "json" };
import { escapePointer, plainOf, provenanceProblems, type Problem } from "./figure.ts";
import { CloudProfileSchema, type CloudProfile, type CloudProfileDocument } from "./schema.ts";

const bundled: Readonly<Record<string, unknown>> = { "aws-2024": aws2024, "azure-2024": azure2024 };

/** Names of the profiles that ship with the simulator, sorted. */
export function profileNames(): readonly string[] {
  return Object.keys(bundled).sort();
}

export type LoadOptions = {
  /** Reads a profile file; required to load by path (sim/ does no file I/O itself). */
  readonly readText?: (path: string) => string;
};

const documents = new Map<string, CloudProfileDocument>();
const profiles = new Map<string, CloudProfile>();
/** Profiles added at run time (a machine calibrated by `ssms cluster calibrate`), by name. */
const registered = new Map<string, unknown>();

/**
 * Makes a profile document loadable by `name` in this process, as a bundled one is (experiment
 * configs name profiles, never paths). Validated now; throws like loading a bad file would.
 */
export function cloudProfileRegister(name: string, json: unknown): void {
  if (Object.hasOwn(bundled, name)) throw new SsmsError(ErrorCode.argumentInvalid, `cloud profile '${name}' is bundled and cannot be replaced`);
  parseCloudProfile(json, name);
  registered.set(name, json);
  documents.delete(name);
  profiles.delete(name);
}

function known(name: string): boolean {
  return Object.hasOwn(bundled, name) || registered.has(name);
}

/** Loads, validates and freezes a profile by bundled name or by file path. */
export function loadCloudProfile(nameOrPath: string, options: LoadOptions = {}): CloudProfile {
  const cached = profiles.get(nameOrPath);
  if (cached !== undefined) return cached;
  const profile = deepFreeze(plainOf(loadCloudProfileDocument(nameOrPath, options)));
  if (known(nameOrPath)) profiles.set(nameOrPath, profile);
  return profile;
}

/** Like loadCloudProfile, but keeps every figure's source (for reports and the sources test). */
export function loadCloudProfileDocument(nameOrPath: string, options: LoadOptions = {}): CloudProfileDocument {
  const cached = documents.get(nameOrPath);
  if (cached !== undefined) return cached;
  const json = Object.hasOwn(bundled, nameOrPath) ? bundled[nameOrPath] : registered.has(nameOrPath) ? registered.get(nameOrPath) : readProfileFile(nameOrPath, options);
  const document = parseCloudProfile(json, nameOrPath);
  if (known(nameOrPath)) documents.set(nameOrPath, document);
  return document;
}

function readProfileFile(path: string, options: LoadOptions): unknown {
  if (!path.endsWith(".json") && !path.includes("/")) {
    throw new SsmsError(ErrorCode.argumentInvalid,
      `unknown cloud profile '${path}'; bundled profiles are ${profileNames().join(", ")}, or give a path to a .json file`);
  }
  if (options.readText === undefined) {
    throw new SsmsError(ErrorCode.argumentInvalid,
      `loading cloud profile file '${path}' needs options.readText, e.g. (path) => readFileSync(path, "utf8")`);
  }
  const text = options.readText(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SsmsError(ErrorCode.configInvalid, `cloud profile ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Validates parsed JSON as a profile document; throws one error listing every problem found. */
export function parseCloudProfile(json: unknown, origin: string): CloudProfileDocument {
  const problems = schemaProblems(json);
  if (problems.length === 0) {
    const document = json as CloudProfileDocument;
    problems.push(...provenanceProblems(document), ...referenceProblems(document));
  }
  if (problems.length > 0) throw profileError(origin, problems);
  return deepFreeze(structuredClone(json as CloudProfileDocument));
}

const problemsShownMax = 20;

function profileError(origin: string, problems: readonly Problem[]): SsmsError {
  const shown = problems.slice(0, problemsShownMax).map((problem) => `  ${problem.path || "/"}: ${problem.message}`);
  const more = problems.length > problemsShownMax ? [`  … and ${problems.length - problemsShownMax} more`] : [];
  return new SsmsError(ErrorCode.configInvalid,
    `cloud profile ${origin} is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${[...shown, ...more].join("\n")}`,
    { problems });
}

const requiredMessage = "Expected required property";

function schemaProblems(json: unknown): Problem[] {
  const problems: Problem[] = [];
  collect(Value.Errors(CloudProfileSchema, json), problems);
  return dedupe(problems);
}

/**
 * A failed union (a latency distribution, a storage tier) is reported by TypeBox as one opaque
 * "Expected union value". When the value names its `kind`, the alternative of that kind explains
 * the real problem; otherwise the message lists the kinds there are.
 */
function collect(errors: Iterable<ValueError>, problems: Problem[]): void {
  for (const error of errors) {
    if (error.type !== ValueErrorType.Union) {
      problems.push({ path: error.path, message: error.message });
      continue;
    }
    const kinds = unionKinds(error.schema);
    const kind = (error.value as { kind?: unknown } | null)?.kind;
    const index = kinds.indexOf(kind as string);
    const alternative = index >= 0 ? error.errors[index] : undefined;
    if (alternative !== undefined) collect(alternative, problems);
    else problems.push({ path: `${error.path}/kind`, message: `kind must be one of ${kinds.map((name) => `"${name}"`).join(", ")}` });
  }
}

function unionKinds(schema: TSchema): string[] {
  const alternatives = (schema as { anyOf?: TSchema[] }).anyOf ?? [];
  return alternatives.map((alternative) => String((alternative as { properties?: { kind?: { const?: unknown } } }).properties?.kind?.const));
}

/**
 * One line per path and message is enough (a union mismatch repeats per alternative), and a
 * missing property needs no second line saying its absent value has the wrong type.
 */
function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  const missing = new Set(problems.filter((problem) => problem.message === requiredMessage).map((problem) => problem.path));
  return problems.filter((problem) => {
    if (missing.has(problem.path) && problem.message !== requiredMessage) return false;
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function referenceProblems(document: CloudProfileDocument): Problem[] {
  const problems: Problem[] = [];
  const { compute, serverless } = document;
  if (!(compute.baselineFamily in compute.families)) {
    problems.push({ path: "/compute/baselineFamily", message: `names no family in /compute/families` });
  }
  for (const [name, size] of Object.entries(compute.vmSizes)) {
    if (!(size.family in compute.families)) {
      problems.push({ path: `/compute/vmSizes/${escapePointer(name)}/family`, message: `family '${size.family}' is not in /compute/families` });
    }
  }
  if (!(serverless.defaultPlan in serverless.plans)) {
    problems.push({ path: "/serverless/defaultPlan", message: `plan '${serverless.defaultPlan}' is not in /serverless/plans` });
  }
  for (const [name, plan] of Object.entries(serverless.plans)) {
    if (plan.memoryMbMin.value > plan.memoryMbMax.value) {
      problems.push({ path: `/serverless/plans/${escapePointer(name)}/memoryMbMin`, message: "exceeds memoryMbMax" });
    }
  }
  problems.push(...latencyProblems(document, ""));
  return problems;
}

/** Every latency distribution must be well-ordered: p99 ≥ median > 0, max ≥ min ≥ 0, constant ≥ 0. */
function latencyProblems(node: unknown, path: string): Problem[] {
  if (typeof node !== "object" || node === null) return [];
  const record = node as Record<string, { value: number } | unknown>;
  const kind = record["kind"];
  const valueOf = (key: string): number => (record[key] as { value: number }).value;
  if (kind === "lognormal" && !(valueOf("medianUs") > 0 && valueOf("p99Us") >= valueOf("medianUs"))) {
    return [{ path, message: "lognormal needs 0 < medianUs ≤ p99Us" }];
  }
  if (kind === "uniform" && !(valueOf("minUs") >= 0 && valueOf("maxUs") >= valueOf("minUs"))) {
    return [{ path, message: "uniform needs 0 ≤ minUs ≤ maxUs" }];
  }
  if (kind === "constant" && !(valueOf("valueUs") >= 0)) {
    return [{ path, message: "constant needs valueUs ≥ 0" }];
  }
  return Object.entries(record).flatMap(([key, child]) => latencyProblems(child, `${path}/${escapePointer(key)}`));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
