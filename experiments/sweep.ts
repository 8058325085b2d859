// Expands a validated experiment into the runs it asks for: the cartesian product of its sweep
// grid (first key varies slowest) times its replications. Each point carries a complete,
// frozen, single-run config (sweep removed, seed replaced by the derived one), so a point can be
// rerun on its own and hashed on its own. Also: `--shard i/n` selection and the config hash.
//
// Seeds: with `seeds: "common"` (the default) replication r uses the same seed at every grid
// point (common random numbers), so two placements are compared on identical arrivals and
// faults and the difference is not drowned in sampling noise. `"per-point"` gives every point
// its own seeds. Replication 0 of a common sweep keeps the root seed, so a one-point sweep
// reproduces the plain run.

import { createHash } from "node:crypto";
import { assert } from "../engine/io/assert.ts";
import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import { err, ok, type Result } from "../engine/io/result.ts";
import { cloneJson, deepFreeze, isPlainObject, showPointer } from "./config-path.ts";
import { applyDefaults } from "./config-describe.ts";
import { problemsOfRun, type ValidateOptions } from "./config-rules.ts";
import { baseOf, forEachCombination, pointConfig, sweepAxes, type SweepAxis } from "./sweep-check.ts";
import type { ConfigProblem } from "./config-walk.ts";
import { experimentSchema, type Experiment } from "./schema.ts";

export type SweepPoint = {
  /** Grid point index (0-based, in expansion order); replications of one point share it. */
  readonly index: number;
  /** Replication number, 0-based. */
  readonly replication: number;
  /** The seed this run uses (also written into `config.seed`). */
  readonly seed: string;
  /** The swept values of this point, keyed by grid path as written in the config. */
  readonly params: Readonly<Record<string, unknown>>;
  /** A short human label of `params`, e.g. "computeScale=10 size=D8s_v3" ("" without a sweep). */
  readonly label: string;
  /** The complete single-run config of this point, frozen. */
  readonly config: Experiment;
};

/** The seed of replication `replication` of grid point `index`, derived from `rootSeed`. */
export function deriveSeed(rootSeed: string | number, index: number, replication: number, seeds: "common" | "per-point"): string {
  assert(Number.isInteger(index) && index >= 0 && Number.isInteger(replication) && replication >= 0, "point and replication indices are non-negative integers");
  const root = String(rootSeed);
  if (seeds === "per-point") return `${root}/p${index}/r${replication}`;
  return replication === 0 ? root : `${root}/r${replication}`;
}

function formatParam(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Labels from the shortest path suffix that tells the axes apart ("count" vs "darq.0.count"). */
function axisNames(axes: readonly SweepAxis[]): string[] {
  return axes.map((axis) => {
    for (let take = 1; take <= axis.segments.length; take++) {
      const suffix = axis.segments.slice(-take).join(".");
      const clash = axes.some((other) => other !== axis && other.segments.slice(-take).join(".") === suffix);
      if (!clash && typeof axis.segments[axis.segments.length - take] === "string") return suffix;
    }
    return axis.key;
  });
}

function finishPoint(base: Record<string, unknown>, seed: string, options: ValidateOptions): Experiment {
  base["seed"] = seed;
  applyDefaults(experimentSchema, base);
  const problems: ConfigProblem[] = problemsOfRun(base, options);
  if (problems.length > 0) {
    const first = problems[0] as ConfigProblem;
    throw new SsmsError(ErrorCode.configInvalid, `a sweep point is invalid at ${showPointer(first.path)}: ${first.message}; validate the experiment with validateExperiment before expanding it`);
  }
  return deepFreeze(base) as Experiment;
}

/**
 * The runs of a validated experiment, in order: grid point 0's replications, then point 1's.
 * Throws SsmsError(configInvalid) if a point does not validate (validateExperiment prevents it).
 */
export function expandSweep(config: Experiment, options: ValidateOptions = {}): SweepPoint[] {
  const sweep = config.sweep;
  const replications = sweep?.replications ?? 1;
  const seeds = sweep?.seeds ?? "common";
  const problems: ConfigProblem[] = [];
  const axes = sweepAxes(config, problems);
  if (problems.length > 0) {
    const first = problems[0] as ConfigProblem;
    throw new SsmsError(ErrorCode.configInvalid, `${showPointer(first.path)}: ${first.message}`);
  }
  const base = baseOf(config);
  const names = axisNames(axes);
  const points: SweepPoint[] = [];
  let index = 0;
  forEachCombination(axes, (choice) => {
    const params: Record<string, unknown> = {};
    const labelParts: string[] = [];
    axes.forEach((axis, axisIndex) => {
      const value = axis.values[choice[axisIndex] as number];
      params[axis.key] = value;
      labelParts.push(`${names[axisIndex] as string}=${formatParam(value)}`);
    });
    const point = pointConfig(base, axes, choice);
    const rootSeed = point["seed"] as string | number;
    for (let replication = 0; replication < replications; replication++) {
      const seed = deriveSeed(rootSeed, index, replication, seeds);
      const runConfig = finishPoint(cloneJson(point), seed, options);
      points.push({ index, replication, seed, params: deepFreeze({ ...params }), label: labelParts.join(" "), config: runConfig });
    }
    index++;
  });
  return points;
}

/** Parses `i/n` (1 ≤ i ≤ n), the form of `--shard`. */
export function parseShard(text: string): Result<{ readonly index: number; readonly count: number }> {
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  const index = match === null ? NaN : Number(match[1]);
  const count = match === null ? NaN : Number(match[2]);
  if (!(index >= 1 && count >= 1 && index <= count)) {
    return err(ErrorCode.argumentInvalid, `--shard '${text}' is not i/n with 1 ≤ i ≤ n, e.g. --shard 2/4 runs the second of four shards`);
  }
  return ok({ index, count });
}

/**
 * The points shard `index` of `count` runs (1-based, as `--shard i/n`): every count-th point
 * from position index-1. Striding rather than cutting blocks spreads expensive corners of the
 * grid over all shards; every point lands in exactly one shard.
 */
export function shardPoints<T>(points: readonly T[], index: number, count: number): T[] {
  assert(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 1 && index <= count, "shard is i/n with 1 ≤ i ≤ n (parse it with parseShard)");
  return points.filter((_, position) => position % count === index - 1);
}

/** JSON with object keys sorted at every level, no whitespace: equal data, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item: unknown) => canonicalJson(item === undefined ? null : item)).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  if (typeof value === "number") {
    assert(Number.isFinite(value), "config numbers are finite");
    return JSON.stringify(Object.is(value, -0) ? 0 : value);
  }
  return JSON.stringify(value);
}

/** sha256 (hex) of the canonical JSON: the same config always hashes the same, key order aside. */
export function configHash(config: unknown): string {
  return createHash("sha256").update(canonicalJson(config)).digest("hex");
}
