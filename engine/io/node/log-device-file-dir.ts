// The on-disk layout of a LogDeviceFile directory, and the synchronous file operations on it.
//
// A log is a directory of segment files named by the absolute offset of their first byte
// (`00000000000000000000.log`, 20 decimal digits so names sort as numbers), plus `meta.json`
// holding the logical begin offset. Naming segments by offset keeps offsets stable when a prefix
// is dropped: deleting whole segments renumbers nothing. `meta.json` is replaced atomically
// (write a temporary file, fsync it, rename over, fsync the directory) so a crash leaves either
// the old or the new begin, never a torn one.
//
// Every I/O failure becomes SsmsError(deviceFailed) naming the file, so an operator sees which
// disk and which file broke.

import * as fs from "node:fs";
import { join } from "node:path";
import { ErrorCode, SsmsError } from "../errors.ts";

/** One segment file: bytes [start, start + sizeBytes) of the log. */
export type Segment = {
  readonly start: number;
  readonly path: string;
  readonly fd: number;
  sizeBytes: number;
  /** Written since the last fdatasync was started. */
  dirty: boolean;
};

const segmentDigits = 20;
const segmentPattern = /^(\d{20})\.log$/;
const metaName = "meta.json";
const metaTemporaryName = "meta.json.tmp";

export function deviceError(action: string, path: string, cause: unknown): SsmsError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new SsmsError(ErrorCode.deviceFailed, `log device: ${action} ${path} failed: ${reason}`, { path });
}

/** Runs `body`, turning any thrown error into deviceFailed naming `path`. */
export function io<T>(action: string, path: string, body: () => T): T {
  try {
    return body();
  } catch (cause) {
    throw deviceError(action, path, cause);
  }
}

export function segmentPath(dir: string, start: number): string {
  return join(dir, `${String(start).padStart(segmentDigits, "0")}.log`);
}

/** Creates (or empties) the segment file starting at `start` and opens it read-write. */
export function segmentCreate(dir: string, start: number): Segment {
  const path = segmentPath(dir, start);
  const fd = io("create segment", path, () => fs.openSync(path, "w+"));
  return { start, path, fd, sizeBytes: 0, dirty: false };
}

/** Opens every segment file in `dir`, sorted by start offset, with its size on disk, synced. */
export function segmentsOpen(dir: string): Segment[] {
  const names = io("list", dir, () => fs.readdirSync(dir)).filter((name) => segmentPattern.test(name)).sort();
  const segments: Segment[] = [];
  try {
    for (const name of names) {
      const path = join(dir, name);
      const fd = io("open segment", path, () => fs.openSync(path, "r+"));
      segments.push({ start: Number(name.slice(0, segmentDigits)), path, fd, sizeBytes: 0, dirty: false });
      segments[segments.length - 1]!.sizeBytes = io("stat segment", path, () => fs.fstatSync(fd).size);
      // Bytes a killed process wrote but never synced may sit in the page cache only; syncing
      // here makes "everything on disk at open is durable" true.
      io("fdatasync", path, () => fs.fdatasyncSync(fd));
    }
  } catch (error) {
    for (const segment of segments) fs.closeSync(segment.fd);
    throw error;
  }
  return segments;
}

/** Deletes a segment file; the caller closes its descriptor (maybe later, see closeDeferred). */
export function segmentUnlink(segment: Segment): void {
  io("delete segment", segment.path, () => fs.unlinkSync(segment.path));
}

/** Cuts a segment file to `sizeBytes` and makes the cut durable before returning. */
export function segmentTruncate(segment: Segment, sizeBytes: number): void {
  io("truncate", segment.path, () => fs.ftruncateSync(segment.fd, sizeBytes));
  io("fsync", segment.path, () => fs.fsyncSync(segment.fd));
  segment.sizeBytes = sizeBytes;
}

/** Writes all of source[from, from + length) at `position` of the file, looping on short writes. */
export function writeFully(fd: number, path: string, source: Uint8Array, from: number, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    done += io("write", path, () => fs.writeSync(fd, source, from + done, length - done, position + done));
  }
}

/** Reads exactly `length` bytes at `position` into target[at…]; a short file is a device failure. */
export function readFully(fd: number, path: string, target: Uint8Array, at: number, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const n = io("read", path, () => fs.readSync(fd, target, at + done, length - done, position + done));
    if (n === 0) {
      throw deviceError("read", path, new Error(`file ends before byte ${position + length}`));
    }
    done += n;
  }
}

/** The begin offset recorded in meta.json, or 0 for a log that never dropped a prefix. */
export function metaRead(dir: string): number {
  const path = join(dir, metaName);
  if (!fs.existsSync(path)) return 0;
  const text = io("read", path, () => fs.readFileSync(path, "utf8"));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw deviceError("parse", path, cause);
  }
  const begin = (parsed as { beginOffset?: unknown } | null)?.beginOffset;
  if (!(typeof begin === "number" && Number.isSafeInteger(begin) && begin >= 0)) {
    throw deviceError("parse", path, new Error(`beginOffset must be a non-negative integer, got ${JSON.stringify(begin)}`));
  }
  return begin;
}

/** Replaces meta.json atomically and durably. */
export function metaWrite(dir: string, dirFd: number, beginOffset: number): void {
  const temporary = join(dir, metaTemporaryName);
  const text = `${JSON.stringify({ version: 1, beginOffset })}\n`;
  const fd = io("create", temporary, () => fs.openSync(temporary, "w"));
  try {
    io("write", temporary, () => fs.writeFileSync(fd, text));
    io("fsync", temporary, () => fs.fsyncSync(fd));
  } finally {
    fs.closeSync(fd);
  }
  io("rename", temporary, () => fs.renameSync(temporary, join(dir, metaName)));
  dirSync(dir, dirFd);
}

/** Makes the directory's entries (created, renamed, deleted files) durable. */
export function dirSync(dir: string, dirFd: number): void {
  io("fsync directory", dir, () => fs.fsyncSync(dirFd));
}

/** Creates the directory if needed and opens it for fsync. */
export function dirOpen(dir: string): number {
  io("create directory", dir, () => fs.mkdirSync(dir, { recursive: true }));
  return io("open directory", dir, () => fs.openSync(dir, "r"));
}

export function fdClose(fd: number, path: string): void {
  io("close", path, () => fs.closeSync(fd));
}
