// startTsWorker runs a TypeScript module on a worker thread: the bootstrap registers tsx before it
// imports the entry, so the worker loads .ts files (with type-only imports and annotations) and
// talks back; a worker whose entry cannot be loaded reports an error instead of hanging.

import test from "ava";
import { once } from "node:events";
import type { Worker } from "node:worker_threads";
import { startTsWorker } from "./ts-worker.ts";

test("a TypeScript entry module runs on a worker thread and answers", async (t) => {
  const worker: Worker = startTsWorker(new URL("./point-worker.ts", import.meta.url));
  const [message] = (await once(worker, "message")) as [unknown];
  t.deepEqual(message, { ready: true });
  await worker.terminate();
});

test("an entry that does not exist surfaces as the worker's error event", async (t) => {
  const worker = startTsWorker(new URL("./no-such-entry.ts", import.meta.url));
  const [error] = (await once(worker, "error")) as [Error];
  t.regex(error.message, /no-such-entry\.ts|Cannot find module/);
});
