// Framing for log records: an 8-byte header (body length, u32 LE; CRC32 of the body, u32 LE)
// followed by the body. A torn or garbled tail after a crash fails the length or CRC check, so
// recovery cuts the log at the end of the last valid frame (`framesScan`). Empty bodies are not
// allowed: a run of zero bytes (a file extended but never written) would otherwise parse as an
// endless series of valid empty frames.
//
// CRC32 is the IEEE polynomial (as zlib, gzip, PNG). Measured on Node 20 (`npm run bench --
// crc32`): slice-by-8 in JavaScript beats node:zlib's crc32 below about 256 bytes, where the call
// into C++ and the subarray view cost more than the loop; zlib wins on larger bodies. `crc32`
// picks per call. node:zlib is pure compute, so engine/ may use it.

import * as zlib from "node:zlib";
import { assert } from "./assert.ts";
import type { LogDevice } from "./log-device.ts";

export const frameHeaderBytes = 8;
/** The largest body a frame may carry; a larger length in a header means garbage. */
export const frameBodyBytesMax = 64 * 1024 * 1024;

/** Bodies at least this long go to node:zlib (measured crossover, see above). */
const zlibBytesMin = 256;
/** How much `framesScan` reads from the device at once. */
const scanChunkBytes = 1024 * 1024;

// zlib.crc32 arrived in Node 20.15; older 20.x falls back to the table loop.
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** Eight 256-entry tables for slice-by-8: table k maps a byte to its CRC shifted by k bytes. */
const table = buildTable();

function buildTable(): Int32Array {
  const result = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    result[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = result[n]!;
    for (let k = 1; k < 8; k++) {
      c = result[c & 0xff]! ^ (c >>> 8);
      result[k * 256 + n] = c;
    }
  }
  return result;
}

/** CRC32 (IEEE) of bytes[start, end), as an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  // Checked with `if` so the message is only built on failure (one call per frame written).
  if (!(start >= 0 && start <= end && end <= bytes.length)) {
    assert(false, `crc32 range [${start}, ${end}) outside a buffer of ${bytes.length} bytes`);
  }
  if (end - start >= zlibBytesMin && zlibCrc32 !== undefined) {
    return zlibCrc32(bytes.subarray(start, end), 0) >>> 0;
  }
  return crc32Table(bytes, start, end);
}

function crc32Table(b: Uint8Array, start: number, end: number): number {
  const t = table;
  let c = -1;
  let i = start;
  const end8 = end - ((end - start) & 7);
  // Eight bytes per round: two u32 words, each byte looked up in its own shifted table.
  while (i < end8) {
    const a = (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) ^ c;
    const d = b[i + 4]! | (b[i + 5]! << 8) | (b[i + 6]! << 16) | (b[i + 7]! << 24);
    c = t[1792 + (a & 0xff)]! ^ t[1536 + ((a >>> 8) & 0xff)]! ^ t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^ t[768 + (d & 0xff)]! ^ t[512 + ((d >>> 8) & 0xff)]! ^
      t[256 + ((d >>> 16) & 0xff)]! ^ t[d >>> 24]!;
    i += 8;
  }
  while (i < end) c = t[(c ^ b[i++]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function u32Write(target: Uint8Array, at: number, value: number): void {
  target[at] = value & 0xff;
  target[at + 1] = (value >>> 8) & 0xff;
  target[at + 2] = (value >>> 16) & 0xff;
  target[at + 3] = (value >>> 24) & 0xff;
}

function u32Read(source: Uint8Array, at: number): number {
  return (source[at]! | (source[at + 1]! << 8) | (source[at + 2]! << 16) | (source[at + 3]! << 24)) >>> 0;
}

/** Writes header + body into `target` at `at`; returns the bytes written. */
export function frameWrite(target: Uint8Array, at: number, body: Uint8Array): number {
  const length = body.length;
  assert(length > 0, "frame body must not be empty (zeros on disk would parse as empty frames)");
  assert(length <= frameBodyBytesMax, `frame body of ${length} bytes exceeds frameBodyBytesMax`);
  assert(at >= 0 && at + frameHeaderBytes + length <= target.length,
    `frame of ${frameHeaderBytes + length} bytes does not fit at ${at} in ${target.length} bytes`);
  u32Write(target, at, length);
  u32Write(target, at + 4, crc32(body));
  target.set(body, at + frameHeaderBytes);
  return frameHeaderBytes + length;
}

/** A new buffer holding one frame around `body`. */
export function frameEncode(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(frameHeaderBytes + body.length);
  frameWrite(out, 0, body);
  return out;
}

export type FrameScan = { validEnd: number; torn: boolean; frames: number };

/**
 * Reads frames from `from` up to device.end(), calling `onFrame(offset, body)` for each valid one
 * (`offset` is where its header starts; `body` is a view into a fresh read, safe to keep). Stops
 * at the first frame whose header is incomplete, whose length is 0 or above frameBodyBytesMax,
 * that runs past the end, or whose CRC fails. `validEnd` is where the valid prefix ends, `torn`
 * says whether bytes follow it.
 */
export function framesScan(
  device: LogDevice,
  from: number,
  onFrame: (offset: number, body: Uint8Array) => void,
): FrameScan {
  const end = device.end();
  assert(from >= device.begin() && from <= end, `framesScan from ${from} outside [${device.begin()}, ${end})`);
  let chunk: Uint8Array = new Uint8Array(0);
  let chunkStart = from;
  let at = from;
  let frames = 0;
  for (;;) {
    if (end - at < frameHeaderBytes) break;
    if (at + frameHeaderBytes > chunkStart + chunk.length) {
      chunk = device.read(at, Math.min(end - at, scanChunkBytes));
      chunkStart = at;
    }
    const length = u32Read(chunk, at - chunkStart);
    if (length === 0 || length > frameBodyBytesMax || length > end - at - frameHeaderBytes) break;
    const frameEnd = at + frameHeaderBytes + length;
    if (frameEnd > chunkStart + chunk.length) {
      chunk = device.read(at, Math.min(end - at, Math.max(frameEnd - at, scanChunkBytes)));
      chunkStart = at;
    }
    const bodyAt = at - chunkStart + frameHeaderBytes;
    if (crc32(chunk, bodyAt, bodyAt + length) !== u32Read(chunk, at - chunkStart + 4)) break;
    onFrame(at, chunk.subarray(bodyAt, bodyAt + length));
    frames++;
    at = frameEnd;
  }
  return { validEnd: at, torn: at !== end, frames };
}
