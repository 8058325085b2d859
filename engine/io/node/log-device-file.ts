// LogDeviceFile: the LogDevice seam on real files, with group commit.
//
// `append` copies bytes into a pending buffer in memory. `flush` writes the pending bytes to the
// segment files (pwrite, synchronous: it only reaches the page cache) and then runs fdatasync on
// every segment written since the last sync, asynchronously, so the event loop keeps running.
// Flushes requested while a sync is in flight wait for the next one, which covers all of them:
// one fdatasync per batch, however many flushes asked (group commit). Callbacks run in request
// order. After the first I/O failure the device refuses to promise anything more: every pending
// and later flush calls back with the same deviceFailed error (an fsync that failed once cannot
// be retried safely), and the owner must reopen the directory.
//
// Crash model (what `open` finds): every flushed byte, plus any prefix of what was written but
// not yet synced, possibly with a garbled tail. Segments are filled in order and all are synced
// before a flush is acknowledged, so a segment that ends short of the next one's start marks the
// end of the log; later segments hold only unacknowledged bytes and are deleted.
// Layout of the directory and the file operations: log-device-file-dir.ts.

import { assert } from "../assert.ts";
import { ErrorCode, SsmsError } from "../errors.ts";
import type { LogDevice } from "../log-device.ts";
import { LogDeviceFileSync } from "./log-device-file-sync.ts";
import {
  dirOpen, dirSync, fdClose, metaRead, metaWrite, readFully, type Segment, segmentCreate,
  segmentsOpen, segmentTruncate, segmentUnlink, writeFully,
} from "./log-device-file-dir.ts";

export type LogDeviceFileOptions = {
  /** Size at which a new segment file starts; default 64 MiB. */
  segmentBytes?: number;
};

const segmentBytesDefault = 64 * 1024 * 1024;
const pendingBytesInitial = 64 * 1024;
const pendingBytesKeptMax = 16 * 1024 * 1024;

export class LogDeviceFile implements LogDevice {
  private readonly segments: Segment[];
  private beginOffset: number;
  private endOffset: number;
  /** Bytes below this offset are in segment files; [writtenEnd, end) is in `pending`. */
  private writtenEnd: number;
  private pending = new Uint8Array(pendingBytesInitial);
  private readonly sync: LogDeviceFileSync;
  private closed = false;
  /** Descriptors closed (close() was called and the flush queue drained). */
  private released = false;

  private constructor(
    readonly dir: string,
    private readonly dirFd: number,
    private readonly segmentBytes: number,
    segments: Segment[],
    beginOffset: number,
  ) {
    this.segments = segments;
    this.beginOffset = beginOffset;
    const last = segments[segments.length - 1];
    this.endOffset = last === undefined ? beginOffset : last.start + last.sizeBytes;
    this.writtenEnd = this.endOffset;
    this.sync = new LogDeviceFileSync(dir, dirFd, this.endOffset, segments,
      () => this.writePending(), () => this.closeIfIdle());
  }

  /**
   * Opens the log in `dir` (created if missing). The log ends where the bytes on disk end; a
   * torn tail is still there, for the reader to find and cut with truncateTail.
   */
  static open(dir: string, options: LogDeviceFileOptions = {}): LogDeviceFile {
    const segmentBytes = options.segmentBytes ?? segmentBytesDefault;
    if (!(Number.isSafeInteger(segmentBytes) && segmentBytes > 0)) {
      throw new SsmsError(ErrorCode.configInvalid,
        `LogDeviceFile segmentBytes must be a positive integer, got ${segmentBytes} (log ${dir})`);
    }
    const dirFd = dirOpen(dir);
    let metaBegin: number;
    let segments: Segment[] = [];
    try {
      metaBegin = metaRead(dir);
      segments = segmentsOpen(dir);
      segmentsRepair(segments, metaBegin);
      dirSync(dir, dirFd); // file creations and the repair's deletions become durable too
    } catch (error) {
      for (const segment of segments) fdClose(segment.fd, segment.path);
      fdClose(dirFd, dir);
      throw error;
    }
    const first = segments[0];
    const beginOffset = first === undefined ? metaBegin : Math.max(metaBegin, first.start);
    return new LogDeviceFile(dir, dirFd, segmentBytes, segments, beginOffset);
  }

  append(bytes: Uint8Array): number {
    assert(!this.closed, `append on closed log device ${this.dir}`);
    const start = this.endOffset;
    const used = start - this.writtenEnd;
    if (used + bytes.length > this.pending.length) this.pendingGrow(used + bytes.length);
    this.pending.set(bytes, used);
    this.endOffset = start + bytes.length;
    return start;
  }

  flush(callback: (error: Error | null) => void): void {
    assert(!this.closed, `flush on closed log device ${this.dir}`);
    this.sync.request(this.endOffset, callback);
  }

  begin(): number {
    return this.beginOffset;
  }

  end(): number {
    return this.endOffset;
  }

  durableEnd(): number {
    return this.sync.durableEnd();
  }

  /** fdatasync batches completed so far (for benchmarks of group commit). */
  syncCount(): number {
    return this.sync.syncCount();
  }

  read(offset: number, length: number): Uint8Array {
    assert(!this.closed, `read on closed log device ${this.dir}`);
    assert(offset >= this.beginOffset && length >= 0 && offset + length <= this.endOffset,
      `read [${offset}, ${offset + length}) outside stored [${this.beginOffset}, ${this.endOffset}) of ${this.dir}`);
    const out = new Uint8Array(length);
    const diskEnd = Math.min(offset + length, this.writtenEnd);
    let at = offset;
    let index = this.segmentIndex(at);
    while (at < diskEnd) {
      const segment = this.segments[index]!;
      const n = Math.min(diskEnd, segment.start + segment.sizeBytes) - at;
      readFully(segment.fd, segment.path, out, at - offset, n, at - segment.start);
      at += n;
      index++;
    }
    if (at < offset + length) {
      out.set(this.pending.subarray(at - this.writtenEnd, offset + length - this.writtenEnd), at - offset);
    }
    return out;
  }

  truncatePrefix(offset: number): void {
    assert(!this.closed, `truncatePrefix on closed log device ${this.dir}`);
    assert(offset >= this.beginOffset && offset <= this.endOffset,
      `truncatePrefix(${offset}) outside [${this.beginOffset}, ${this.endOffset}] of ${this.dir}`);
    if (offset === this.beginOffset) return;
    metaWrite(this.dir, this.dirFd, offset);
    this.beginOffset = offset;
    // A segment is garbage once the next one starts at or below the new begin.
    let drop = 0;
    while (drop + 1 < this.segments.length && this.segments[drop + 1]!.start <= offset) drop++;
    for (const segment of this.segments.splice(0, drop)) this.segmentDrop(segment);
    if (drop > 0) dirSync(this.dir, this.dirFd);
  }

  truncateTail(offset: number): void {
    assert(!this.closed, `truncateTail on closed log device ${this.dir}`);
    assert(offset >= this.beginOffset && offset <= this.endOffset,
      `truncateTail(${offset}) outside [${this.beginOffset}, ${this.endOffset}] of ${this.dir}`);
    this.endOffset = offset;
    this.sync.clamp(offset);
    if (offset >= this.writtenEnd) return; // only pending bytes go; the files never held them
    let removed = false;
    for (let last = this.segments.at(-1); last !== undefined && last.start >= offset; last = this.segments.at(-1)) {
      this.segments.pop();
      this.segmentDrop(last);
      removed = true;
    }
    const last = this.segments.at(-1);
    if (last !== undefined && last.start + last.sizeBytes > offset) {
      segmentTruncate(last, offset - last.start);
    }
    if (removed) dirSync(this.dir, this.dirFd);
    this.writtenEnd = offset;
  }

  /**
   * Writes pending bytes to the files (not synced) and releases the descriptors once the flushes
   * already requested have completed. Reopen with LogDeviceFile.open.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.writePending();
    } finally {
      this.closeIfIdle();
    }
  }

  private closeIfIdle(): void {
    if (!this.closed || this.released || !this.sync.idle()) return;
    // Once only: close() inside a flush callback gets here, and then the queue reports idle too.
    this.released = true;
    this.sync.closeDeferred();
    for (const segment of this.segments) fdClose(segment.fd, segment.path);
    this.segments.length = 0;
    fdClose(this.dirFd, this.dir);
  }

  /** Moves pending bytes into the segment files, starting new segments as they fill. */
  private writePending(): number {
    const length = this.endOffset - this.writtenEnd;
    let done = 0;
    while (done < length) {
      let segment = this.segments.at(-1);
      if (segment === undefined || segment.sizeBytes >= this.segmentBytes) {
        segment = segmentCreate(this.dir, this.writtenEnd);
        this.segments.push(segment);
        this.sync.dirChanged();
      }
      const n = Math.min(length - done, this.segmentBytes - segment.sizeBytes);
      writeFully(segment.fd, segment.path, this.pending, done, n, segment.sizeBytes);
      segment.sizeBytes += n;
      segment.dirty = true;
      this.writtenEnd += n;
      done += n;
    }
    // Give back the memory of a burst; steady traffic keeps its buffer.
    if (this.pending.length > pendingBytesKeptMax) this.pending = new Uint8Array(pendingBytesInitial);
    return this.writtenEnd;
  }

  private pendingGrow(bytesMin: number): void {
    let capacity = this.pending.length;
    while (capacity < bytesMin) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.pending.subarray(0, this.endOffset - this.writtenEnd));
    this.pending = next;
  }

  /** Deletes a segment's file now; its descriptor closes once no sync uses it. */
  private segmentDrop(segment: Segment): void {
    segmentUnlink(segment);
    this.sync.closeLater(segment);
  }

  /** Index of the segment holding `offset` (which is below writtenEnd). */
  private segmentIndex(offset: number): number {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.segments[middle]!.start <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

/**
 * Cuts the segment list at the first gap (later segments hold only unacknowledged bytes) and
 * drops segments wholly below the recorded begin (a crash between writing meta.json and
 * deleting them). Deletes their files.
 */
function segmentsRepair(segments: Segment[], metaBegin: number): void {
  const drop = (list: Segment[]): void => {
    for (const segment of list) {
      fdClose(segment.fd, segment.path);
      segmentUnlink(segment);
    }
  };
  for (let i = 1; i < segments.length; i++) {
    const previous = segments[i - 1]!;
    const expected = previous.start + previous.sizeBytes;
    if (segments[i]!.start < expected) {
      throw new SsmsError(ErrorCode.deviceFailed,
        `log device: segment ${segments[i]!.path} starts inside ${previous.path}; the directory was changed by hand`);
    }
    if (segments[i]!.start > expected) {
      drop(segments.splice(i));
      break;
    }
  }
  const last = segments.at(-1);
  if (last !== undefined && last.start + last.sizeBytes < metaBegin) drop(segments.splice(0));
  let below = 0;
  while (below + 1 < segments.length && segments[below + 1]!.start <= metaBegin) below++;
  drop(segments.splice(0, below));
}
