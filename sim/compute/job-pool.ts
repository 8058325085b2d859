// JobPool: the records of a compute model's queued and running jobs, recycled so that a job
// costs no allocation once the pool is warm. Live jobs are kept in an array with each job's
// index in it, so releasing one is a swap; crash and pause walk the live jobs to cancel or
// shift their completion events.

import type { ClockSim } from "../clock-sim.ts";

export type Job = {
  owner: unknown;
  callback: ((argument: unknown) => void) | null;
  argument: unknown;
  /** Core time the job needs, integer µs. */
  serviceUs: number;
  /** When its service ends; -1 while not yet placed on a core. */
  finishUs: number;
  /** Completion event, -1 when none is scheduled. */
  timer: number;
  liveIndex: number;
  /** Submission order, to keep equal completion times in order when rescheduling. */
  seq: number;
};

export class JobPool {
  private readonly free: Job[] = [];
  private readonly live: Job[] = [];
  private seqNext = 0;

  constructor(private readonly owner: unknown) {}

  get liveCount(): number {
    return this.live.length;
  }

  take(callback: (argument: unknown) => void, argument: unknown, serviceUs: number): Job {
    const job = this.free.pop() ?? {
      owner: this.owner, callback: null, argument: undefined, serviceUs: 0, finishUs: -1, timer: -1, liveIndex: -1, seq: 0,
    };
    job.callback = callback;
    job.argument = argument;
    job.serviceUs = serviceUs;
    job.finishUs = -1;
    job.timer = -1;
    job.seq = this.seqNext++;
    job.liveIndex = this.live.length;
    this.live.push(job);
    return job;
  }

  release(job: Job): void {
    const last = this.live.pop()!;
    if (last !== job) {
      this.live[job.liveIndex] = last;
      last.liveIndex = job.liveIndex;
    }
    job.callback = null;
    job.argument = undefined;
    job.liveIndex = -1;
    job.timer = -1;
    this.free.push(job);
  }

  /** Cancels every scheduled completion (pause); the jobs stay live. */
  cancelTimers(clock: ClockSim): void {
    for (const job of this.live) {
      if (job.timer >= 0) clock.timerCancel(job.timer);
      job.timer = -1;
    }
  }

  /** Shifts placed jobs' completions by `shiftUs` and schedules them again, in completion order. */
  reschedule(clock: ClockSim, shiftUs: number, done: (job: Job) => void): void {
    const placed = this.live.filter((job) => job.finishUs >= 0);
    placed.sort((a, b) => a.finishUs - b.finishUs || a.seq - b.seq);
    const nowUs = clock.nowUs();
    for (const job of placed) {
      job.finishUs += shiftUs;
      job.timer = clock.timerStartWith(job.finishUs - nowUs, done, job);
    }
  }

  /** Cancels and releases every live job; their callbacks never run. */
  dropAll(clock: ClockSim): void {
    while (this.live.length > 0) {
      const job = this.live[this.live.length - 1]!;
      if (job.timer >= 0) clock.timerCancel(job.timer);
      this.release(job);
    }
  }
}
