// FrameBuffer: a reusable, growable byte buffer that group commit fills with frames. Encoders
// write a record's body in place after room for the frame header, then `frameEnd` writes the
// header (length, CRC32; the layout of engine/io/frame.ts) over it, so a body is never copied
// twice. codec.test.ts checks that framesScan reads these frames back.

import { assert } from "../io/assert.ts";
import { crc32, frameBodyBytesMax, frameHeaderBytes } from "../io/frame.ts";

assert(frameHeaderBytes === 8, "FrameBuffer writes the 8-byte header of engine/io/frame.ts");

// Small to start: a simulation runs a thousand DARQs, and the buffer grows on demand.
const capacityBytesInitial = 64 * 1024;

export class FrameBuffer {
  bytes = new Uint8Array(capacityBytesInitial);
  view = new DataView(this.bytes.buffer);
  /** Bytes of complete frames. */
  used = 0;
  frames = 0;
  /** Start of the frame being written, or -1. */
  private frameAt = -1;

  /** Starts a frame whose body takes at most `bodyBytesMax`; returns where the body starts. */
  frameBegin(bodyBytesMax: number): number {
    assert(this.frameAt === -1, "frameBegin inside an open frame");
    this.reserve(frameHeaderBytes + bodyBytesMax);
    this.frameAt = this.used;
    return this.used + frameHeaderBytes;
  }

  /** Seals the open frame whose body ends at `bodyEnd`; returns the frame's offset in the buffer. */
  frameEnd(bodyEnd: number): number {
    const at = this.frameAt;
    const bodyStart = at + frameHeaderBytes;
    const length = bodyEnd - bodyStart;
    if (at === -1 || length <= 0 || length > frameBodyBytesMax || bodyEnd > this.bytes.length) {
      assert(false, `frame body of ${length} bytes is empty, too large or overran its reservation`);
    }
    const view = this.view;
    view.setUint32(at, length, true);
    view.setUint32(at + 4, crc32(this.bytes, bodyStart, bodyEnd), true);
    this.used = bodyEnd;
    this.frames++;
    this.frameAt = -1;
    return at;
  }

  /** A copy of the complete frames (the device may keep it), and the buffer emptied for reuse. */
  take(): Uint8Array {
    assert(this.frameAt === -1, "take inside an open frame");
    const out = this.bytes.slice(0, this.used);
    this.used = 0;
    this.frames = 0;
    return out;
  }

  /**
   * The complete frames as a view into the buffer (no copy, no allocation of bytes), and the
   * buffer emptied for reuse: valid only until the next frameBegin. For appending to a log
   * device, whose append copies (engine/io/log-device.ts).
   */
  takeView(): Uint8Array {
    assert(this.frameAt === -1, "take inside an open frame");
    const out = this.bytes.subarray(0, this.used);
    this.used = 0;
    this.frames = 0;
    return out;
  }

  private reserve(extraBytes: number): void {
    const needed = this.used + extraBytes;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length;
    while (capacity < needed) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.bytes.subarray(0, this.used));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }
}

/**
 * Writes `text` as UTF-8 at `at` (room for 3 bytes per UTF-16 unit reserved by the caller);
 * returns the end. ASCII, the usual case for ids, takes a plain loop.
 */
export function utf8Write(bytes: Uint8Array, at: number, text: string): number {
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80) return at + encoder.encodeInto(text, bytes.subarray(at)).written;
    bytes[at + index] = code;
  }
  return at + length;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads `length` bytes of UTF-8 at `at`. */
export function utf8Read(bytes: Uint8Array, at: number, length: number): string {
  if (length < 24) {
    let text = "";
    for (let index = 0; index < length; index++) {
      const code = bytes[at + index]!;
      if (code >= 0x80) return decoder.decode(bytes.subarray(at, at + length));
      text += String.fromCharCode(code);
    }
    return text;
  }
  return decoder.decode(bytes.subarray(at, at + length));
}

/** Upper bound of the UTF-8 size of `text`. */
export function utf8BytesMax(text: string): number {
  return text.length * 3;
}
