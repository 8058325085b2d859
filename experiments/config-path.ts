// Paths into a config. Users write sweep paths dotted (`workload.computeScale`,
// `cluster.compute[0].count` or `cluster.compute.0.count`); problems are reported as JSON
// pointers (`/workload/computeScale`, RFC 6901), the form editors and JSON tools understand.

import { err, ok, type Result } from "../engine/io/result.ts";
import { ErrorCode } from "../engine/io/errors.ts";

export type PathSegment = string | number;

const segmentPattern = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Splits a dotted path into segments; a number (`.0` or `[0]`) is an array index. */
export function parseDottedPath(path: string): Result<PathSegment[]> {
  if (path.length === 0) return err(ErrorCode.configInvalid, "the path is empty");
  const segments: PathSegment[] = [];
  for (const part of path.replace(/\[(\d+)\]/g, ".$1").split(".")) {
    if (/^\d+$/.test(part)) {
      segments.push(Number(part));
    } else if (segmentPattern.test(part)) {
      segments.push(part);
    } else {
      const shown = part.length === 0 ? "an empty segment" : `segment '${part}'`;
      return err(ErrorCode.configInvalid, `${shown} is not a key or an index; write keys joined by '.', e.g. workload.computeScale or cluster.compute[0].count`);
    }
  }
  return ok(segments);
}

/** The JSON pointer for `segments` below `base` (a pointer itself; "" is the document root). */
export function pointer(base: string, ...segments: readonly PathSegment[]): string {
  let out = base;
  for (const segment of segments) out += `/${String(segment).replace(/~/g, "~0").replace(/\//g, "~1")}`;
  return out;
}

/** A pointer as shown to people: the root is "/" rather than the empty string. */
export function showPointer(path: string): string {
  return path === "" ? "/" : path;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export type PathLookup =
  | { readonly found: true; readonly value: unknown }
  | { readonly found: false; readonly depth: number; readonly parent: unknown };

/**
 * Follows `segments` from `root`. When a segment is missing, reports how deep the walk got and
 * the container it stopped in, so a caller can say which key was absent and where.
 */
export function lookupPath(root: unknown, segments: readonly PathSegment[]): PathLookup {
  let current = root;
  for (let depth = 0; depth < segments.length; depth++) {
    const segment = segments[depth] as PathSegment;
    if (Array.isArray(current) && typeof segment === "number" && segment < current.length) {
      current = current[segment];
    } else if (isPlainObject(current) && typeof segment === "string" && Object.hasOwn(current, segment)) {
      current = current[segment];
    } else {
      return { found: false, depth, parent: current };
    }
  }
  return { found: true, value: current };
}

/** A deep copy of plain JSON data (objects, arrays, scalars). */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => cloneJson(item)) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = cloneJson(value[key]);
    return out as T;
  }
  return value;
}

/**
 * Sets `value` at `segments` inside `root`, which must be a private, mutable copy. Every
 * container on the way must exist; the last segment may name a key that is absent.
 */
export function setPath(root: unknown, segments: readonly PathSegment[], value: unknown): boolean {
  const parentLookup = lookupPath(root, segments.slice(0, -1));
  const last = segments[segments.length - 1];
  if (!parentLookup.found || last === undefined) return false;
  const parent = parentLookup.value;
  if (Array.isArray(parent) && typeof last === "number" && last < parent.length) {
    parent[last] = cloneJson(value);
    return true;
  }
  if (isPlainObject(parent) && typeof last === "string") {
    parent[last] = cloneJson(value);
    return true;
  }
  return false;
}

/** Freezes `value` and everything reachable from it, so a validated config cannot drift. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
