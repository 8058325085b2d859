// Proves the id rules: `type/key` with the key free to contain slashes, and a clear
// SSMS_ERR_ARGUMENT_INVALID naming the bad part for every malformed id.

import test from "ava";
import fc from "fast-check";
import { ErrorCode, SsmsError } from "../io/errors.ts";
import {
  automatonId, automatonIdCheck, automatonIdKey, automatonIdParse, automatonIdType, automatonKeyBytesMax,
  automatonRef, automatonTypeLengthMax, utf8Length,
} from "./ids.ts";

test("a valid id splits at its first slash, so keys may contain slashes", (t) => {
  const id = automatonId("order", "2024/17");
  t.is(id, "order/2024/17");
  t.is(automatonIdType(id), "order");
  t.is(automatonIdKey(id), "2024/17");
  t.deepEqual(automatonIdCheck("pi-chain.v2:stage/ü/ñ"), { ok: true, value: { type: "pi-chain.v2:stage", key: "ü/ñ" } });
  t.is(automatonRef<{ n: number }>("counter/alice") as string, "counter/alice");
});

const malformed: [string, string][] = [
  ["counter", "has no '/'"],
  ["/alice", "the type is empty"],
  ["counter/", "the key is empty"],
  ["coun ter/alice", "may contain only letters"],
  ["-counter/alice", "must not start with"],
  [`${"t".repeat(automatonTypeLengthMax + 1)}/alice`, `at most ${automatonTypeLengthMax}`],
  [`counter/${"k".repeat(automatonKeyBytesMax + 1)}`, `at most ${automatonKeyBytesMax}`],
  [`counter/${"é".repeat(automatonKeyBytesMax / 2 + 1)}`, "bytes long in UTF-8"],
  ["counter/ali\nce", "control character"],
];

for (const [id, problem] of malformed) {
  test(`a malformed id is refused with the reason: ${JSON.stringify(id.slice(0, 24))} → ${problem}`, (t) => {
    const checked = automatonIdCheck(id);
    t.false(checked.ok);
    if (checked.ok) return;
    t.is(checked.code, ErrorCode.argumentInvalid);
    t.true(checked.reason.includes(problem), checked.reason);
    t.true(checked.reason.includes("e.g. 'counter/alice'"), "the error shows a valid id");
    const thrown = t.throws(() => automatonIdParse(id), { instanceOf: SsmsError });
    t.is(thrown?.code, ErrorCode.argumentInvalid);
  });
}

test("automatonId refuses a type with a slash and names both parts", (t) => {
  const thrown = t.throws(() => automatonId("a/b", "c"), { instanceOf: SsmsError });
  t.true(thrown?.message.includes("contains '/'"));
  t.true(thrown?.message.includes("type 'a/b' and key 'c'"));
});

test("error messages quote ids bounded and with control characters escaped", (t) => {
  const checked = automatonIdCheck(`x/\u0001${"k".repeat(500)}`);
  t.false(checked.ok);
  if (checked.ok) return;
  t.false(checked.reason.includes("\u0001"));
  t.true(checked.reason.length < 400);
});

test("utf8Length equals the encoded length for any string, including lone surrogates", (t) => {
  const encoder = new TextEncoder();
  fc.assert(fc.property(fc.string({ unit: "binary" }), (text) => utf8Length(text) === encoder.encode(text).length));
  fc.assert(fc.property(fc.string({ unit: "grapheme" }), (text) => utf8Length(text) === encoder.encode(text).length));
  t.is(utf8Length("\ud800"), 3);
});
