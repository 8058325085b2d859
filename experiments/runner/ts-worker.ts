// Worker threads that run TypeScript. The project runs .ts files through tsx, so a worker must
// load tsx before it imports its entry module.
//
// Why not just `new Worker(entry, { execArgv: ["--import=tsx"] })`: on Node 20 that flag is
// accepted but the loader hooks it installs do not apply to the worker's own module loading,
// and importing a .ts entry fails with ERR_UNKNOWN_FILE_EXTENSION (ts-worker.test.ts shows both
// the failure mode and the fix). So the worker starts from a small JavaScript bootstrap that
// registers tsx through its API (`tsx/esm/api` register()) and then imports the entry; this works
// on Node 20 and later alike. The bootstrap passes on workerData unchanged.

import { Worker } from "node:worker_threads";

/** tsx's programmatic API, resolved from here so the worker does not depend on its cwd. */
const tsxApiUrl = import.meta.resolve("tsx/esm/api");

/** The bootstrap source: register tsx, then import the TypeScript entry. */
export function bootstrapSource(entryUrl: string): string {
  // An async function rather than top-level await: eval'd worker code may be parsed as a script.
  // A failed import rejects, which crashes the worker and surfaces as its "error" event.
  return `(async () => {
  const { register } = await import(${JSON.stringify(tsxApiUrl)});
  register();
  await import(${JSON.stringify(entryUrl)});
})().catch((error) => { setImmediate(() => { throw error; }); });`;
}

/** Starts a worker thread running the TypeScript module at `entry`. */
export function startTsWorker(entry: URL, workerData?: unknown): Worker {
  return new Worker(bootstrapSource(entry.href), { eval: true, workerData, execArgv: [] });
}
