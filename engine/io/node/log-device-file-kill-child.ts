// Child process of the SIGKILL test (log-device-file.kill.test.ts): appends framed records to a
// LogDeviceFile as fast as it can, with several flushes in flight, and after each flush prints
// `<durable end> <records>` — a promise that every record below that offset is on disk. The
// parent kills it with SIGKILL at an arbitrary moment and checks the promise held.
//
// Usage: node --import=tsx log-device-file-kill-child.ts <dir> <segmentBytes>
// Record i's body is a pure function of i (`recordBody`), so the parent can verify every byte.

import { pathToFileURL } from "node:url";
import { frameEncode } from "../frame.ts";
import { LogDeviceFile } from "./log-device-file.ts";

const flushesInFlightMax = 4;

/** The body of record `index`: its index (u32 LE), then bytes derived from it; 16–3015 bytes. */
export function recordBody(index: number): Uint8Array {
  const length = 16 + (Math.imul(index, 2654435761) >>> 0) % 3000;
  const body = new Uint8Array(length);
  new DataView(body.buffer).setUint32(0, index, true);
  for (let j = 4; j < length; j++) body[j] = (index + j * 7) & 0xff;
  return body;
}

function main(dir: string, segmentBytes: number): void {
  const device = LogDeviceFile.open(dir, { segmentBytes });
  let records = 0;
  let inFlight = 0;
  const batch = (): void => {
    while (inFlight < flushesInFlightMax) {
      const count = 1 + (records % 8);
      for (let i = 0; i < count; i++) device.append(frameEncode(recordBody(records++)));
      const end = device.end();
      const covered = records;
      inFlight++;
      device.flush((error) => {
        if (error !== null) {
          process.stderr.write(`flush failed: ${error.message}\n`);
          process.exit(1);
        }
        inFlight--;
        process.stdout.write(`${end} ${covered}\n`);
        setImmediate(batch);
      });
    }
  };
  batch();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, segmentBytesText] = process.argv.slice(2);
  if (dir === undefined || segmentBytesText === undefined) {
    process.stderr.write("usage: log-device-file-kill-child.ts <dir> <segmentBytes>\n");
    process.exit(2);
  }
  main(dir, Number(segmentBytesText));
}
