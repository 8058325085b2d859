// Tests of frame.ts: CRC32 is the IEEE CRC on both code paths, frames round-trip, and every kind
// of damaged tail (truncated, bit-flipped, garbage, zeros) is cut at the end of the last intact
// frame. Property tests run with fixed seeds so a failure reproduces.

import test from "ava";
import fc from "fast-check";
import { crc32 as zlibCrc32 } from "node:zlib";
import { crc32, frameBodyBytesMax, frameEncode, frameHeaderBytes, framesScan, frameWrite } from "./frame.ts";
import { LogDeviceMemory } from "./log-device-memory.ts";

const runs = { seed: 20240101, numRuns: 150 };

function deviceOf(chunks: Uint8Array[]): LogDeviceMemory {
  const device = new LogDeviceMemory();
  for (const chunk of chunks) device.append(chunk);
  return device;
}

function scanAll(device: LogDeviceMemory): { scan: ReturnType<typeof framesScan>; bodies: Uint8Array[]; offsets: number[] } {
  const bodies: Uint8Array[] = [];
  const offsets: number[] = [];
  const scan = framesScan(device, device.begin(), (offset, body) => {
    offsets.push(offset);
    bodies.push(body.slice());
  });
  return { scan, bodies, offsets };
}

const bodiesArb = fc.array(fc.uint8Array({ minLength: 1, maxLength: 700 }), { minLength: 1, maxLength: 20 });

test("crc32 gives the standard check value for '123456789' and 0 for no bytes", (t) => {
  t.is(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  t.is(crc32(new Uint8Array(0)), 0);
});

test("crc32 agrees with node:zlib on any range, on both the table and the zlib path", (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 1200 }), fc.nat(), fc.nat(), (bytes, a, b) => {
    const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
    const end = start + (b % (bytes.length - start + 1));
    return crc32(bytes, start, end) === zlibCrc32(bytes.subarray(start, end));
  }), runs);
  t.pass();
});

test("frames round-trip: every body comes back, in order, at the offset it was written", (t) => {
  fc.assert(fc.property(bodiesArb, (bodies) => {
    const frames = bodies.map(frameEncode);
    const { scan, bodies: seen, offsets } = scanAll(deviceOf(frames));
    const total = frames.reduce((sum, frame) => sum + frame.length, 0);
    let at = 0;
    for (let i = 0; i < bodies.length; i++) {
      if (offsets[i] !== at) return false;
      at += frames[i]!.length;
    }
    return scan.frames === bodies.length && !scan.torn && scan.validEnd === total &&
      seen.every((body, i) => Buffer.from(body).equals(bodies[i]!));
  }), runs);
  t.pass();
});

test("frameWrite writes into a larger buffer at an offset and returns header plus body", (t) => {
  const body = new Uint8Array([1, 2, 3, 4, 5]);
  const target = new Uint8Array(40);
  const written = frameWrite(target, 7, body);
  t.is(written, frameHeaderBytes + body.length);
  t.deepEqual(target.subarray(7, 7 + written), frameEncode(body));
  t.throws(() => frameWrite(target, 35, body), { message: /does not fit/ });
  t.throws(() => frameWrite(target, 0, new Uint8Array(0)), { message: /empty/ });
});

test("a truncated last frame is cut: validEnd is where that frame starts", (t) => {
  fc.assert(fc.property(bodiesArb, fc.nat(), (bodies, cut) => {
    const frames = bodies.map(frameEncode);
    const last = frames[frames.length - 1]!;
    const keep = cut % last.length; // 0 .. length-1: always incomplete
    const start = frames.slice(0, -1).reduce((sum, frame) => sum + frame.length, 0);
    const { scan } = scanAll(deviceOf([...frames.slice(0, -1), last.subarray(0, keep)]));
    return scan.validEnd === start && scan.frames === frames.length - 1 && scan.torn === keep > 0;
  }), runs);
  t.pass();
});

test("a flipped bit anywhere in frame k cuts the log at frame k", (t) => {
  fc.assert(fc.property(bodiesArb, fc.nat(), fc.nat(), (bodies, pick, bit) => {
    const frames = bodies.map((body) => frameEncode(body));
    const k = pick % frames.length;
    const target = frames[k]!;
    const byte = bit % target.length;
    target[byte]! ^= 1 << (bit % 8);
    const start = frames.slice(0, k).reduce((sum, frame) => sum + frame.length, 0);
    const { scan } = scanAll(deviceOf(frames));
    return scan.validEnd === start && scan.frames === k && scan.torn;
  }), runs);
  t.pass();
});

test("garbage or zeros after valid frames are cut at the end of the last valid frame", (t) => {
  fc.assert(fc.property(bodiesArb, fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.boolean(), (bodies, garbage, zeros) => {
    const frames = bodies.map(frameEncode);
    const tail = zeros ? new Uint8Array(garbage.length) : garbage;
    const total = frames.reduce((sum, frame) => sum + frame.length, 0);
    const { scan } = scanAll(deviceOf([...frames, tail]));
    return scan.validEnd === total && scan.frames === frames.length && scan.torn;
  }), runs);
  t.pass();
});

test("a length above frameBodyBytesMax is treated as garbage, not read", (t) => {
  const header = new Uint8Array(frameHeaderBytes);
  new DataView(header.buffer).setUint32(0, frameBodyBytesMax + 1, true);
  const device = deviceOf([frameEncode(new Uint8Array([9])), header, new Uint8Array(64)]);
  const { scan } = scanAll(device);
  t.deepEqual(scan, { validEnd: frameHeaderBytes + 1, torn: true, frames: 1 });
});

test("scan starts at a frame boundary after a truncated prefix and spans large frames", (t) => {
  const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7) & 0xff);
  const small = new Uint8Array([1, 2, 3]);
  const device = deviceOf([frameEncode(small), frameEncode(big), frameEncode(small)]);
  device.truncatePrefix(frameHeaderBytes + small.length);
  const { scan, bodies } = scanAll(device);
  t.is(scan.frames, 2);
  t.false(scan.torn);
  t.true(Buffer.from(bodies[0]!).equals(big));
  t.deepEqual(bodies[1], small);
});
