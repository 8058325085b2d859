// Leaf constructors for the experiment schema: each leaf carries an example value and a
// description, which config-errors.ts quotes back to the user when a value is wrong.

import { Type } from "@sinclair/typebox";

const namePattern = "^[a-z0-9][a-z0-9._-]{0,63}$";
const nameHint = "1 to 64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit";

/** A short identifier (experiment, pool, policy): it becomes part of file and metric names. */
export function identifier(example: string, what: string) {
  return Type.String({ pattern: namePattern, examples: [example], description: `${what}; ${nameHint}` });
}

/** An integer in [minimum, maximum]. */
export function integerIn(minimum: number, maximum: number, example: number, description: string) {
  return Type.Integer({ minimum, maximum, examples: [example], description });
}

/** A number strictly above `above` and at most `maximum`. */
export function numberAbove(above: number, maximum: number, example: number, description: string) {
  return Type.Number({ exclusiveMinimum: above, maximum, examples: [example], description });
}

/** A number in [minimum, maximum]. */
export function numberIn(minimum: number, maximum: number, example: number, description: string) {
  return Type.Number({ minimum, maximum, examples: [example], description });
}

