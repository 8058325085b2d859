// Checks a config's sweep before anything runs: every grid key must be a path the config has (or
// an optional field the schema allows there), every value must fit at its path, and every point
// of the cartesian product must still satisfy the schema and the cross-field rules. A sweep that
// passes here expands without surprises, so a long run never dies at point 734 of 800.

import { Kind, type TSchema } from "@sinclair/typebox";
import { assert } from "../engine/io/assert.ts";
import { cloneJson, isPlainObject, lookupPath, parseDottedPath, pointer, setPath, showPointer, type PathSegment } from "./config-path.ts";
import { describeValue, resolveVariant, schemaAt, suggest } from "./config-describe.ts";
import { problemsOfRun, schemaProblems, type ValidateOptions } from "./config-rules.ts";
import type { ConfigProblem } from "./config-walk.ts";
import { experimentSchema, type Experiment } from "./schema.ts";

/** Most points (grid points × replications) one sweep may expand to. */
export const sweepPointsMax = 100_000;
/** Failing combinations reported before the rest are summarised, to keep the report readable. */
const combinationsReportedMax = 5;

export type SweepAxis = { readonly key: string; readonly segments: readonly PathSegment[]; readonly values: readonly unknown[] };

type Sink = ConfigProblem[];

/** The config with its sweep removed: the base that every point starts from. */
export function baseOf(config: Experiment): Record<string, unknown> {
  const base = cloneJson(config) as Record<string, unknown>;
  delete base["sweep"];
  return base;
}

/** Why `segments` names no place in `base`, or undefined when it does. */
function missingPathReason(base: unknown, segments: readonly PathSegment[]): { message: string; allowed?: string[] } | undefined {
  const lookup = lookupPath(base, segments);
  if (lookup.found) return undefined;
  const last = lookup.depth === segments.length - 1;
  if (last && schemaAt(experimentSchema as TSchema, base, segments) !== undefined) return undefined;
  const at = pointer("", ...segments.slice(0, lookup.depth));
  const segment = segments[lookup.depth] as PathSegment;
  if (Array.isArray(lookup.parent)) {
    return { message: `${showPointer(at)} is a list of ${lookup.parent.length}, so '${String(segment)}' names no item in it` };
  }
  if (!isPlainObject(lookup.parent)) return { message: `${showPointer(at)} is ${describeValue(lookup.parent)}, which has no '${String(segment)}'` };
  const parentSegments = segments.slice(0, lookup.depth);
  const parentAt = schemaAt(experimentSchema as TSchema, base, parentSegments);
  const parentSchema = parentAt === undefined ? undefined : resolveVariant(parentAt, lookup.parent);
  const known = parentSchema !== undefined && parentSchema[Kind] === "Object" ? Object.keys(parentSchema["properties"] as object) : Object.keys(lookup.parent);
  const hint = typeof segment === "string" ? suggest(segment, known) : undefined;
  return {
    message: `the config has no ${pointer(at, segment)}${hint === undefined ? "" : `; did you mean '${hint}'?`}`,
    allowed: known,
  };
}

/** Parses the grid keys; problems go to `sink` and the axis is left out. */
export function sweepAxes(config: Experiment, sink: Sink): SweepAxis[] {
  const grid = config.sweep?.grid ?? {};
  const base = baseOf(config);
  const axes: SweepAxis[] = [];
  for (const [key, values] of Object.entries(grid)) {
    const at = pointer("/sweep/grid", key);
    const parsed = parseDottedPath(key);
    if (!parsed.ok) {
      sink.push({ path: at, message: `'${key}' is not a config path: ${parsed.reason}`, example: "workload.computeScale" });
      continue;
    }
    if (parsed.value[0] === "sweep") {
      sink.push({ path: at, message: "a sweep cannot vary the sweep itself; name a field outside /sweep", example: "workload.computeScale" });
      continue;
    }
    const missing = missingPathReason(base, parsed.value);
    if (missing !== undefined) {
      sink.push({ path: at, message: `sweep path '${key}' does not exist: ${missing.message}`, ...(missing.allowed === undefined ? {} : { allowed: missing.allowed }) });
      continue;
    }
    axes.push({ key, segments: parsed.value, values });
  }
  return axes;
}

/** Applies one value per axis to a copy of `base`. */
export function pointConfig(base: Record<string, unknown>, axes: readonly SweepAxis[], choice: readonly number[]): Record<string, unknown> {
  const point = cloneJson(base);
  axes.forEach((axis, index) => {
    const placed = setPath(point, axis.segments, axis.values[choice[index] as number]);
    assert(placed, `sweep path ${axis.key} names a place in the config (checked by sweepAxes)`);
  });
  return point;
}

/** Calls `visit` with each combination of value indices, the last axis varying fastest. */
export function forEachCombination(axes: readonly SweepAxis[], visit: (choice: readonly number[]) => boolean | void): void {
  const choice = axes.map(() => 0);
  const total = axes.reduce((product, axis) => product * axis.values.length, 1);
  for (let n = 0; n < total; n++) {
    if (visit(choice) === false) return;
    for (let axis = axes.length - 1; axis >= 0; axis--) {
      choice[axis] = (choice[axis] as number) + 1;
      if ((choice[axis] as number) < (axes[axis] as SweepAxis).values.length) break;
      choice[axis] = 0;
    }
  }
}

/**
 * Checks each value of one axis against the schema on its own. Cross-field rules wait for the
 * combinations: `colocation: "darq-and-compute"` may be valid only together with another axis.
 */
function checkValues(base: Record<string, unknown>, axis: SweepAxis, sink: Sink): boolean {
  const target = showPointer(pointer("", ...axis.segments));
  let fine = true;
  axis.values.forEach((value, index) => {
    for (const found of schemaProblems(pointConfig(base, [axis], [index]))) {
      fine = false;
      const where = found.path === pointer("", ...axis.segments) ? target : `${target} (at ${showPointer(found.path)})`;
      sink.push({
        path: pointer("/sweep/grid", axis.key, index),
        message: `${describeValue(value)} does not fit ${where}: ${found.message}`,
        ...(found.allowed === undefined ? {} : { allowed: found.allowed }),
        ...(found.example === undefined ? {} : { example: found.example }),
      });
    }
  });
  return fine;
}

function checkCombinations(base: Record<string, unknown>, axes: readonly SweepAxis[], options: ValidateOptions, sink: Sink): void {
  let failures = 0;
  forEachCombination(axes, (choice) => {
    const found = problemsOfRun(pointConfig(base, axes, choice), options);
    if (found.length === 0) return;
    failures++;
    if (failures > combinationsReportedMax) return;
    const params = axes.map((axis, index) => `${axis.key}=${JSON.stringify(axis.values[choice[index] as number])}`).join(", ");
    const first = found[0] as ConfigProblem;
    sink.push({ path: "/sweep/grid", message: `the point ${params} is invalid at ${showPointer(first.path)}: ${first.message}` });
  });
  if (failures > combinationsReportedMax) {
    sink.push({ path: "/sweep/grid", message: `${failures - combinationsReportedMax} more grid points are invalid (${failures} in all)` });
  }
}

/** Every problem of the sweep of a config whose other fields already pass. */
export function checkSweep(config: Experiment, options: ValidateOptions, sink: Sink): void {
  const sweep = config.sweep;
  if (sweep === undefined) return;
  const axes = sweepAxes(config, sink);
  const replications = sweep.replications ?? 1;
  const gridPoints = Object.values(sweep.grid).reduce((product, values) => product * values.length, 1);
  if (gridPoints * replications > sweepPointsMax) {
    sink.push({ path: "/sweep", message: `the sweep expands to ${gridPoints} grid points × ${replications} replications = ${gridPoints * replications} runs, more than the limit of ${sweepPointsMax}; split it into several experiments` });
    return;
  }
  const base = baseOf(config);
  const valuesFine = axes.map((axis) => checkValues(base, axis, sink)).every(Boolean);
  if (valuesFine && axes.length === Object.keys(sweep.grid).length) checkCombinations(base, axes, options, sink);
}
