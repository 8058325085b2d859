// The batch codec: entries laid by hand into a frame decode with one unpack into exactly what
// was sent, and batchDecode turns every wrong body into an error value with a code, never a throw.

import test from "ava";
import fc from "fast-check";
import { ErrorCode } from "../../engine/io/errors.ts";
import { frameHeaderBytes } from "../../engine/io/frame.ts";
import { BatchWriter, batchDecode, entryDecode, entryEncode, transportPackr } from "./batch-codec.ts";
import { FrameReader, isFrameDefect } from "./frame-reader.ts";

const limits = { batchMessagesMax: 100 };

/** Plain data that round-trips through msgpack unchanged (no undefined, no -0, no __proto__ key). */
const plain = fc.jsonValue().filter((value) => !JSON.stringify(value).includes("__proto__"));

test("a sealed batch is a valid frame whose body decodes to the entries, in order", (t) => {
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20 }), plain), { minLength: 1, maxLength: 30 }),
    (entries) => {
      const writer = new BatchWriter("n1", 64);
      for (const [from, to, message] of entries) writer.append(entryEncode(from, to, message));
      t.is(writer.count, entries.length);
      const frame = writer.seal();
      t.is(writer.count, 0, "sealing starts a new batch");
      const reader = new FrameReader(1 << 20);
      reader.push(frame);
      const body = reader.next();
      if (body === null || isFrameDefect(body)) return t.fail("the sealed frame does not read back");
      t.is(body.length + frameHeaderBytes, frame.length);
      const decoded = batchDecode(body, "n1", limits);
      t.true(decoded.ok);
      if (decoded.ok) t.deepEqual(decoded.value, entries.map(([from, to, message]) => [from, to, JSON.parse(JSON.stringify(message))]));
    },
  ), { numRuns: 200, seed: 11 });
});

test("binary values come back as Uint8Array, locally and from a frame", (t) => {
  const bytes = new Uint8Array([0, 1, 255]);
  t.deepEqual(entryDecode(entryEncode("a", "b", { bytes })), { bytes });
  const writer = new BatchWriter("n1", 64);
  writer.append(entryEncode("a", "b", bytes));
  const decoded = batchDecode(writer.seal().subarray(frameHeaderBytes), "n1", limits);
  t.true(decoded.ok && decoded.value[0]![2] instanceof Uint8Array && !Buffer.isBuffer(decoded.value[0]![2]));
});

test("every wrong body is an error value with a code", (t) => {
  const cases: Array<[string, Uint8Array, ErrorCode]> = [
    ["truncated msgpack", new Uint8Array([0xd9, 0x10, 0x61]), ErrorCode.frameCorrupt],
    ["trailing bytes", new Uint8Array([0x01, 0x02]), ErrorCode.frameCorrupt],
    ["a number", transportPackr.pack(5), ErrorCode.messageInvalid],
    ["another process", transportPackr.pack({ process: "n2", messages: [["a", "b", 1]] }), ErrorCode.messageInvalid],
    ["no messages", transportPackr.pack({ process: "n1", messages: [] }), ErrorCode.messageInvalid],
    ["too many", transportPackr.pack({ process: "n1", messages: Array.from({ length: 101 }, () => ["a", "b", 1]) }), ErrorCode.limitExceeded],
    ["an entry of two", transportPackr.pack({ process: "n1", messages: [["a", "b"]] }), ErrorCode.messageInvalid],
    ["a numeric target", transportPackr.pack({ process: "n1", messages: [["a", 7, 1]] }), ErrorCode.messageInvalid],
    ["an over-long sender", transportPackr.pack({ process: "n1", messages: [["a".repeat(1025), "b", 1]] }), ErrorCode.messageInvalid],
  ];
  for (const [what, body, code] of cases) {
    const decoded = batchDecode(body, "n1", limits);
    t.false(decoded.ok, what);
    if (!decoded.ok) t.is(decoded.code, code, what);
  }
});
