// Proves that defineAutomaton validates at run time what the types cannot (untyped callers, bad
// names) with SSMS_ERR_ARGUMENT_INVALID naming the definition, and that refs are the ids.

import test from "ava";
import { ErrorCode, SsmsError } from "../io/errors.ts";
import { defineAutomaton, type AutomatonSpec } from "./automaton.ts";
import { counter } from "./example-counter.ts";
import { plainDataProblem } from "./plain-data.ts";

type LooseSpec = AutomatonSpec<null, null, never, unknown>;
const base = { type: "ok", initial: () => null, handle: () => undefined, apply: (state: null) => state };

function refusal(spec: Record<string, unknown>): string {
  const thrown = (() => {
    try {
      defineAutomaton<null, null>(spec as unknown as LooseSpec);
    } catch (error) {
      return error;
    }
    return undefined;
  })();
  if (!(thrown instanceof SsmsError) || thrown.code !== ErrorCode.argumentInvalid) return "not refused";
  return thrown.message;
}

test("a definition is frozen and its refs are `type/key` ids", (t) => {
  t.true(Object.isFrozen(counter));
  t.is(counter.ref("alice") as string, "counter/alice");
  t.is(counter.ref("a/b") as string, "counter/a/b");
  t.throws(() => counter.ref(""), { instanceOf: SsmsError, message: /the key is empty/ });
});

test("malformed definitions are refused with the definition named", (t) => {
  t.regex(refusal({ ...base, type: "a/b" }), /automaton definition 'a\/b': the type contains '\/'/);
  t.regex(refusal({ ...base, type: "" }), /the type is empty/);
  t.regex(refusal({ ...base, type: 7 }), /`type` must be a string/);
  t.regex(refusal({ ...base, apply: "nope" }), /'ok': `apply` must be a function/);
  t.regex(refusal({ ...base, snapshot: (s: null) => s }), /give both `snapshot` and `restore`, or neither/);
  t.regex(refusal({ ...base, snapshot: 1, restore: 2 }), /must be functions/);
  t.is(refusal(base), "not refused");
});

test("plainDataProblem names the path where a value stops being plain data", (t) => {
  t.is(plainDataProblem({ a: [1, "x", null, { b: new Uint8Array(2) }], c: undefined }), undefined);
  t.is(plainDataProblem({ a: [1, { m: new Map() }] }, "state"), "state.a[1].m is an instance of Map, not a plain object");
  t.is(plainDataProblem({ f: () => 1 }), "value.f is a function");
  t.is(plainDataProblem({ n: 1n }), "value.n is a bigint");
  const deep: { next?: unknown } = {};
  let cursor = deep;
  for (let i = 0; i < 100; i++) cursor = (cursor.next = {}) as { next?: unknown };
  t.regex(plainDataProblem(deep) ?? "", /nested too deeply/);
});
