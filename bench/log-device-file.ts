// LogDeviceFile append + flush rate with group commit, on real files with fdatasync.
// `writers` clients each append one record and flush, and append the next when their flush
// calls back, so up to `writers` flushes wait at once and share fdatasync batches. Reports
// acknowledged flushes/s (`value`); as context durable bytes/s, fdatasync batches/s, records per
// batch, and the same run with one writer (each flush pays a whole fdatasync: the device's sync
// latency). Args: [durationMs] [writers] [recordBytes] [dir] (defaults 3000, 64, 128, a temp dir).

import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { LogDeviceFile } from "../engine/io/node/log-device-file.ts";
import type { BenchResult } from "./run.ts";

type Rate = { flushesPerS: number; bytesPerS: number; syncsPerS: number; recordsPerSync: number };

function measure(parent: string, durationMs: number, writers: number, recordBytes: number): Promise<Rate> {
  const dir = fs.mkdtempSync(join(parent, "ssms-bench-log-"));
  const device = LogDeviceFile.open(dir);
  const record = new Uint8Array(recordBytes).fill(7);
  const startMs = performance.now();
  let flushes = 0;
  let running = writers;
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      const elapsedS = (performance.now() - startMs) / 1000;
      const syncs = device.syncCount();
      const bytes = device.durableEnd();
      device.close();
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ flushesPerS: flushes / elapsedS, bytesPerS: bytes / elapsedS, syncsPerS: syncs / elapsedS, recordsPerSync: flushes / syncs });
    };
    const writer = (): void => {
      device.append(record);
      device.flush((error) => {
        if (error !== null) return reject(error);
        flushes++;
        if (performance.now() - startMs < durationMs) writer();
        else if (--running === 0) finish();
      });
    };
    for (let i = 0; i < writers; i++) writer();
  });
}

function positive(text: string | undefined, fallback: number, name: string): number {
  const value = text === undefined ? fallback : Number(text);
  if (!(Number.isInteger(value) && value > 0)) throw new Error(`${name} must be a positive integer, got ${text}`);
  return value;
}

export async function run(args: string[]): Promise<BenchResult> {
  const durationMs = positive(args[0], 3000, "durationMs");
  const writers = positive(args[1], 64, "writers");
  const recordBytes = positive(args[2], 128, "recordBytes");
  const parent = args[3] ?? tmpdir();
  const single = await measure(parent, Math.min(durationMs, 1000), 1, recordBytes);
  process.stderr.write(`1 writer: ${single.flushesPerS.toFixed(0)} flushes/s (one fdatasync each)\n`);
  const group = await measure(parent, durationMs, writers, recordBytes);
  process.stderr.write(`${writers} writers: ${group.flushesPerS.toFixed(0)} flushes/s, ` +
    `${(group.bytesPerS / 1e6).toFixed(2)} MB/s, ${group.syncsPerS.toFixed(0)} fdatasync/s, ` +
    `${group.recordsPerSync.toFixed(1)} records per batch\n`);
  return {
    bench: "log-device-file",
    value: Math.round(group.flushesPerS),
    unit: "flushes/s",
    writers,
    recordBytes,
    bytesPerS: Math.round(group.bytesPerS),
    syncsPerS: Math.round(group.syncsPerS),
    recordsPerSync: Number(group.recordsPerSync.toFixed(2)),
    singleWriterFlushesPerS: Math.round(single.flushesPerS),
    singleWriterSyncLatencyUs: Math.round(1e6 / single.flushesPerS),
    dir: parent,
  };
}
