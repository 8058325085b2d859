// Worker-thread entry: receives PointJobs one at a time from the pool, runs each in this thread
// and posts its PointOutcome back. Executors are loaded once per worker and cached.

import { parentPort } from "node:worker_threads";
import { runPointJob, type PointJob } from "./point-job.ts";

export type JobMessage = { readonly jobId: number; readonly job: PointJob };
export type OutcomeMessage = { readonly jobId: number; readonly outcome: Awaited<ReturnType<typeof runPointJob>> };

const port = parentPort;
if (port === null) throw new Error("point-worker.ts runs only as a worker thread (started by worker-pool.ts)");

port.on("message", (message: JobMessage) => {
  void runPointJob(message.job).then((outcome) => {
    try {
      port.postMessage({ jobId: message.jobId, outcome } satisfies OutcomeMessage);
    } catch (cause) {
      // A result holding functions or class instances cannot be cloned to the main thread.
      const why = cause instanceof Error ? cause.message : String(cause);
      const failed: OutcomeMessage = { jobId: message.jobId, outcome: { ok: false, error: { message: `the PointResult cannot be sent from the worker (${why}); it must be plain data` } } };
      port.postMessage(failed);
    }
  });
});
port.postMessage({ ready: true });
