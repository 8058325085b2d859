// FrameReader cuts a byte stream into frames whatever the chunk boundaries, refuses an oversized
// length before buffering the body, and reports a CRC mismatch instead of handing out the body.

import test from "ava";
import fc from "fast-check";
import { frameEncode } from "../../engine/io/frame.ts";
import { FrameReader, frameIncomplete, isFrameDefect } from "./frame-reader.ts";

function readAll(reader: FrameReader): Uint8Array[] {
  const bodies: Uint8Array[] = [];
  for (let frame = reader.next(); frame !== frameIncomplete; frame = reader.next()) {
    if (isFrameDefect(frame)) throw new Error(frame.reason);
    bodies.push(new Uint8Array(frame));
  }
  return bodies;
}

test("frames come out intact and in order however the stream is chunked", (t) => {
  fc.assert(fc.property(
    fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 20 }),
    fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 50 }),
    (bodies, cuts) => {
      const stream = Buffer.concat(bodies.map(frameEncode));
      const reader = new FrameReader(1024);
      const out: Uint8Array[] = [];
      let at = 0;
      for (let index = 0; at < stream.length; index++) {
        const size = cuts[index % cuts.length]!;
        reader.push(stream.subarray(at, at + size));
        at += size;
        out.push(...readAll(reader));
      }
      t.deepEqual(out, bodies.map((body) => new Uint8Array(body)));
      t.is(reader.bufferedBytes, 0);
    },
  ), { numRuns: 200, seed: 7 });
});

test("a header announcing more than bodyBytesMax is refused before any body byte arrives", (t) => {
  const reader = new FrameReader(1024);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(1025, 0);
  reader.push(header);
  const result = reader.next();
  t.true(isFrameDefect(result) && result.defect === "length");
  const empty = new FrameReader(1024);
  empty.push(Buffer.alloc(8));
  t.true(isFrameDefect(empty.next()), "a zero length is refused too");
});

test("a frame whose body does not match its CRC is reported, not handed out", (t) => {
  const frame = Buffer.from(frameEncode(new Uint8Array([1, 2, 3, 4])));
  frame[9] = frame[9]! ^ 0x10;
  const reader = new FrameReader(1024);
  reader.push(frame);
  const result = reader.next();
  t.true(isFrameDefect(result) && result.defect === "crc");
});

test("raising bodyBytesMax (after the handshake) lets larger frames through", (t) => {
  const reader = new FrameReader(16);
  const body = new Uint8Array(100).fill(5);
  reader.push(frameEncode(body));
  t.true(isFrameDefect(reader.next()));
  const raised = new FrameReader(16);
  raised.bodyBytesMax = 1024;
  raised.push(frameEncode(body));
  t.deepEqual(readAll(raised), [body]);
});
