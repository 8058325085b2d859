// Assertions for programmer errors (broken invariants). Operating errors (a lost packet, a torn
// write, a crashed node) are never asserted: they come back as values (see result.ts).

export class AssertionError extends Error {
  override name = "AssertionError";
}

/** Throws when `condition` is false. `why` states the invariant that was broken. */
export function assert(condition: unknown, why: string): asserts condition {
  if (!condition) throw new AssertionError(why);
}

/** Marks a branch the type checker proves unreachable; throws if reached at run time. */
export function unreachable(value: never, why = "unreachable"): never {
  throw new AssertionError(`${why}: ${JSON.stringify(value)}`);
}
