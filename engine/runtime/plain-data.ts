// Plain data: values that survive a msgpack round trip unchanged in shape — strings, numbers,
// booleans, null, undefined, byte arrays, and arrays/objects of those. Automaton state that is
// plain data can be snapshotted by storing it as is; state holding Maps, Sets, Dates, class
// instances with methods, or functions needs `snapshot`/`restore` hooks (automaton.ts).
//
// The check is done by the type system (`IsPlainData`) so a wrong state shape fails to compile,
// and by `plainDataProblem` at run time for values that arrive untyped.

/** Any plain data value: for automata that store what they are sent (inboxes, logs). */
export type PlainValue = string | number | boolean | null | Uint8Array | readonly PlainValue[] | { readonly [key: string]: PlainValue };

type Scalar = string | number | boolean | null | undefined | Uint8Array;
type NotPlain =
  | ((...args: never[]) => unknown)
  | ReadonlyMap<unknown, unknown>
  | ReadonlySet<unknown>
  | Date
  | RegExp
  | Promise<unknown>
  | bigint
  | symbol;

type AllTrue<Flags> = [Flags] extends [true] ? true : false;

/**
 * `true` when every value of `T` is plain data, else `false`. Recursion stops at depth 8 (and
 * counts as plain there) so recursive types such as trees are accepted instead of making the
 * compiler give up.
 */
export type IsPlainData<T, Depth extends 0[] = []> = Depth["length"] extends 8
  ? true
  : AllTrue<IsPlainEach<T, Depth>>;

type IsPlainEach<T, Depth extends 0[]> = T extends Scalar
  ? true
  : T extends NotPlain
    ? false
    : T extends readonly (infer Element)[]
      ? IsPlainData<Element, [...Depth, 0]>
      : T extends object
        ? AllTrue<{ [K in keyof T]-?: K extends string | number ? IsPlainData<T[K], [...Depth, 0]> : false }[keyof T]>
        : false;

/** Where `value` stops being plain data (a path like `state.items[2].at`), or undefined. */
export function plainDataProblem(value: unknown, path = "value", depthMax = 64): string | undefined {
  if (value === null || value === undefined) return undefined;
  const kind = typeof value;
  if (kind === "string" || kind === "boolean") return undefined;
  if (kind === "number") return undefined;
  if (kind !== "object") return `${path} is a ${kind}`;
  if (depthMax === 0) return `${path} is nested too deeply`;
  if (value instanceof Uint8Array) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = plainDataProblem(value[i], `${path}[${i}]`, depthMax - 1);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? "unknown";
    return `${path} is an instance of ${name}, not a plain object`;
  }
  for (const [key, field] of Object.entries(value)) {
    const problem = plainDataProblem(field, `${path}.${key}`, depthMax - 1);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
