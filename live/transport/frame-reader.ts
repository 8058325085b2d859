// Cuts a TCP byte stream into frames: u32 LE body length, u32 LE CRC32 of the body, then the
// body (the same framing as log records, engine/io/frame.ts). Socket chunks arrive at arbitrary
// boundaries, so bytes are gathered in one reused buffer; a frame is handed out as a view of it,
// valid until the next `push`, and the caller decodes it at once (msgpackr with copyBuffers, so
// nothing decoded aliases the view).
//
// The length is checked before a single body byte is buffered: a header that claims more than
// `bodyBytesMax` is refused at once, so a peer cannot make this process reserve memory by
// announcing a large frame. Before the handshake `bodyBytesMax` is small (handshake frames are
// tiny); the connection raises it once the peer has authenticated.

import { crc32, frameHeaderBytes } from "../../engine/io/frame.ts";

/** `next()` found no complete frame yet; push more bytes. */
export const frameIncomplete = null;

/** Why the stream cannot be read further; the connection must be closed. */
export type FrameDefect = { readonly defect: "length" | "crc"; readonly reason: string };

/** Starting size of the gathering buffer; it grows for large frames and shrinks back when empty. */
const bufferBytesInitial = 64 * 1024;

export class FrameReader {
  private buffer = Buffer.allocUnsafe(bufferBytesInitial);
  private start = 0;
  private end = 0;

  constructor(public bodyBytesMax: number) {}

  /** Bytes received but not yet handed out as frames. */
  get bufferedBytes(): number {
    return this.end - this.start;
  }

  /** Appends a chunk from the socket; copied, so a small frame never pins a large chunk. */
  push(chunk: Uint8Array): void {
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      if (this.buffer.length > bufferBytesInitial && chunk.length <= bufferBytesInitial) {
        this.buffer = Buffer.allocUnsafe(bufferBytesInitial);
      }
    }
    if (this.end + chunk.length > this.buffer.length) this.makeRoom(chunk.length);
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The next frame's body, frameIncomplete, or a defect (after which the stream is unusable). */
  next(): Buffer | typeof frameIncomplete | FrameDefect {
    const available = this.end - this.start;
    if (available < frameHeaderBytes) return frameIncomplete;
    const length = this.buffer.readUInt32LE(this.start);
    if (length === 0 || length > this.bodyBytesMax) {
      return { defect: "length", reason: `frame header announces ${length} bytes; the limit here is 1..${this.bodyBytesMax}` };
    }
    if (available < frameHeaderBytes + length) return frameIncomplete;
    const bodyStart = this.start + frameHeaderBytes;
    const bodyEnd = bodyStart + length;
    const expected = this.buffer.readUInt32LE(this.start + 4);
    const actual = crc32(this.buffer, bodyStart, bodyEnd);
    if (actual !== expected) {
      return { defect: "crc", reason: `frame of ${length} bytes fails its CRC32 (header ${expected}, body ${actual})` };
    }
    this.start = bodyEnd;
    return this.buffer.subarray(bodyStart, bodyEnd);
  }

  /** Moves the unread bytes to the front, growing the buffer when they and `incoming` do not fit. */
  private makeRoom(incoming: number): void {
    const kept = this.end - this.start;
    const needed = kept + incoming;
    const target = needed > this.buffer.length ? Buffer.allocUnsafe(Math.max(needed, 2 * this.buffer.length)) : this.buffer;
    this.buffer.copy(target, 0, this.start, this.end);
    this.buffer = target;
    this.start = 0;
    this.end = kept;
  }
}

/** Narrows a `next()` result to a defect. */
export function isFrameDefect(value: Buffer | FrameDefect | null): value is FrameDefect {
  return value !== null && !(value instanceof Uint8Array);
}
