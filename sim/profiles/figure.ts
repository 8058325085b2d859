// Sourced figures: every number in a cloud profile travels with where it came from.
//
// A profile file never holds a bare number. Each one is a `Sourced` object
// `{ value, source, asOf, estimate?, note? }` whose `source` is one of
//   - a URL ("https://…"), optionally followed by a short pointer into the page;
//   - "derived: <arithmetic on cited numbers>", e.g. "derived: 0.384 USD/h ÷ 32 GiB";
//   - "estimate: <reasoning>", for a figure the data does not hold (then `estimate` is true).
// Choices that are not numbers (a rounding direction) are sourced the same way.
//
// Models read the profile through `Plain<T>`, the same tree with every sourced object replaced by
// its value, so `profile.compute.vmSizes["Standard_D8s_v3"].usdPerHour` is just a number.

import { Type, type TSchema } from "@sinclair/typebox";

const strict = { additionalProperties: false } as const;

const provenance = {
  source: Type.String({ minLength: 1 }),
  asOf: Type.String({ minLength: 1 }),
  estimate: Type.Optional(Type.Boolean()),
  note: Type.Optional(Type.String()),
};

/** A value with its provenance. */
export function Sourced<T extends TSchema>(value: T) {
  return Type.Object({ value, ...provenance }, strict);
}

/** A sourced number (the common case). */
export const Figure = Sourced(Type.Number());

export type SourcedValue = {
  readonly value: unknown;
  readonly source: string;
  readonly asOf: string;
  readonly estimate?: boolean;
  readonly note?: string;
};

/** The profile tree as models read it: every sourced object replaced by its value. */
export type Plain<T> = T extends { readonly value: infer V; readonly source: string }
  ? V
  : T extends readonly (infer U)[]
    ? readonly Plain<U>[]
    : T extends object
      ? { readonly [K in keyof T]: Plain<T[K]> }
      : T;

/** True for an object shaped like a sourced value (the schema has already checked its fields). */
export function isSourced(node: unknown): node is SourcedValue {
  return typeof node === "object" && node !== null && "value" in node && "source" in node;
}

/** Replaces every sourced object by its value; the result shares nothing with `node`. */
export function plainOf<T>(node: T): Plain<T> {
  return plainNode(node) as Plain<T>;
}

function plainNode(node: unknown): unknown {
  if (isSourced(node)) return node.value;
  if (Array.isArray(node)) return node.map(plainNode);
  if (typeof node === "object" && node !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) out[key] = plainNode(child);
    return out;
  }
  return node;
}

/** One problem found in a document, with the JSON pointer of the offending node. */
export type Problem = { readonly path: string; readonly message: string };

const sourcePrefixes = ["https://", "http://", "derived: ", "estimate: "] as const;

/**
 * Checks the provenance rules the schema cannot express: the source names a URL, an arithmetic
 * derivation or an estimate; an "estimate:" source is flagged `estimate: true`; a flagged estimate
 * shows its reasoning or arithmetic. Also finds bare numbers outside sourced objects.
 */
export function provenanceProblems(node: unknown, path = ""): Problem[] {
  const problems: Problem[] = [];
  visit(node, path, problems);
  return problems;
}

function visit(node: unknown, path: string, problems: Problem[]): void {
  if (typeof node === "number") {
    problems.push({ path, message: "a bare number has no source; write { value, source, asOf }" });
    return;
  }
  if (isSourced(node)) {
    checkSourced(node, path, problems);
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((child, index) => visit(child, `${path}/${index}`, problems));
    return;
  }
  if (typeof node === "object" && node !== null) {
    for (const [key, child] of Object.entries(node)) visit(child, `${path}/${escapePointer(key)}`, problems);
  }
}

function checkSourced(node: SourcedValue, path: string, problems: Problem[]): void {
  const { source } = node;
  if (!sourcePrefixes.some((prefix) => source.startsWith(prefix))) {
    problems.push({ path: `${path}/source`, message: `source must start with one of ${sourcePrefixes.join(", ")}` });
  }
  if (source.startsWith("estimate: ") && node.estimate !== true) {
    problems.push({ path: `${path}/estimate`, message: "an 'estimate:' source must be flagged estimate: true" });
  }
  if (node.estimate === true && !(source.startsWith("estimate: ") || source.startsWith("derived: "))) {
    problems.push({ path: `${path}/source`, message: "an estimate must give its reasoning ('estimate: …' or 'derived: …')" });
  }
  if (typeof node.value === "number" && !Number.isFinite(node.value)) {
    problems.push({ path: `${path}/value`, message: "value must be a finite number" });
  }
}

/** JSON pointer escaping (RFC 6901) for keys such as "m5.large" or "a/b". */
export function escapePointer(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}
