// Group commit: records accepted now go into the open batch (frames in a FrameBuffer plus the
// completions to run once they are durable); a batch is sealed every `commitPeriodUs` or as soon
// as it holds `batchRecordsMax` frames or `batchBytesMax` bytes, whichever comes first. Sealing
// appends the batch's frames with one device.append and asks for one flush; flushes complete in
// order, and each completed batch is published (its completions run) in order.
//
// With `commitWhenIdle`, a batch is also sealed as soon as no flush is in flight: at once after
// a publish (whatever the published batch's processors submitted meanwhile), and at the next
// turn of the clock for a batch opened while the device is idle. Waiting then would only add
// latency; while a flush is in flight the batch grows, so batches size themselves to the device.
//
// Reentrancy: completions run processor code that submits new steps. All sealing and publishing
// happens from a timer or flush callback, inside one `pump` loop, never inside a caller's API
// call, so callbacks never run nested inside submitStep, and a device whose flush completes
// synchronously (memory) cannot build an unbounded stack: a batch that fills up while another is
// being published is sealed at once and published after it, by the same loop.

import { assert } from "../io/assert.ts";
import type { Clock, TimerId } from "../io/clock.ts";
import type { Err } from "../io/result.ts";
import type { LogDevice } from "../io/log-device.ts";
import type { SourceState } from "./dedup.ts";
import type { Entry, Lsn, Step } from "./entry.ts";
import { FrameBuffer } from "./frame-buffer.ts";
import type { LogicalDarq, Pair } from "./logical-darq.ts";

/** Called when a step is durable (failure null) or can never be (device failure). */
export type StepDone = (failure: Err | null, step: Step) => void;
/**
 * Called when something is durable (an enqueued message, or a duplicate of a durable one; a
 * fence, adoption or release), or with the failure if it never will be.
 */
export type EnqueueDone = (failure: Err | null) => void;
export type DurableDone = EnqueueDone;
/** Called when a registration is durable, with the new incarnation. */
export type RegisterDone = (failure: Err | null, incarnation: number) => void;

/** One group-commit batch: where its frames went and what to do once they are durable. */
export class Batch {
  lsnEnd: Lsn = 0;
  byteStart = -1;
  byteEnd = -1;
  /** Offset of a checkpoint's first frame within this batch's bytes, or -1. */
  checkpointAt = -1;
  readonly steps: Step[] = [];
  readonly stepDone: StepDone[] = [];
  /** Enqueues and other records whose callers only wait for durability. */
  readonly durableDone: DurableDone[] = [];
  readonly registered: LogicalDarq[] = [];
  readonly registerIncarnations: number[] = [];
  readonly registerDone: RegisterDone[] = [];
  /** New IN entries and their logical DARQs, announced to its processor. */
  readonly inEntries: Entry[] = [];
  readonly inLogicals: LogicalDarq[] = [];
  /** Remote out-messages to release to the out-sender: pair and sequence number. */
  readonly outPairs: Pair[] = [];
  readonly outSeqs: number[] = [];
  /** FIFO sources to acknowledge, with the sequence number to acknowledge. */
  readonly ackSources: SourceState[] = [];
  readonly ackSeqs: number[] = [];

  /** The batch will never be durable: every waiting caller hears why. */
  fail(failure: Err): void {
    for (let index = 0; index < this.steps.length; index++) this.stepDone[index]!(failure, this.steps[index]!);
    for (const done of this.durableDone) done(failure);
    for (let index = 0; index < this.registerDone.length; index++) {
      this.registerDone[index]!(failure, this.registerIncarnations[index]!);
    }
  }

  reset(): void {
    this.lsnEnd = 0;
    this.byteStart = -1;
    this.byteEnd = -1;
    this.checkpointAt = -1;
    // Most batches use few of these lists; setting an array's length is not free, so skip empty ones.
    if (this.steps.length !== 0) {
      this.steps.length = 0;
      this.stepDone.length = 0;
    }
    if (this.durableDone.length !== 0) this.durableDone.length = 0;
    if (this.registered.length !== 0) {
      this.registered.length = 0;
      this.registerIncarnations.length = 0;
      this.registerDone.length = 0;
    }
    if (this.inEntries.length !== 0) {
      this.inEntries.length = 0;
      this.inLogicals.length = 0;
    }
    if (this.outPairs.length !== 0) {
      this.outPairs.length = 0;
      this.outSeqs.length = 0;
    }
    if (this.ackSources.length !== 0) {
      this.ackSources.length = 0;
      this.ackSeqs.length = 0;
    }
  }
}

export type GroupCommitConfig = {
  readonly commitPeriodUs: number;
  readonly batchRecordsMax: number;
  readonly batchBytesMax: number;
  readonly commitWhenIdle: boolean;
};

export type GroupCommitHooks = {
  /** The LSN that the next entry would get (a sealed batch covers everything below it). */
  lsnNext(): Lsn;
  /** Runs a durable batch's completions. */
  publish(batch: Batch): void;
  /** The device failed; every unpublished batch is handed over once, then nothing more runs. */
  failed(error: Error, unpublished: readonly Batch[]): void;
};

export class GroupCommit {
  readonly buffer = new FrameBuffer();
  private open: Batch | null = null;
  private readonly inflight: Batch[] = [];
  private inflightHead = 0;
  /** Batches whose flush completed, waiting to be published in order. */
  private durableCount = 0;
  private readonly spare: Batch[] = [];
  private timer: TimerId = -1;
  /** The pending timer has delay 0 (no need to re-arm it). */
  private timerSoon = false;
  private pumping = false;
  private stopped = false;
  private readonly onTimer = (): void => this.timerFired();
  private readonly onFlushed = (error: Error | null): void => this.flushed(error);

  constructor(
    private readonly device: LogDevice,
    private readonly clock: Clock,
    private readonly config: GroupCommitConfig,
    private readonly hooks: GroupCommitHooks,
  ) {}

  /** The open batch, created (and its commit timer started) on first use. */
  batch(): Batch {
    if (this.open !== null) return this.open;
    assert(!this.stopped, "group commit used after stop");
    const batch = this.spare.pop() ?? new Batch();
    this.open = batch;
    const idle = this.config.commitWhenIdle && this.inflightHead === this.inflight.length;
    this.timerSoon = idle || this.config.commitPeriodUs === 0;
    this.timer = this.clock.timerStart(idle ? 0 : this.config.commitPeriodUs, this.onTimer);
    return batch;
  }

  /** Called after a caller finished adding to the open batch: seals it early when full. */
  added(): void {
    const buffer = this.buffer;
    if (buffer.frames < this.config.batchRecordsMax && buffer.used < this.config.batchBytesMax) return;
    // Inside the pump a full batch is sealed at once; otherwise from a zero-delay timer, so that
    // no callback runs inside the caller.
    if (this.pumping) this.seal();
    else this.sealSoon();
  }

  /** Seals the open batch from a zero-delay timer instead of waiting for the commit period. */
  sealSoon(): void {
    if (this.open === null || this.stopped) return;
    if (this.timerSoon) return;
    if (this.timer !== -1) this.clock.timerCancel(this.timer);
    this.timerSoon = true;
    this.timer = this.clock.timerStart(0, this.onTimer);
  }

  /** Appended but unpublished batches (for limits and tests). */
  get unpublishedCount(): number {
    return this.inflight.length - this.inflightHead + (this.open === null ? 0 : 1);
  }

  /** Stops timers and drops callbacks: the DARQ object is being abandoned (crash, close). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== -1) this.clock.timerCancel(this.timer);
    this.timer = -1;
  }

  private timerFired(): void {
    this.timer = -1;
    this.timerSoon = false;
    if (this.stopped || this.open === null) return;
    if (this.pumping) return this.seal();
    this.pumping = true;
    try {
      this.seal();
    } finally {
      this.pumping = false;
    }
    this.pump();
  }

  /** Appends the open batch's frames and requests its flush. */
  private seal(): void {
    const batch = this.open;
    if (batch === null) return;
    this.open = null;
    if (this.timer !== -1) this.clock.timerCancel(this.timer);
    this.timer = -1;
    this.timerSoon = false;
    batch.lsnEnd = this.hooks.lsnNext();
    if (this.buffer.frames > 0) {
      // A view, not a copy: the device copies on append (engine/io/log-device.ts).
      batch.byteStart = this.device.append(this.buffer.takeView());
      batch.byteEnd = this.device.end();
    }
    this.inflight.push(batch);
    this.device.flush(this.onFlushed);
  }

  private flushed(error: Error | null): void {
    if (this.stopped) return;
    if (error !== null) return this.fail(error);
    this.durableCount++;
    this.pump();
  }

  /** Publishes durable batches in order; the only place completions run. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        if (this.stopped) break;
        if (this.durableCount === 0) {
          // Idle device, work waiting: seal now (a synchronous flush loops back here).
          if (!this.config.commitWhenIdle || this.open === null || this.inflightHead !== this.inflight.length) break;
          this.seal();
          continue;
        }
        this.durableCount--;
        const batch = this.inflight[this.inflightHead]!;
        this.inflight[this.inflightHead++] = undefined as unknown as Batch;
        if (this.inflightHead === this.inflight.length) {
          this.inflight.length = 0;
          this.inflightHead = 0;
        }
        this.hooks.publish(batch);
        batch.reset();
        this.spare.push(batch);
      }
    } finally {
      this.pumping = false;
    }
  }

  private fail(error: Error): void {
    const unpublished = this.inflight.slice(this.inflightHead);
    if (this.open !== null) unpublished.push(this.open);
    this.stop();
    this.open = null;
    this.inflight.length = 0;
    this.hooks.failed(error, unpublished);
  }
}
