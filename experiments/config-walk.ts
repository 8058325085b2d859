// Checks a JSON value against a TypeBox schema and reports every problem in words a researcher
// can act on: the JSON pointer, what is wrong, the allowed values and a valid example. TypeBox's
// own error list stops at "Expected union value" for a discriminated union; walking the schema
// here lets a wrong `workload.kind` say which kinds exist, and a right kind check that variant's
// fields. config-errors.ts pairs this walk with TypeBox's Value.Check so the two cannot drift.

import { Kind, type TSchema } from "@sinclair/typebox";
import { unreachable } from "../engine/io/assert.ts";
import { isPlainObject, pointer } from "./config-path.ts";
import { describeSchema, describeValue, exampleOf, jsonTypeOf, suggest } from "./config-describe.ts";

export type ConfigProblem = {
  /** JSON pointer of the offending value ("" is the whole document). */
  readonly path: string;
  /** What is wrong, in a sentence without the path. */
  readonly message: string;
  /** The allowed values or keys, for enums, discriminators and unknown keys. */
  readonly allowed?: readonly string[];
  /** A value that would be valid at `path`. */
  readonly example?: unknown;
};

type Sink = ConfigProblem[];

/** Records one problem; the example comes from `schema` unless given outright. */
function problem(sink: Sink, path: string, message: string, schema?: TSchema, allowed?: readonly string[], example?: unknown): void {
  const entry: { path: string; message: string; allowed?: readonly string[]; example?: unknown } = { path, message };
  if (allowed !== undefined) entry.allowed = allowed;
  if (example !== undefined) entry.example = example;
  else if (schema !== undefined) entry.example = exampleOf(schema);
  sink.push(entry);
}

/** Appends to `sink` every way `value` (found at `path`) fails `schema`. */
export function checkValue(schema: TSchema, value: unknown, path: string, sink: Sink): void {
  const kind = schema[Kind] as string;
  switch (kind) {
    case "Object":
      return checkObject(schema, value, path, sink);
    case "Record":
      return checkRecord(schema, value, path, sink);
    case "Array":
      return checkArray(schema, value, path, sink);
    case "Union":
      return checkUnion(schema, value, path, sink);
    case "Literal":
      if (value !== schema["const"]) problem(sink, path, `must be ${JSON.stringify(schema["const"])}, got ${describeValue(value)}`, schema);
      return;
    case "String":
      return checkString(schema, value, path, sink);
    case "Number":
    case "Integer":
      return checkNumber(schema, value, path, sink);
    case "Boolean":
      if (typeof value !== "boolean") problem(sink, path, `expected true or false, got ${describeValue(value)}`, schema);
      return;
    case "Unknown":
      return;
    default:
      unreachable(kind as never, "config-walk meets a schema kind it does not know");
  }
}

function checkObject(schema: TSchema, value: unknown, path: string, sink: Sink): void {
  if (!isPlainObject(value)) return problem(sink, path, `expected an object, got ${describeValue(value)}`, schema);
  const properties = schema["properties"] as Record<string, TSchema>;
  const required = (schema["required"] as string[] | undefined) ?? [];
  const known = Object.keys(properties);
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(properties, key)) continue;
    const hint = suggest(key, known);
    problem(sink, pointer(path, key), `unknown key '${key}'${hint === undefined ? "" : `; did you mean '${hint}'?`}`, undefined, known);
  }
  for (const key of known) {
    const child = properties[key] as TSchema;
    if (Object.hasOwn(value, key)) {
      checkValue(child, value[key], pointer(path, key), sink);
    } else if (required.includes(key)) {
      problem(sink, pointer(path, key), `missing required field '${key}' (${describeSchema(child)})`, child, allowedOf(child));
    }
  }
}

function checkRecord(schema: TSchema, value: unknown, path: string, sink: Sink): void {
  if (!isPlainObject(value)) return problem(sink, path, `expected an object, got ${describeValue(value)}`, schema);
  const keys = Object.keys(value);
  const min = schema["minProperties"] as number | undefined;
  const max = schema["maxProperties"] as number | undefined;
  if (min !== undefined && keys.length < min) problem(sink, path, `needs at least ${min} ${min === 1 ? "entry" : "entries"}, has ${keys.length}`, schema);
  if (max !== undefined && keys.length > max) problem(sink, path, `allows at most ${max} entries, has ${keys.length}`);
  const valueSchema = Object.values(schema["patternProperties"] as Record<string, TSchema>)[0] as TSchema;
  for (const key of keys) checkValue(valueSchema, value[key], pointer(path, key), sink);
}

function checkArray(schema: TSchema, value: unknown, path: string, sink: Sink): void {
  if (!Array.isArray(value)) return problem(sink, path, `expected a list, got ${describeValue(value)}`, schema);
  const min = schema["minItems"] as number | undefined;
  const max = schema["maxItems"] as number | undefined;
  if (min !== undefined && value.length < min) problem(sink, path, `needs at least ${min} ${min === 1 ? "item" : "items"}, has ${value.length}`, schema);
  if (max !== undefined && value.length > max) problem(sink, path, `allows at most ${max} items, has ${value.length}`);
  if (schema["uniqueItems"] === true) {
    const seen = new Set<string>();
    value.forEach((item: unknown, index) => {
      const key = JSON.stringify(item);
      if (seen.has(key)) problem(sink, pointer(path, index), `repeats ${describeValue(item)}; items must be unique`);
      seen.add(key);
    });
  }
  const items = schema["items"] as TSchema;
  value.forEach((item: unknown, index) => checkValue(items, item, pointer(path, index), sink));
}

/** The allowed values of an enum-like union or the kinds of a discriminated one. */
export function allowedOf(schema: TSchema): string[] | undefined {
  if (schema[Kind] !== "Union") return undefined;
  const variants = schema["anyOf"] as TSchema[];
  if (variants.every((variant) => variant[Kind] === "Literal")) return variants.map((variant) => String(variant["const"]));
  const kinds = variants.map((variant) => discriminatorOf(variant));
  return kinds.every((kind): kind is string => kind !== undefined) ? kinds : undefined;
}

/** The `kind` literal of an object variant, if it has one. */
export function discriminatorOf(variant: TSchema): string | undefined {
  if (variant[Kind] !== "Object") return undefined;
  const kind = (variant["properties"] as Record<string, TSchema>)["kind"];
  return kind !== undefined && kind[Kind] === "Literal" ? String(kind["const"]) : undefined;
}

function checkUnion(schema: TSchema, value: unknown, path: string, sink: Sink): void {
  const variants = schema["anyOf"] as TSchema[];
  const allowed = allowedOf(schema);
  if (allowed !== undefined && variants.every((variant) => variant[Kind] === "Literal")) {
    if (allowed.includes(value as string) && typeof value === "string") return;
    const hint = typeof value === "string" ? suggest(value, allowed) : undefined;
    return problem(sink, path, `${describeValue(value)} is not allowed${hint === undefined ? "" : `; did you mean '${hint}'?`}`, schema, allowed);
  }
  if (allowed !== undefined) return checkDiscriminated(schema, variants, allowed, value, path, sink);
  const candidates = variants.filter((variant) => jsonTypeOf(variant) === jsonTypeOf(value) || (jsonTypeOf(variant) === "integer" && typeof value === "number"));
  if (candidates.length === 0) return problem(sink, path, `expected ${describeSchema(schema)}, got ${describeValue(value)}`, schema);
  const attempts = candidates.map((variant) => {
    const local: Sink = [];
    checkValue(variant, value, path, local);
    return local;
  });
  if (attempts.some((local) => local.length === 0)) return;
  sink.push(...(attempts[0] as Sink));
}

function checkDiscriminated(schema: TSchema, variants: TSchema[], kinds: string[], value: unknown, path: string, sink: Sink): void {
  if (!isPlainObject(value)) return problem(sink, path, `expected an object with a 'kind' field, got ${describeValue(value)}`, schema, kinds);
  const kind = value["kind"];
  const index = typeof kind === "string" ? kinds.indexOf(kind) : -1;
  if (index < 0) {
    const hint = typeof kind === "string" ? suggest(kind, kinds) : undefined;
    const shown = typeof kind === "string" ? `the kind ${JSON.stringify(kind)}` : describeValue(kind);
    const what = kind === undefined ? "missing required field 'kind'" : `${shown} is not allowed${hint === undefined ? "" : `; did you mean '${hint}'?`}`;
    return problem(sink, pointer(path, "kind"), what, undefined, kinds, kinds[0]);
  }
  checkValue(variants[index] as TSchema, value, path, sink);
}

function checkString(schema: TSchema, value: unknown, path: string, sink: Sink): void {
  if (typeof value !== "string") return problem(sink, path, `expected ${describeSchema(schema)}, got ${describeValue(value)}`, schema);
  const minLength = schema["minLength"] as number | undefined;
  const maxLength = schema["maxLength"] as number | undefined;
  const pattern = schema["pattern"] as string | undefined;
  if (minLength !== undefined && value.length < minLength) {
    problem(sink, path, minLength === 1 ? "must not be empty" : `must have at least ${minLength} characters`, schema);
  } else if (maxLength !== undefined && value.length > maxLength) {
    problem(sink, path, `must have at most ${maxLength} characters, has ${value.length}`, schema);
  } else if (pattern !== undefined && !new RegExp(pattern).test(value)) {
    const description = schema["description"] as string | undefined;
    problem(sink, path, `${describeValue(value)} is not allowed here: ${description ?? `it must match ${pattern}`}`, schema);
  }
}

function checkNumber(schema: TSchema, value: unknown, path: string, sink: Sink): void {
  const integer = schema[Kind] === "Integer";
  if (typeof value !== "number" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    return problem(sink, path, `expected ${describeSchema(schema)}, got ${describeValue(value)}`, schema);
  }
  const minimum = schema["minimum"] as number | undefined;
  const maximum = schema["maximum"] as number | undefined;
  const above = schema["exclusiveMinimum"] as number | undefined;
  const outside =
    (minimum !== undefined && value < minimum) || (maximum !== undefined && value > maximum) || (above !== undefined && value <= above);
  if (outside) problem(sink, path, `${describeValue(value)} is out of range: expected ${describeSchema(schema)}`, schema);
}
