// LogStoreChunked: the bytes of a simulated log device, kept in fixed-size chunks.
//
// Why chunks and not one growable buffer (LogDeviceMemory): a simulation keeps a thousand logs
// that grow for the whole run. A growable buffer doubles by copying, so every byte is written
// two or three times into memory the process touches for the first time, and the old and new
// buffers are alive together at each doubling; first touches of memory are what a large run pays
// most for after the computation itself. Chunks are written once, never moved, and the chunks
// wholly before a truncated prefix are released, so memory follows the live log.
//
// Same contract as LogDeviceMemory's byte store: append copies; read copies; view is a view when
// the range lies in one chunk (a copy otherwise); truncateTail lets later appends overwrite the
// cut bytes in place, as a real device does.

import { assert } from "../engine/io/assert.ts";

const chunkBytes = 256 * 1024;

export class LogStoreChunked {
  /** chunks[i] holds absolute bytes [(firstChunk + i) × chunkBytes, …). */
  private chunks: Uint8Array[] = [];
  private firstChunk = 0;
  /**
   * One chunk released from the head, kept for the next chunk the tail needs: a log in steady
   * state frees a chunk at its head about as often as it fills one at its tail, and reusing it
   * skips zeroing and first-touching fresh memory. Its old bytes lie outside [begin, end), so no
   * read ever sees them.
   */
  private spare: Uint8Array | null = null;
  private beginOffset = 0;
  private endOffset = 0;
  private closed = false;

  append(bytes: Uint8Array): number {
    assert(!this.closed, "append on a closed device");
    const start = this.endOffset;
    let at = start;
    let from = 0;
    const length = bytes.length;
    while (from < length) {
      const chunk = this.chunkFor(at);
      const inChunk = at % chunkBytes;
      const count = Math.min(length - from, chunkBytes - inChunk);
      chunk.set(from === 0 && count === length ? bytes : bytes.subarray(from, from + count), inChunk);
      from += count;
      at += count;
    }
    this.endOffset = start + length;
    return start;
  }

  begin(): number {
    return this.beginOffset;
  }

  end(): number {
    return this.endOffset;
  }

  read(offset: number, length: number): Uint8Array {
    this.rangeCheck(offset, length);
    const out = new Uint8Array(length);
    let at = offset;
    let to = 0;
    while (to < length) {
      const inChunk = at % chunkBytes;
      const count = Math.min(length - to, chunkBytes - inChunk);
      out.set(this.chunkAt(at).subarray(inChunk, inChunk + count), to);
      to += count;
      at += count;
    }
    return out;
  }

  /**
   * A view without copying when the range lies in one chunk (the usual case), else a copy. The
   * view is valid until its bytes are truncated (their chunk may then be reused).
   */
  view(offset: number, length: number): Uint8Array {
    this.rangeCheck(offset, length);
    const inChunk = offset % chunkBytes;
    if (length === 0 || inChunk + length > chunkBytes) return this.read(offset, length);
    return this.chunkAt(offset).subarray(inChunk, inChunk + length);
  }

  /** Forgets bytes before `offset`; chunks wholly before it are released. */
  truncatePrefix(offset: number): void {
    assert(offset >= this.beginOffset && offset <= this.endOffset, "truncatePrefix outside stored range");
    this.beginOffset = offset;
    const keepFrom = Math.floor(offset / chunkBytes) - this.firstChunk;
    if (keepFrom <= 0) return;
    const drop = Math.min(keepFrom, this.chunks.length);
    const dropped = this.chunks.splice(0, drop);
    this.firstChunk += drop;
    if (this.spare === null && drop > 0) this.spare = dropped[drop - 1]!;
  }

  /** Cuts the log at `offset`; chunks wholly after it are released. */
  truncateTail(offset: number): void {
    assert(offset >= this.beginOffset && offset <= this.endOffset, "truncateTail outside stored range");
    this.endOffset = offset;
    const keep = Math.ceil(offset / chunkBytes) - this.firstChunk;
    if (keep >= 0 && keep < this.chunks.length) this.chunks.length = keep;
  }

  close(): void {
    this.closed = true;
  }

  /** Bytes currently stored. */
  sizeBytes(): number {
    return this.endOffset - this.beginOffset;
  }

  // The checks below test before calling assert so the message is only built on failure.
  private rangeCheck(offset: number, length: number): void {
    if (!(offset >= this.beginOffset && length >= 0 && offset + length <= this.endOffset)) {
      assert(false, `read [${offset}, ${offset + length}) outside stored [${this.beginOffset}, ${this.endOffset})`);
    }
  }

  private chunkAt(offset: number): Uint8Array {
    const chunk = this.chunks[Math.floor(offset / chunkBytes) - this.firstChunk];
    if (chunk === undefined) assert(false, `no chunk holds offset ${offset}`);
    return chunk;
  }

  /** The chunk that byte `offset` goes to, allocated (with any before it) on first use. */
  private chunkFor(offset: number): Uint8Array {
    const index = Math.floor(offset / chunkBytes);
    if (this.chunks.length === 0 && index > this.firstChunk) this.firstChunk = index;
    const position = index - this.firstChunk;
    if (!(position >= 0)) assert(false, `append at ${offset} falls before the first chunk kept`);
    while (this.chunks.length <= position) {
      this.chunks.push(this.spare ?? new Uint8Array(chunkBytes));
      this.spare = null;
    }
    return this.chunks[position]!;
  }
}
