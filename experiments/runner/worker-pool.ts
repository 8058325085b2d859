// Runs point jobs on worker threads, `threads` at a time, each worker taking the next job when
// it finishes one (so a slow corner of a sweep does not hold up the rest). Outcomes are returned
// in job order whatever order they finish in, so results never depend on the thread count.
//
// With one thread (or one job) the jobs run in this thread, in order: no worker start-up cost,
// and a debugger sees the executor directly. A worker that crashes or exits while running a job
// fails that job (with the reason) and is replaced, within a budget of one restart per job, so a
// crashing executor cannot loop forever.

import type { Worker } from "node:worker_threads";
import { failedOutcome, runPointJob, type PointJob } from "./point-job.ts";
import type { PointOutcome } from "./point.ts";
import type { JobMessage, OutcomeMessage } from "./point-worker.ts";
import { startTsWorker } from "./ts-worker.ts";

export type PoolOptions = {
  /** Worker threads to use; 1 runs the jobs in this thread. */
  readonly threads: number;
  /**
   * Called as each job finishes (in finishing order), e.g. to move a progress bar; `worker` is
   * the worker thread that ran it, numbered from 1 in start order (a replacement gets a new
   * number), or 0 when the jobs run in this thread.
   */
  readonly onOutcome?: (jobIndex: number, outcome: PointOutcome, worker: number) => void;
};

const workerEntry = new URL("./point-worker.ts", import.meta.url);

async function runInline(jobs: readonly PointJob[], options: PoolOptions): Promise<PointOutcome[]> {
  const outcomes: PointOutcome[] = [];
  for (let index = 0; index < jobs.length; index++) {
    const outcome = await runPointJob(jobs[index]!);
    outcomes.push(outcome);
    options.onOutcome?.(index, outcome, 0);
  }
  return outcomes;
}

/** Runs every job; resolves with one outcome per job, in job order. Never rejects. */
export function runJobs(jobs: readonly PointJob[], options: PoolOptions): Promise<PointOutcome[]> {
  const threads = Math.max(1, Math.min(Math.floor(options.threads), jobs.length));
  if (threads <= 1) return runInline(jobs, options);
  return new Promise((resolve) => {
    const outcomes = new Array<PointOutcome | undefined>(jobs.length);
    let next = 0;
    let finished = 0;
    let restartsLeft = jobs.length;
    let running = 0;
    let lastCrash = "";
    let started = 0;

    const record = (jobIndex: number, outcome: PointOutcome, worker: number): void => {
      if (outcomes[jobIndex] !== undefined) return;
      outcomes[jobIndex] = outcome;
      finished++;
      options.onOutcome?.(jobIndex, outcome, worker);
      if (finished === jobs.length) resolve(outcomes as PointOutcome[]);
    };

    const spawn = (): void => {
      running++;
      const number = ++started;
      const worker: Worker = startTsWorker(workerEntry);
      let current: number | undefined;
      const dispatch = (): void => {
        if (next >= jobs.length) {
          void worker.terminate();
          return;
        }
        current = next++;
        worker.postMessage({ jobId: current, job: jobs[current]! } satisfies JobMessage);
      };
      worker.on("message", (message: OutcomeMessage | { ready: true }) => {
        if ("ready" in message) return dispatch();
        current = undefined;
        record(message.jobId, message.outcome, number);
        dispatch();
      });
      worker.on("error", (error) => {
        lastCrash = error.message;
        if (current !== undefined) record(current, failedOutcome(new Error(`the worker thread running this point crashed: ${error.message}`, { cause: error })), number);
        current = undefined;
      });
      worker.on("exit", (code) => {
        running--;
        if (current !== undefined) record(current, failedOutcome(new Error(`the worker thread running this point exited with code ${code}`)), number);
        current = undefined;
        if (next < jobs.length && running < threads) {
          if (restartsLeft-- > 0) spawn();
          else if (running === 0) {
            while (next < jobs.length) record(next++, failedOutcome(new Error(`not run: worker threads kept crashing (last: ${lastCrash || "no error reported"})`)), number);
          }
        }
      });
    };
    for (let index = 0; index < threads; index++) spawn();
  });
}
