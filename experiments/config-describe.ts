// Words and examples for config problems: what a schema allows ("an integer from 1 to 64"), what
// a value is ("the string \"abc\""), a valid example built from the schema, a "did you mean"
// for typos, and the sub-schema at a path (used to check sweep paths and fill defaults).

import { Kind, type TSchema } from "@sinclair/typebox";
import { isPlainObject, type PathSegment } from "./config-path.ts";

/** The JSON type of a value or of a schema ("integer" only for schemas). */
export function jsonTypeOf(valueOrSchema: unknown): string {
  if (isPlainObject(valueOrSchema) && Kind in valueOrSchema) {
    const kind = (valueOrSchema as TSchema)[Kind] as string;
    if (kind === "Record") return "object";
    return kind.toLowerCase();
  }
  if (valueOrSchema === null) return "null";
  if (Array.isArray(valueOrSchema)) return "array";
  return typeof valueOrSchema;
}

const shortMax = 60;

/** A value as a phrase: `the number -1`, `the string "abc"`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isPlainObject(value)) return "an object";
  if (typeof value === "string") {
    const shown = value.length > shortMax ? `${value.slice(0, shortMax)}…` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === "number") return `the number ${String(value)}`;
  return `the ${typeof value} ${String(value)}`;
}

function describeNumber(schema: TSchema): string {
  const noun = schema[Kind] === "Integer" ? "an integer" : "a number";
  const minimum = schema["minimum"] as number | undefined;
  const maximum = schema["maximum"] as number | undefined;
  const above = schema["exclusiveMinimum"] as number | undefined;
  if (minimum !== undefined && maximum !== undefined) return `${noun} from ${minimum} to ${maximum}`;
  if (above !== undefined && maximum !== undefined) return `${noun} > ${above} and ≤ ${maximum}`;
  if (above !== undefined) return `${noun} > ${above}`;
  if (minimum !== undefined) return `${noun} ≥ ${minimum}`;
  if (maximum !== undefined) return `${noun} ≤ ${maximum}`;
  return noun;
}

/** What a schema accepts, as a phrase. */
export function describeSchema(schema: TSchema): string {
  const description = schema["description"] as string | undefined;
  switch (schema[Kind] as string) {
    case "Number":
    case "Integer":
      return describeNumber(schema);
    case "String":
      return description === undefined ? "a string" : `a string: ${description}`;
    case "Boolean":
      return "true or false";
    case "Literal":
      return JSON.stringify(schema["const"]);
    case "Array":
      return "a list";
    case "Object":
    case "Record":
      return description === undefined ? "an object" : `an object: ${description}`;
    case "Union": {
      const variants = schema["anyOf"] as TSchema[];
      if (variants.every((variant) => variant[Kind] === "Literal")) return `one of ${variants.map((variant) => JSON.stringify(variant["const"])).join(", ")}`;
      if (variants.every((variant) => variant[Kind] === "Object")) return description === undefined ? "an object with a 'kind'" : `an object: ${description}`;
      return variants.map((variant) => describeSchema(variant)).join(" or ");
    }
    default:
      return "any value";
  }
}

/** A value that satisfies `schema`: its first example, or one built from its parts. */
export function exampleOf(schema: TSchema): unknown {
  const examples = schema["examples"] as unknown[] | undefined;
  if (examples !== undefined && examples.length > 0) return examples[0];
  if (schema["default"] !== undefined) return schema["default"];
  switch (schema[Kind] as string) {
    case "Object": {
      const properties = schema["properties"] as Record<string, TSchema>;
      const required = (schema["required"] as string[] | undefined) ?? [];
      const out: Record<string, unknown> = {};
      for (const key of required) out[key] = exampleOf(properties[key] as TSchema);
      return out;
    }
    case "Union":
      return exampleOf((schema["anyOf"] as TSchema[])[0] as TSchema);
    case "Literal":
      return schema["const"];
    case "Array": {
      const minItems = (schema["minItems"] as number | undefined) ?? 0;
      return Array.from({ length: Math.max(minItems, 1) }, () => exampleOf(schema["items"] as TSchema));
    }
    case "Record":
      return {};
    case "Boolean":
      return false;
    case "String":
      return "text";
    case "Number":
    case "Integer":
      return (schema["minimum"] as number | undefined) ?? ((schema["exclusiveMinimum"] as number | undefined) ?? 0) + 1;
    default:
      return null;
  }
}

/** Edit distance, for "did you mean". Inputs are short keys, so the quadratic table is fine. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The closest candidate to `word`, if one is close enough to be a plausible typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** The variant of a discriminated union that `value` selects by its `kind`, if any. */
function variantFor(schema: TSchema, value: unknown): TSchema | undefined {
  const variants = schema["anyOf"] as TSchema[];
  if (!isPlainObject(value)) return undefined;
  return variants.find((variant) => {
    const kind = variant[Kind] === "Object" ? (variant["properties"] as Record<string, TSchema>)["kind"] : undefined;
    return kind !== undefined && kind["const"] === value["kind"];
  });
}

/** A discriminated union resolved to the variant `value` selects; any other schema as is. */
export function resolveVariant(schema: TSchema, value: unknown): TSchema | undefined {
  return schema[Kind] === "Union" ? variantFor(schema, value) : schema;
}

/**
 * The schema that governs `segments` below `root`, following `value` to choose union variants,
 * or undefined when the schema has no such place (a mistyped sweep path).
 */
export function schemaAt(root: TSchema, value: unknown, segments: readonly PathSegment[]): TSchema | undefined {
  let schema: TSchema | undefined = root;
  let current = value;
  for (const segment of segments) {
    if (schema !== undefined && schema[Kind] === "Union") schema = variantFor(schema, current);
    if (schema === undefined) return undefined;
    const kind = schema[Kind] as string;
    if (kind === "Object" && typeof segment === "string") {
      schema = (schema["properties"] as Record<string, TSchema>)[segment];
    } else if (kind === "Record" && typeof segment === "string") {
      schema = Object.values(schema["patternProperties"] as Record<string, TSchema>)[0];
    } else if (kind === "Array" && typeof segment === "number") {
      schema = schema["items"] as TSchema;
    } else {
      return undefined;
    }
    current = isPlainObject(current) || Array.isArray(current) ? (current as Record<string | number, unknown>)[segment] : undefined;
  }
  return schema;
}

/** Fills absent optional fields that have a schema default, in place (a private copy). */
export function applyDefaults(schema: TSchema, value: unknown): void {
  const kind = schema[Kind] as string;
  if (kind === "Union") {
    const variant = variantFor(schema, value);
    if (variant !== undefined) applyDefaults(variant, value);
  } else if (kind === "Object" && isPlainObject(value)) {
    for (const [key, child] of Object.entries(schema["properties"] as Record<string, TSchema>)) {
      if (!Object.hasOwn(value, key) && child["default"] !== undefined) value[key] = child["default"];
      if (Object.hasOwn(value, key)) applyDefaults(child, value[key]);
    }
  } else if (kind === "Array" && Array.isArray(value)) {
    for (const item of value) applyDefaults(schema["items"] as TSchema, item);
  }
}
