// Proves the runtime's body formats: envelopes carry target, message and reply-to through a
// msgpack round trip; SELF records (events, snapshot, dead letter) decode to what was encoded;
// anything else is refused with SSMS_ERR_MESSAGE_INVALID instead of being misread.

import test from "ava";
import fc from "fast-check";
import { ErrorCode } from "../io/errors.ts";
import {
  envelopeDecode, envelopeEncode, messageEncode, packr, selfDeadLetterEncode, selfDecode, selfEventsEncode,
  selfSnapshotEncode, SelfKind, type DeadLetter,
} from "./codec.ts";
import { counter } from "./example-counter.ts";

// msgpackr renames a `__proto__` key on decode (prototype-pollution guard), so messages must not
// use that key; the generator leaves it out.
const plainValue = fc.jsonValue().filter((value) => !JSON.stringify(value).includes('"__proto__"'));

test("an envelope round-trips target, message and reply-to", (t) => {
  fc.assert(fc.property(plainValue, fc.boolean(), (message, withReply) => {
    const body = envelopeEncode("counter/a", message, withReply ? "client/1" : undefined);
    const decoded = envelopeDecode(body);
    // msgpack, like JSON, has no negative zero: -0 arrives as 0, so compare with the JSON form.
    const expected: unknown = JSON.parse(JSON.stringify(message));
    t.deepEqual(decoded, { ok: true, value: { to: "counter/a", message: expected, replyTo: withReply ? "client/1" : undefined } });
  }));
});

test("messageEncode is the typed envelope for a ref", (t) => {
  const body = messageEncode(counter.ref("a"), { type: "add", amount: 1 });
  t.deepEqual(envelopeDecode(body), { ok: true, value: { to: "counter/a", message: { type: "add", amount: 1 }, replyTo: undefined } });
});

test("bytes held by a decoded message are copies, not views into the body", (t) => {
  const body = envelopeEncode("blob/a", { bytes: new Uint8Array([1, 2, 3]) });
  const decoded = envelopeDecode(body);
  body.fill(0);
  t.deepEqual(decoded.ok && [...(decoded.value.message as { bytes: Uint8Array }).bytes], [1, 2, 3]);
});

const notEnvelopes: [string, Uint8Array][] = [
  ["not msgpack", new Uint8Array([0xc1])],
  ["a bare message", packr.pack({ type: "add" })],
  ["no target", packr.pack([7, { type: "add" }])],
  ["a target without a slash", packr.pack(["counter", {}])],
  ["a malformed reply-to", packr.pack(["counter/a", {}, 9])],
  ["too many fields", packr.pack(["counter/a", {}, "c/1", 4])],
];

for (const [what, body] of notEnvelopes) {
  test(`an IN body that is ${what} is refused as SSMS_ERR_MESSAGE_INVALID`, (t) => {
    const decoded = envelopeDecode(body);
    t.is(decoded.ok ? undefined : decoded.code, ErrorCode.messageInvalid);
  });
}

test("SELF records round-trip: events with their step time, snapshots with dead letters, dead letters", (t) => {
  const letter: DeadLetter = { lsn: 9, body: new Uint8Array([1, 2]), reason: "SSMS_ERR_HANDLER_FAILED: x", attempts: 3, nowUs: 77 };
  t.deepEqual(selfDecode(selfEventsEncode(1_234, [{ type: "added", amount: 2 }, "x"])),
    { ok: true, value: { kind: SelfKind.events, nowUs: 1_234, events: [{ type: "added", amount: 2 }, "x"] } });
  const snapshot = selfDecode(selfSnapshotEncode({ count: 3 }, [letter]));
  t.deepEqual(snapshot.ok && snapshot.value.kind === SelfKind.snapshot && [snapshot.value.snapshot, snapshot.value.deadLetters.map(
    (l) => ({ ...l, body: [...l.body] }))], [{ count: 3 }, [{ ...letter, body: [1, 2] }]]);
  const dead = selfDecode(selfDeadLetterEncode(letter));
  t.deepEqual(dead.ok && dead.value.kind === SelfKind.deadLetter && { ...dead.value.deadLetter, body: [...dead.value.deadLetter.body] },
    { ...letter, body: [1, 2] });
});

test("a SELF body this runtime did not write is refused, not misread", (t) => {
  for (const body of [packr.pack({ a: 1 }), packr.pack([9, 1]), packr.pack([SelfKind.events, "x", []]),
    packr.pack([SelfKind.snapshot, {}, [[1]]]), packr.pack([SelfKind.deadLetter, 1]), new Uint8Array([0xc1])]) {
    const decoded = selfDecode(body);
    t.is(decoded.ok ? undefined : decoded.code, ErrorCode.messageInvalid);
  }
});
