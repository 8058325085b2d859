// LogDeviceMemory: a volatile log in one growable buffer. Flushes complete synchronously (memory
// is as durable as it gets within one process); a process crash loses everything. Used for
// benchmarks of the engine alone and as the byte store under the simulated devices.

import { assert } from "./assert.ts";
import type { LogDevice } from "./log-device.ts";

const capacityBytesInitial = 64 * 1024;

export class LogDeviceMemory implements LogDevice {
  private buffer = new Uint8Array(capacityBytesInitial);
  /** Absolute offset of buffer[0]. */
  private base = 0;
  private beginOffset = 0;
  private endOffset = 0;
  private durableOffset = 0;
  private closed = false;

  append(bytes: Uint8Array): number {
    assert(!this.closed, "append on a closed device");
    const start = this.endOffset;
    this.reserve(bytes.length);
    this.buffer.set(bytes, start - this.base);
    this.endOffset = start + bytes.length;
    return start;
  }

  flush(callback: (error: Error | null) => void): void {
    assert(!this.closed, "flush on a closed device");
    this.durableOffset = this.endOffset;
    callback(null);
  }

  begin(): number {
    return this.beginOffset;
  }

  end(): number {
    return this.endOffset;
  }

  durableEnd(): number {
    return this.durableOffset;
  }

  read(offset: number, length: number): Uint8Array {
    assert(offset >= this.beginOffset && length >= 0 && offset + length <= this.endOffset,
      `read [${offset}, ${offset + length}) outside stored [${this.beginOffset}, ${this.endOffset})`);
    const at = offset - this.base;
    return this.buffer.slice(at, at + length);
  }

  /** A view without copying, for readers on the hot path that do not keep the bytes. */
  view(offset: number, length: number): Uint8Array {
    assert(offset >= this.beginOffset && offset + length <= this.endOffset, "view outside stored range");
    const at = offset - this.base;
    return this.buffer.subarray(at, at + length);
  }

  truncatePrefix(offset: number): void {
    assert(offset >= this.beginOffset && offset <= this.endOffset, "truncatePrefix outside stored range");
    this.beginOffset = offset;
  }

  truncateTail(offset: number): void {
    assert(offset >= this.beginOffset && offset <= this.endOffset, "truncateTail outside stored range");
    this.endOffset = offset;
    if (this.durableOffset > offset) this.durableOffset = offset;
  }

  close(): void {
    this.closed = true;
  }

  /** Simulates losing the unflushed tail (used by LogDeviceSim's crash model). */
  dropUnflushed(keepBytes: number): void {
    assert(keepBytes >= 0 && this.durableOffset + keepBytes <= this.endOffset, "keepBytes beyond the tail");
    this.endOffset = this.durableOffset + keepBytes;
  }

  /** Bytes currently stored. */
  sizeBytes(): number {
    return this.endOffset - this.beginOffset;
  }

  private reserve(extraBytes: number): void {
    const used = this.endOffset - this.base;
    if (used + extraBytes <= this.buffer.length) return;
    const live = this.endOffset - this.beginOffset;
    let capacity = this.buffer.length;
    while (capacity < 2 * (live + extraBytes)) capacity *= 2;
    const liveStart = this.beginOffset - this.base;
    if (capacity === this.buffer.length) {
      this.buffer.copyWithin(0, liveStart, used);
    } else {
      const next = new Uint8Array(capacity);
      next.set(this.buffer.subarray(liveStart, used), 0);
      this.buffer = next;
    }
    this.base = this.beginOffset;
  }
}
