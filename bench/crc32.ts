// CRC32 throughput of engine/io/frame.ts on small bodies, the size of typical log records.
// Reports MB/s for 128-byte bodies (`value`), and as context the same for 64, 512 and 4096 bytes,
// records/s at 128 bytes, and node:zlib's crc32 on the same inputs (the comparison that set the
// table/zlib crossover in frame.ts). Args: [bytesPerRun] (default 200,000,000).

import { performance } from "node:perf_hooks";
import * as zlib from "node:zlib";
import { crc32 } from "../engine/io/frame.ts";
import type { BenchResult } from "./run.ts";

const bodiesPerBuffer = 64;

type Checksum = (bytes: Uint8Array, start: number, end: number) => number;

const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** MB/s of `checksum` over `totalBytes` worth of `size`-byte bodies, best of three runs. */
function measure(checksum: Checksum, size: number, totalBytes: number): number {
  const buffer = new Uint8Array(size * bodiesPerBuffer);
  for (let i = 0; i < buffer.length; i++) buffer[i] = (Math.imul(i, 2654435761) >>> 24) & 0xff;
  const iterations = Math.max(1, Math.floor(totalBytes / size));
  let best = 0;
  let sink = 0;
  for (let round = 0; round < 3; round++) {
    const startMs = performance.now();
    for (let i = 0; i < iterations; i++) {
      const at = (i % bodiesPerBuffer) * size;
      sink ^= checksum(buffer, at, at + size);
    }
    const elapsedMs = performance.now() - startMs;
    best = Math.max(best, (iterations * size) / (elapsedMs * 1000));
  }
  if (sink === 0.5) process.stdout.write(""); // keeps `sink` alive
  return best;
}

export async function run(args: string[]): Promise<BenchResult> {
  const totalBytes = args[0] === undefined ? 200_000_000 : Number(args[0]);
  if (!(Number.isInteger(totalBytes) && totalBytes > 0)) {
    throw new Error(`bytesPerRun must be a positive integer, got ${args[0]}`);
  }
  const ours: Record<string, number> = {};
  const zlibs: Record<string, number> = {};
  for (const size of [64, 128, 512, 4096]) {
    ours[`mbPerS${size}`] = Math.round(measure(crc32, size, totalBytes / 4));
    if (zlibCrc32 !== undefined) {
      const viaZlib: Checksum = (bytes, start, end) => zlibCrc32(bytes.subarray(start, end));
      zlibs[`zlibMbPerS${size}`] = Math.round(measure(viaZlib, size, totalBytes / 4));
    }
    process.stderr.write(`crc32 ${size} B: ${ours[`mbPerS${size}`]} MB/s (zlib ${zlibs[`zlibMbPerS${size}`] ?? "n/a"} MB/s)\n`);
  }
  const mbPerS128 = measure(crc32, 128, totalBytes);
  return {
    bench: "crc32",
    value: Math.round(mbPerS128),
    unit: "MB/s at 128 B",
    recordsPerS128: Math.round((mbPerS128 * 1e6) / 128),
    ...ours,
    ...zlibs,
    node: process.version,
  };
}
