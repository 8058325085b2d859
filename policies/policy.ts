// What every policy is: a pure function (observation, params, random) → decisions (DESIGN §5).
// Params arrive from the experiment config as a flat map of scalars (experiments/schema.ts
// `policyParams`); each policy declares a ParamSpec (default, range) and resolves the map once:
// unknown keys and out-of-range values are config errors naming every problem with its path.
// Randomness only through the Random seam, and only where a policy is randomised by design.

import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import type { Random } from "../engine/io/random.ts";
import type { CostModelOptions } from "./cost-model.ts";
import type { Decision } from "./decision.ts";
import { objectiveDefault, type Objective } from "./objective.ts";
import type { Observation } from "./observation.ts";

export type ParamValue = number | string | boolean;
export type PolicyParams = Readonly<Record<string, ParamValue>>;

/** What the runner knows besides the params: the user's objective, the cadence, the model setup. */
export type PolicyContext = {
  readonly objective: Objective;
  /** How often this policy runs (the config's periodUs) and when it last ran (null: never). */
  readonly periodUs: number;
  readonly lastRunUs: number | null;
  /** Cost model setup: DARQ group commit, closed-loop size, calibration learned so far. */
  readonly costModel: Partial<CostModelOptions>;
};

export const policyContextDefault: PolicyContext = Object.freeze({
  objective: objectiveDefault,
  periodUs: 0,
  lastRunUs: null,
  costModel: Object.freeze({}),
});

/** Every policy: pure, deterministic given its inputs (and the Random stream's state). */
export type Policy = (observation: Observation, params: PolicyParams, random: Random, context: PolicyContext) => Decision[];

type NumberSpec = { readonly default: number; readonly min: number; readonly max: number; readonly integer?: boolean; readonly doc: string };
type StringSpec = { readonly default: string; readonly choices?: readonly string[]; readonly doc: string };
type BooleanSpec = { readonly default: boolean; readonly doc: string };
export type ParamSpec = Readonly<Record<string, NumberSpec | StringSpec | BooleanSpec>>;

/** The resolved params: each key typed by its default's primitive type. */
export type Resolved<S extends ParamSpec> = {
  readonly [K in keyof S]: S[K]["default"] extends number ? number : S[K]["default"] extends string ? string : boolean;
};

function problemOf(spec: NumberSpec | StringSpec | BooleanSpec, value: ParamValue): string | null {
  if (typeof spec.default === "number") {
    const numeric = spec as NumberSpec;
    if (typeof value !== "number" || !Number.isFinite(value)) return `must be a number, got ${JSON.stringify(value)}`;
    if (value < numeric.min || value > numeric.max) return `must be in [${numeric.min}, ${numeric.max}], got ${value}`;
    if (numeric.integer === true && !Number.isInteger(value)) return `must be an integer, got ${value}`;
    return null;
  }
  if (typeof spec.default === "string") {
    const text = spec as StringSpec;
    if (typeof value !== "string") return `must be a string, got ${JSON.stringify(value)}`;
    if (text.choices !== undefined && !text.choices.includes(value)) return `must be one of ${text.choices.join(", ")}, got '${value}'`;
    return null;
  }
  return typeof value === "boolean" ? null : `must be true or false, got ${JSON.stringify(value)}`;
}

/** Defaults overlaid with `given`; throws SsmsError(configInvalid) listing every problem. */
export function paramsResolve<S extends ParamSpec>(spec: S, given: PolicyParams, where: string): Resolved<S> {
  const problems: string[] = [];
  const resolved: Record<string, ParamValue> = {};
  for (const [key, entry] of Object.entries(spec)) resolved[key] = entry.default;
  for (const [key, value] of Object.entries(given)) {
    const entry = spec[key];
    if (entry === undefined) {
      problems.push(`${where}.${key}: unknown parameter (known: ${Object.keys(spec).join(", ")})`);
      continue;
    }
    const problem = problemOf(entry, value);
    if (problem === null) resolved[key] = value;
    else problems.push(`${where}.${key}: ${problem}`);
  }
  if (problems.length > 0) throw new SsmsError(ErrorCode.configInvalid, problems.join("; "));
  return resolved as Resolved<S>;
}

/**
 * Whether a policy on a slower cadence is due: never run, or at least `periodUs` since its last
 * run. The caller (the runner) keeps `lastRunUs` and passes it in, so the policy stays pure.
 */
export function cadenceDue(nowUs: number, lastRunUs: number | null, periodUs: number): boolean {
  return lastRunUs === null || nowUs - lastRunUs >= periodUs;
}

/** Ids in a stable order, so ties between equal candidates break the same way every run. */
export function byId<T extends { readonly id: string }>(items: readonly T[]): T[] {
  return [...items].sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
}
