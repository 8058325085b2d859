// One point as a unit of work: what the runner sends to a worker (a PointJob) and how the worker
// turns it into a PointOutcome. Every failure of the executor (a thrown error, an invalid result)
// becomes a failed outcome with its message and stack, so one bad point fails that point, never
// the sweep; the runner reports it and exits 1 at the end.

import { SsmsError } from "../../engine/io/errors.ts";
import { deepFreeze } from "../config-path.ts";
import type { Experiment } from "../schema.ts";
import { formatExecutorRef, loadExecutor, type ExecutorRef } from "./executors.ts";
import { pointResultProblem, type PointOptions, type PointOutcome } from "./point.ts";

export type PointJob = {
  readonly executor: ExecutorRef;
  readonly config: Experiment;
  readonly seed: string;
  readonly options: PointOptions;
};

/** A failed outcome from anything thrown. */
export function failedOutcome(cause: unknown): PointOutcome {
  if (cause instanceof Error) {
    const code = cause instanceof SsmsError ? cause.code : undefined;
    return { ok: false, error: { ...(code === undefined ? {} : { code }), message: cause.message, ...(cause.stack === undefined ? {} : { stack: cause.stack }) } };
  }
  return { ok: false, error: { message: String(cause) } };
}

/** Runs one job in this thread. Never throws: failures come back as outcomes. */
export async function runPointJob(job: PointJob): Promise<PointOutcome> {
  try {
    const executor = await loadExecutor(job.executor);
    // A config that crossed a thread boundary is a fresh copy: freeze it again (STYLE 12).
    const result: unknown = await executor(deepFreeze(job.config), job.seed, job.options);
    const problem = pointResultProblem(result);
    if (problem !== undefined) return { ok: false, error: { message: `${formatExecutorRef(job.executor)} returned an invalid PointResult: ${problem}` } };
    return { ok: true, result: result as Extract<PointOutcome, { ok: true }>["result"] };
  } catch (cause) {
    return failedOutcome(cause);
  }
}
