// FunctionPool: one serverless function (Azure Functions, AWS Lambda) in virtual time.
//
// Model. An instance runs one invocation at a time (Lambda's model; Azure's per-host concurrency
// is not modelled, each invocation gets an instance). An invocation takes a warm idle instance if
// one exists, the most recently used first (instances are kept LIFO, as providers reuse hot
// ones); otherwise it cold-starts a new instance, which adds a latency drawn from the plan's
// cold-start distribution. An idle instance expires `idleExpiryUs` after its last invocation;
// expiry is computed lazily when an instance is next wanted (no timer per instance). Execution
// takes workCoreUs ÷ speed, where speed is the plan's speed factor, scaled down by memory ÷
// memoryMbPerVcpu below one vCPU where the plan ties CPU to memory (Lambda). An invocation longer
// than the plan's timeout is cut at the timeout, reported as not completed, and its instance is
// discarded.
// Concurrency. At most `concurrencyMax` invocations run at once (default: the plan's
// instancesMax). Over the limit an invocation is queued FIFO (`throttle: "queue"`, the default,
// as Azure's scale controller and Lambda's asynchronous invocations do) up to `queueLengthMax`,
// or rejected at once (`throttle: "reject"`, Lambda's synchronous 429 TooManyRequests).
// Billing. Each invocation goes to the UsageLedger with its run time, which the ledger rounds per
// provider (1 ms steps, Azure's 100 ms minimum); cold-start time is billed only with
// `billColdStart` (providers differ and have changed this over time).
// Cost per invocation: one pooled record and one queue event.

import { assert } from "../../engine/io/assert.ts";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Random } from "../../engine/io/random.ts";
import type { ClockSim } from "../clock-sim.ts";
import type { UsageLedger } from "../ledger.ts";
import { latencySampler, type LatencySampler } from "../profiles/latency.ts";
import type { CloudProfile, ServerlessPlanProfile } from "../profiles/schema.ts";
import { WarmInstances } from "./warm-instances.ts";

export type FunctionPoolOptions = {
  readonly clock: ClockSim;
  /** The pool's stream, for cold-start latencies. */
  readonly random: Random;
  readonly plan: ServerlessPlanProfile;
  readonly functionId: string;
  readonly memoryMb: number;
  readonly ledger?: UsageLedger;
  readonly concurrencyMax?: number;
  readonly throttle?: "queue" | "reject";
  readonly queueLengthMax?: number;
  readonly billColdStart?: boolean;
};

export type FunctionPoolStats = {
  invocations: number;
  coldStarts: number;
  rejected: number;
  timeouts: number;
  queuedMax: number;
};

type Invocation = {
  pool: FunctionPool | null;
  done: ((argument: unknown, completed: boolean) => void) | null;
  argument: unknown;
  workCoreUs: number;
  coldStart: boolean;
  billedUs: number;
  timedOut: boolean;
};

function invocationEnd(invocation: Invocation): void {
  invocation.pool!.finish(invocation);
}

function callNoArgument(callback: unknown, completed: boolean): void {
  (callback as (completed: boolean) => void)(completed);
}

export class FunctionPool {
  readonly stats: FunctionPoolStats = { invocations: 0, coldStarts: 0, rejected: 0, timeouts: 0, queuedMax: 0 };
  readonly speed: number;
  private readonly options: FunctionPoolOptions;
  private readonly clock: ClockSim;
  private readonly coldStart: LatencySampler;
  private readonly concurrencyMax: number;
  private readonly queueLengthMax: number;
  private readonly warm: WarmInstances;
  private readonly ledgerHandle: number;
  private runningCount = 0;
  private readonly queue: Invocation[] = [];
  private queueHead = 0;
  private readonly free: Invocation[] = [];

  constructor(options: FunctionPoolOptions) {
    const plan = options.plan;
    assert(options.memoryMb > 0, `function ${options.functionId}: memoryMb must be > 0, got ${options.memoryMb}`);
    this.options = options;
    this.clock = options.clock;
    this.coldStart = latencySampler(plan.coldStart);
    this.concurrencyMax = options.concurrencyMax ?? plan.instancesMax;
    this.queueLengthMax = options.queueLengthMax ?? 100_000;
    assert(Number.isInteger(this.concurrencyMax) && this.concurrencyMax >= 1, `function ${options.functionId}: concurrencyMax must be an integer ≥ 1`);
    const vcpu = plan.memoryMbPerVcpu === undefined ? 1 : Math.min(1, options.memoryMb / plan.memoryMbPerVcpu);
    this.speed = plan.speedFactor * vcpu;
    this.warm = new WarmInstances(plan.idleExpiryUs);
    this.ledgerHandle = options.ledger?.functionRegister(options.functionId, options.memoryMb) ?? -1;
  }

  /** Runs `workCoreUs` of baseline-core work; `done(completed)` when it ends. False: throttled. */
  invoke(workCoreUs: number, done: (completed: boolean) => void): boolean {
    return this.invokeWith(workCoreUs, callNoArgument, done);
  }

  /** Like invoke, passing `argument` to a shared callback (no closure per invocation). */
  invokeWith<T>(workCoreUs: number, done: (argument: T, completed: boolean) => void, argument: T): boolean {
    if (!(workCoreUs >= 0 && Number.isFinite(workCoreUs))) {
      assert(false, `function ${this.options.functionId}: work must be finite and ≥ 0 core-µs, got ${workCoreUs}`);
    }
    if (this.runningCount >= this.concurrencyMax) {
      const queued = this.queue.length - this.queueHead;
      if (this.options.throttle === "reject" || queued >= this.queueLengthMax) {
        this.stats.rejected++;
        return false;
      }
      this.queue.push(this.record(workCoreUs, done as (argument: unknown, completed: boolean) => void, argument));
      if (queued + 1 > this.stats.queuedMax) this.stats.queuedMax = queued + 1;
      return true;
    }
    this.start(this.record(workCoreUs, done as (argument: unknown, completed: boolean) => void, argument));
    return true;
  }

  /** Invocations running now. */
  running(): number {
    return this.runningCount;
  }

  /** Invocations waiting for a free slot. */
  queued(): number {
    return this.queue.length - this.queueHead;
  }

  /** Warm idle instances now (expired ones dropped first). */
  warmInstances(): number {
    return this.warm.count(this.clock.nowUs());
  }

  /** Called by the queue when an invocation ends; not for other callers. */
  finish(invocation: Invocation): void {
    const nowUs = this.clock.nowUs();
    this.runningCount--;
    if (this.options.ledger !== undefined) this.options.ledger.invocation(this.ledgerHandle, invocation.billedUs, invocation.coldStart);
    if (invocation.timedOut) this.stats.timeouts++;
    else this.warm.release(nowUs);
    const done = invocation.done!;
    const argument = invocation.argument;
    const completed = !invocation.timedOut;
    invocation.pool = null;
    invocation.done = null;
    invocation.argument = undefined;
    this.free.push(invocation);
    // Start a queued invocation before calling back, so a callback that invokes again queues
    // behind invocations that were already waiting.
    if (this.queueHead < this.queue.length) this.start(this.dequeue());
    done(argument, completed);
  }

  private start(invocation: Invocation): void {
    const plan = this.options.plan;
    this.runningCount++;
    this.stats.invocations++;
    const nowUs = this.clock.nowUs();
    const coldStart = !this.warm.take(nowUs);
    const coldUs = coldStart ? this.coldStart(this.options.random) : 0;
    if (coldStart) this.stats.coldStarts++;
    const executionUs = Math.ceil(invocation.workCoreUs / this.speed);
    const timedOut = executionUs > plan.executionTimeoutUsMax;
    const runUs = timedOut ? plan.executionTimeoutUsMax : executionUs;
    invocation.coldStart = coldStart;
    invocation.timedOut = timedOut;
    invocation.billedUs = runUs + (this.options.billColdStart === true ? coldUs : 0);
    this.clock.timerStartWith(coldUs + runUs, invocationEnd, invocation);
  }

  private record(workCoreUs: number, done: (argument: unknown, completed: boolean) => void, argument: unknown): Invocation {
    const invocation = this.free.pop() ?? { pool: null, done: null, argument: undefined, workCoreUs: 0, coldStart: false, billedUs: 0, timedOut: false };
    invocation.pool = this;
    invocation.done = done;
    invocation.argument = argument;
    invocation.workCoreUs = workCoreUs;
    return invocation;
  }

  private dequeue(): Invocation {
    const invocation = this.queue[this.queueHead]!;
    this.queue[this.queueHead++] = undefined as unknown as Invocation;
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead >= 1024 && 2 * this.queueHead >= this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    return invocation;
  }
}

/** A pool on a profile's serverless plan (default: the profile's default plan). */
export function functionPoolFromProfile(
  profile: CloudProfile, options: Omit<FunctionPoolOptions, "plan">, planName = profile.serverless.defaultPlan,
): FunctionPool {
  const plan = profile.serverless.plans[planName];
  if (plan === undefined) {
    throw new SsmsError(ErrorCode.configInvalid,
      `function ${options.functionId}: serverless plan '${planName}' is not in profile ${profile.name}; plans are ${Object.keys(profile.serverless.plans).join(", ")}`);
  }
  return new FunctionPool({ ...options, plan });
}
