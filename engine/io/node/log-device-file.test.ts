// Tests of LogDeviceFile on real files in a temporary directory: the shared LogDevice contract
// (with small segments, so most operations cross segment boundaries), then what is particular to
// files: segment naming, repair at open, group commit, and errors that name the file.

import test from "ava";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ErrorCode, SsmsError } from "../errors.ts";
import { logDeviceContract } from "../log-device.contract.ts";
import { LogDeviceFile } from "./log-device-file.ts";
import { segmentPath } from "./log-device-file-dir.ts";

const segmentBytes = 4096;

function dirTemporary(): string {
  return fs.mkdtempSync(join(tmpdir(), "ssms-log-device-file-"));
}

function flushed(device: LogDeviceFile): Promise<Error | null> {
  return new Promise((resolve) => device.flush(resolve));
}

function segmentNames(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith(".log")).sort();
}

logDeviceContract(test, "LogDeviceFile", () => {
  const dir = dirTemporary();
  let device = LogDeviceFile.open(dir, { segmentBytes });
  return {
    device,
    settle: () => {},
    reopen: () => {
      device.close();
      device = LogDeviceFile.open(dir, { segmentBytes });
      return device;
    },
    dispose: () => {
      device.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

test("segments are named by start offset; truncatePrefix deletes whole segments and survives reopen", async (t) => {
  const dir = dirTemporary();
  const bytes = new Uint8Array(10_000).map((_, i) => i % 251);
  let device = LogDeviceFile.open(dir, { segmentBytes });
  device.append(bytes);
  t.is(await flushed(device), null);
  t.deepEqual(segmentNames(dir), ["00000000000000000000.log", "00000000000000004096.log", "00000000000000008192.log"]);
  device.truncatePrefix(5_000);
  t.deepEqual(segmentNames(dir), ["00000000000000004096.log", "00000000000000008192.log"], "segment 0 is wholly below 5000");
  device.close();
  device = LogDeviceFile.open(dir, { segmentBytes });
  t.is(device.begin(), 5_000);
  t.is(device.end(), 10_000);
  t.is(device.durableEnd(), 10_000, "bytes found at open are durable");
  t.true(Buffer.from(device.read(5_000, 5_000)).equals(bytes.subarray(5_000)));
  device.close();
  fs.rmSync(dir, { recursive: true });
});

test("open cuts the log at a gap between segments and deletes the later ones", (t) => {
  const dir = dirTemporary();
  fs.writeFileSync(segmentPath(dir, 0), new Uint8Array(3_000).fill(1)); // short: its tail never reached disk
  fs.writeFileSync(segmentPath(dir, 4_096), new Uint8Array(50).fill(2));
  const device = LogDeviceFile.open(dir, { segmentBytes });
  t.is(device.end(), 3_000);
  t.deepEqual(segmentNames(dir), ["00000000000000000000.log"]);
  t.is(device.append(new Uint8Array([9])), 3_000);
  device.close();
  fs.rmSync(dir, { recursive: true });
});

test("open drops segments wholly below meta.json's begin, and restarts empty when begin is past the data", (t) => {
  const dir = dirTemporary();
  fs.writeFileSync(segmentPath(dir, 0), new Uint8Array(4_096));
  fs.writeFileSync(segmentPath(dir, 4_096), new Uint8Array(2_000));
  fs.writeFileSync(join(dir, "meta.json"), JSON.stringify({ version: 1, beginOffset: 5_000 }));
  let device = LogDeviceFile.open(dir, { segmentBytes });
  t.is(device.begin(), 5_000);
  t.is(device.end(), 6_096);
  t.deepEqual(segmentNames(dir), ["00000000000000004096.log"]);
  device.close();
  fs.writeFileSync(join(dir, "meta.json"), JSON.stringify({ version: 1, beginOffset: 9_000 }));
  device = LogDeviceFile.open(dir, { segmentBytes });
  t.is(device.begin(), 9_000);
  t.is(device.end(), 9_000);
  t.deepEqual(segmentNames(dir), []);
  t.is(device.append(new Uint8Array([5])), 9_000, "offsets never go back below the recorded begin");
  device.close();
  fs.rmSync(dir, { recursive: true });
});

test("group commit: flushes requested while a sync is in flight share the next fdatasync batch", async (t) => {
  const dir = dirTemporary();
  const device = LogDeviceFile.open(dir);
  const order: number[] = [];
  const waits: Promise<void>[] = [];
  for (let i = 0; i < 100; i++) {
    device.append(new Uint8Array(128).fill(i));
    waits.push(new Promise((resolve) => device.flush(() => {
      order.push(i);
      resolve();
    })));
  }
  await Promise.all(waits);
  // The first flush starts a batch at once; the other 99 arrive during it and share one batch.
  t.is(device.syncCount(), 2);
  t.deepEqual(order, [...Array(100).keys()]);
  t.is(device.durableEnd(), 12_800);
  device.close();
  fs.rmSync(dir, { recursive: true });
});

test("close waits for requested flushes, then releases the files; pending bytes survive reopen", async (t) => {
  const dir = dirTemporary();
  let device = LogDeviceFile.open(dir, { segmentBytes });
  device.append(new Uint8Array(6_000).fill(3));
  const done = flushed(device);
  device.append(new Uint8Array(100).fill(4));
  device.close();
  t.is(await done, null);
  device = LogDeviceFile.open(dir, { segmentBytes });
  t.is(device.end(), 6_100);
  t.deepEqual(device.read(6_000, 100), new Uint8Array(100).fill(4));
  device.close();
  fs.rmSync(dir, { recursive: true });
});

test("close called inside the last flush callback releases the files once and keeps the data", async (t) => {
  const dir = dirTemporary();
  let device = LogDeviceFile.open(dir, { segmentBytes });
  device.append(new Uint8Array(5_000).fill(6));
  await new Promise<void>((resolve) => device.flush(() => {
    device.close();
    resolve();
  }));
  device = LogDeviceFile.open(dir, { segmentBytes });
  t.is(device.end(), 5_000);
  device.close();
  fs.rmSync(dir, { recursive: true });
});

test("I/O and layout errors carry deviceFailed and name the file", (t) => {
  const dir = dirTemporary();
  fs.writeFileSync(join(dir, "meta.json"), "{ not json");
  const bad = t.throws(() => LogDeviceFile.open(dir), { instanceOf: SsmsError });
  t.is(bad.code, ErrorCode.deviceFailed);
  t.true(bad.message.includes(join(dir, "meta.json")), bad.message);
  fs.rmSync(join(dir, "meta.json"));
  fs.writeFileSync(segmentPath(dir, 0), new Uint8Array(100));
  fs.writeFileSync(segmentPath(dir, 50), new Uint8Array(100));
  const overlap = t.throws(() => LogDeviceFile.open(dir), { instanceOf: SsmsError });
  t.is(overlap.code, ErrorCode.deviceFailed);
  t.true(overlap.message.includes(segmentPath(dir, 50)), overlap.message);
  const notDir = join(dir, "plain-file");
  fs.writeFileSync(notDir, "x");
  const notDirError = t.throws(() => LogDeviceFile.open(notDir), { instanceOf: SsmsError });
  t.is(notDirError.code, ErrorCode.deviceFailed);
  t.true(notDirError.message.includes(notDir), notDirError.message);
  t.throws(() => LogDeviceFile.open(dir, { segmentBytes: 0 }), { message: /segmentBytes/ });
  fs.rmSync(dir, { recursive: true });
});
