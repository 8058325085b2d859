// ComputeNode: a VM's cores in virtual time. `ctx.work(coreUs)` of an automaton step becomes a
// job here, and the step's continuation runs when the job has been served.
//
// Model. `cores` identical servers and one FIFO queue (M/M/c-style with whatever arrival and work
// distributions the workload has): a job occupies one core for workCoreUs ÷ speedFactor µs
// (rounded up to whole µs; speedFactor is the VM family's speed relative to the baseline
// family), and starts on the core that frees first, in submission order. Work is not
// preemptible and a job never spreads over several cores. Utilisation: busyCoreUs() is the exact
// core time served so far. Billing: VM time from start() to stop() (or preemption) goes to the
// UsageLedger; a crash stops the process, not the VM, so billing continues.
// Faults. crash() drops all queued and running work (callbacks never fire) until restart();
// pause() freezes the node (no progress, submissions queue) until resume(), which shifts every
// pending completion by the pause; preempt() (spot VMs) gives the owner a notice, then after the
// profile's eviction notice kills the node and stops billing, as a spot eviction does.
// Cost per job: one pooled record and one queue event; no allocation once the pool is warm.

import { assert } from "../../engine/io/assert.ts";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { ClockSim } from "../clock-sim.ts";
import type { UsageLedger } from "../ledger.ts";
import type { CloudProfile } from "../profiles/schema.ts";
import { JobPool, type Job } from "./job-pool.ts";

export type ComputeNodeState = "stopped" | "running" | "paused" | "crashed";

export type ComputeNodeOptions = {
  readonly clock: ClockSim;
  readonly nodeId: string;
  readonly cores: number;
  /** Work per core-µs relative to the baseline family (profile `speedFactor`). */
  readonly speedFactor: number;
  /** VM size, for the ledger. */
  readonly vmSize?: string;
  readonly spot?: boolean;
  readonly ledger?: UsageLedger;
  /** Spot eviction notice; default 30 s. */
  readonly evictionNoticeUs?: number;
  /** Most jobs queued or running at once; default 1,000,000. */
  readonly jobsMax?: number;
  readonly onPreemptNotice?: (node: ComputeNode) => void;
  readonly onPreempted?: (node: ComputeNode) => void;
};

/** jobsStarted counts jobs given a core; jobsQueued those of them that had to wait for one. */
export type ComputeNodeStats = { jobsStarted: number; jobsQueued: number; jobsCompleted: number; jobsDropped: number; preemptions: number };

function jobDone(job: Job): void {
  (job.owner as ComputeNode).complete(job);
}

function callNoArgument(callback: () => void): void {
  callback();
}

export class ComputeNode {
  readonly nodeId: string;
  readonly cores: number;
  readonly speedFactor: number;
  readonly stats: ComputeNodeStats = { jobsStarted: 0, jobsQueued: 0, jobsCompleted: 0, jobsDropped: 0, preemptions: 0 };
  private currentState: ComputeNodeState = "stopped";
  private readonly clock: ClockSim;
  private readonly options: ComputeNodeOptions;
  private readonly jobsMax: number;
  /** When each core has served everything assigned to it (integer µs). */
  private readonly coreFreeUs: Float64Array;
  private readonly jobs = new JobPool(this);
  /** Jobs submitted while paused, not yet on a core (they are live in `jobs` too). */
  private readonly pending: Job[] = [];
  private assignedCoreUs = 0;
  private pausedAtUs = 0;
  private ledgerHandle = -1;
  private preemptTimer = -1;

  constructor(options: ComputeNodeOptions) {
    assert(Number.isInteger(options.cores) && options.cores >= 1, `node ${options.nodeId}: cores must be an integer ≥ 1, got ${options.cores}`);
    assert(options.speedFactor > 0 && Number.isFinite(options.speedFactor), `node ${options.nodeId}: speedFactor must be finite and > 0, got ${options.speedFactor}`);
    assert(options.ledger === undefined || options.vmSize !== undefined, `node ${options.nodeId}: a ledger needs the VM size to bill`);
    this.nodeId = options.nodeId;
    this.cores = options.cores;
    this.speedFactor = options.speedFactor;
    this.clock = options.clock;
    this.options = options;
    this.jobsMax = options.jobsMax ?? 1_000_000;
    this.coreFreeUs = new Float64Array(options.cores);
  }

  get state(): ComputeNodeState {
    return this.currentState;
  }

  /** Allocates the VM: billing starts and the node takes work. */
  start(): void {
    assert(this.currentState === "stopped", `node ${this.nodeId}: start while ${this.currentState}`);
    if (this.options.ledger !== undefined) this.ledgerHandle = this.options.ledger.vmStart(this.nodeId, this.options.vmSize!, this.options.spot ?? false);
    this.coreFreeUs.fill(this.clock.nowUs());
    this.currentState = "running";
  }

  /** Deallocates the VM: its work is dropped and billing stops. */
  stop(): void {
    assert(this.currentState !== "stopped", `node ${this.nodeId}: stop while stopped`);
    this.dropWork();
    this.clock.timerCancel(this.preemptTimer);
    this.preemptTimer = -1;
    if (this.options.ledger !== undefined) this.options.ledger.vmStop(this.ledgerHandle);
    this.currentState = "stopped";
  }

  /** The process dies: queued and running work is lost; the VM stays allocated (and billed). */
  crash(): void {
    if (this.currentState === "stopped" || this.currentState === "crashed") return;
    this.dropWork();
    this.currentState = "crashed";
  }

  restart(): void {
    if (this.currentState !== "crashed") return;
    this.coreFreeUs.fill(this.clock.nowUs());
    this.currentState = "running";
  }

  /** Freezes the node: nothing progresses until resume(). */
  pause(): void {
    if (this.currentState !== "running") return;
    this.pausedAtUs = this.clock.nowUs();
    this.jobs.cancelTimers(this.clock);
    this.currentState = "paused";
  }

  resume(): void {
    if (this.currentState !== "paused") return;
    const nowUs = this.clock.nowUs();
    const shiftUs = nowUs - this.pausedAtUs;
    for (let core = 0; core < this.cores; core++) {
      if (this.coreFreeUs[core]! > this.pausedAtUs) this.coreFreeUs[core]! += shiftUs;
      else this.coreFreeUs[core] = nowUs;
    }
    this.currentState = "running";
    this.jobs.reschedule(this.clock, shiftUs, jobDone);
    for (const job of this.pending) this.assign(job, nowUs);
    this.pending.length = 0;
  }

  /**
   * Spot eviction: `onPreemptNotice` now, then after the eviction notice the node is killed
   * (work dropped, billing stopped, `onPreempted`). Returns false if the node is not running or
   * already has a notice.
   */
  preempt(): boolean {
    assert(this.options.spot === true, `node ${this.nodeId} is not a spot VM; only spot VMs are preempted`);
    if (this.currentState === "stopped" || this.preemptTimer >= 0) return false;
    this.stats.preemptions++;
    this.options.onPreemptNotice?.(this);
    this.preemptTimer = this.clock.timerStart(this.options.evictionNoticeUs ?? 30_000_000, () => {
      this.preemptTimer = -1;
      if (this.currentState !== "stopped") this.stop();
      this.options.onPreempted?.(this);
    });
    return true;
  }

  /** Runs `callback` once `workCoreUs` of baseline-core work has been served. False if down. */
  submit(workCoreUs: number, callback: () => void): boolean {
    return this.submitWith(workCoreUs, callNoArgument, callback);
  }

  /** Like submit, passing `argument` to a shared callback (no closure per job). */
  submitWith<T>(workCoreUs: number, callback: (argument: T) => void, argument: T): boolean {
    if (!(workCoreUs >= 0 && Number.isFinite(workCoreUs))) {
      assert(false, `node ${this.nodeId}: work must be finite and ≥ 0 core-µs, got ${workCoreUs}`);
    }
    if (this.currentState === "stopped" || this.currentState === "crashed") return false;
    if (this.jobs.liveCount >= this.jobsMax) this.throwJobsMax();
    const job = this.jobs.take(callback as (argument: unknown) => void, argument, Math.ceil(workCoreUs / this.speedFactor));
    if (this.currentState === "paused") this.pending.push(job);
    else this.assign(job, this.clock.nowUs());
    return true;
  }

  /** Core-µs served so far (exact, including the served part of running jobs). */
  busyCoreUs(): number {
    const referenceUs = this.currentState === "paused" ? this.pausedAtUs : this.clock.nowUs();
    return this.assignedCoreUs - this.unservedCoreUs(referenceUs);
  }

  /** When a core is next free to start work: now if one is idle (a paused node counts as idle). */
  freeAtUs(): number {
    const nowUs = this.clock.nowUs();
    if (this.currentState !== "running") return nowUs;
    let freeUs = this.coreFreeUs[0]!;
    for (let core = 1; core < this.cores; core++) if (this.coreFreeUs[core]! < freeUs) freeUs = this.coreFreeUs[core]!;
    return freeUs > nowUs ? freeUs : nowUs;
  }

  /** Jobs queued or running. */
  jobsInSystem(): number {
    return this.jobs.liveCount;
  }

  /** Called by the queue when a job's service ends; not for other callers. */
  complete(job: Job): void {
    const callback = job.callback!;
    const argument = job.argument;
    this.jobs.release(job);
    this.stats.jobsCompleted++;
    callback(argument);
  }

  private assign(job: Job, nowUs: number): void {
    const free = this.coreFreeUs;
    let core = 0;
    for (let index = 1; index < free.length; index++) if (free[index]! < free[core]!) core = index;
    const startUs = free[core]! > nowUs ? free[core]! : nowUs;
    this.stats.jobsStarted++;
    if (startUs > nowUs) this.stats.jobsQueued++;
    const finishUs = startUs + job.serviceUs;
    free[core] = finishUs;
    this.assignedCoreUs += job.serviceUs;
    job.finishUs = finishUs;
    job.timer = this.clock.timerStartWith(finishUs - nowUs, jobDone, job);
  }

  /** Work assigned to cores and not yet served at `referenceUs`: each core's backlog is contiguous. */
  private unservedCoreUs(referenceUs: number): number {
    let unserved = 0;
    for (let core = 0; core < this.cores; core++) {
      const backlog = this.coreFreeUs[core]! - referenceUs;
      if (backlog > 0) unserved += backlog;
    }
    return unserved;
  }

  private dropWork(): void {
    const referenceUs = this.currentState === "paused" ? this.pausedAtUs : this.clock.nowUs();
    this.assignedCoreUs -= this.unservedCoreUs(referenceUs);
    this.stats.jobsDropped += this.jobs.liveCount;
    this.jobs.dropAll(this.clock);
    this.pending.length = 0;
    this.coreFreeUs.fill(this.clock.nowUs());
  }

  private throwJobsMax(): never {
    throw new SsmsError(ErrorCode.limitExceeded,
      `node ${this.nodeId} has ${this.jobsMax} jobs queued or running (jobsMax) at ${this.clock.nowUs()}us; ` +
      `the offered work exceeds its ${this.cores} cores for too long: add nodes or raise jobsMax`,
      { nodeId: this.nodeId, jobsMax: this.jobsMax });
  }
}

/** A node of a profile VM size: its vCPUs, its family's speed and the profile's eviction notice. */
export function computeNodeFromProfile(
  profile: CloudProfile, vmSize: string,
  options: Omit<ComputeNodeOptions, "cores" | "speedFactor" | "vmSize">,
): ComputeNode {
  const size = profile.compute.vmSizes[vmSize];
  if (size === undefined) {
    throw new SsmsError(ErrorCode.configInvalid,
      `node ${options.nodeId}: VM size '${vmSize}' is not in profile ${profile.name}; sizes are ${Object.keys(profile.compute.vmSizes).join(", ")}`);
  }
  const family = profile.compute.families[size.family]!;
  return new ComputeNode({
    evictionNoticeUs: profile.compute.spot.evictionNoticeUs,
    ...options, cores: size.vcpu, speedFactor: family.speedFactor, vmSize,
  });
}
