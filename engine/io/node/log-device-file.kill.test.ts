// The SIGKILL test: a real child process appends framed records and flushes in a loop, printing
// each durable offset it is told of; the parent kills it with SIGKILL mid-stream, reopens the
// directory, scans the frames, cuts the torn tail, and proves that every record acknowledged as
// flushed is present and intact, in order, and that the cut log reopens clean.
// Bounded: four kill points. Segments are small (8 KiB), so a flush batch spans several files,
// and a kill between its writes leaves a torn frame for the scan to cut.

import test from "ava";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { framesScan } from "../frame.ts";
import { LogDeviceFile } from "./log-device-file.ts";
import { recordBody } from "./log-device-file-kill-child.ts";

const childPath = fileURLToPath(new URL("./log-device-file-kill-child.ts", import.meta.url));
const segmentBytes = 8 * 1024;

type Acknowledged = { end: number; records: number; lines: number };

/** Runs the child until it has acknowledged `killAfter` flushes, then SIGKILLs it. */
function runAndKill(dir: string, killAfter: number): Promise<Acknowledged> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import=tsx", childPath, dir, String(segmentBytes)],
      { stdio: ["ignore", "pipe", "pipe"] });
    const acknowledged: Acknowledged = { end: 0, records: 0, lines: 0 };
    let partial = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        const [end, records] = line.split(" ").map(Number);
        if (end === undefined || records === undefined || end < acknowledged.end) {
          reject(new Error(`child printed '${line}' after end ${acknowledged.end}`));
          return;
        }
        acknowledged.end = end;
        acknowledged.records = records;
        if (++acknowledged.lines === killAfter) child.kill("SIGKILL");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(acknowledged);
      else reject(new Error(`child exited with code ${code} before the kill: ${stderr}`));
    });
  });
}

/** Scans the log and checks every frame is the next expected record; returns the scan. */
function scanRecords(device: LogDeviceFile): { validEnd: number; torn: boolean; records: number; wrong: number } {
  let records = 0;
  let wrong = 0;
  const scan = framesScan(device, device.begin(), (_, body) => {
    if (!Buffer.from(body).equals(recordBody(records))) wrong++;
    records++;
  });
  return { validEnd: scan.validEnd, torn: scan.torn, records, wrong };
}

for (const killAfter of [1, 9, 40, 120]) {
  test.serial(`SIGKILL after ${killAfter} acknowledged flushes loses no acknowledged record`, async (t) => {
    t.timeout(60_000);
    const dir = fs.mkdtempSync(join(tmpdir(), "ssms-log-kill-"));
    try {
      const acknowledged = await runAndKill(dir, killAfter);
      t.true(acknowledged.lines >= killAfter);
      let device = LogDeviceFile.open(dir, { segmentBytes });
      const first = scanRecords(device);
      t.is(first.wrong, 0, "every scanned record is the one written at that position");
      t.true(first.validEnd >= acknowledged.end, `valid prefix ${first.validEnd} < acknowledged ${acknowledged.end}`);
      t.true(first.records >= acknowledged.records, `${first.records} records < acknowledged ${acknowledged.records}`);
      t.log(`acknowledged ${acknowledged.records} records (${acknowledged.end} B); found ${first.records} ` +
        `(${first.validEnd} B of ${device.end()} B${first.torn ? ", torn tail cut" : ""})`);
      device.truncateTail(first.validEnd);
      device.close();
      device = LogDeviceFile.open(dir, { segmentBytes });
      const second = scanRecords(device);
      t.deepEqual(second, { validEnd: first.validEnd, torn: false, records: first.records, wrong: 0 });
      t.is(device.end(), first.validEnd, "the cut is durable across reopen");
      device.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
