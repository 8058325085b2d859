// AutomatonHost: runs one automaton on its logical DARQ of a physical DARQ. It registers as the
// logical DARQ's processor (a new incarnation fences any older one), replays the SELF records to
// rebuild state (host-replay.ts), then handles the unconsumed inputs in log order, one step
// each: build the step (step-builder.ts), submit {consumed: [input], self: [events], out: sends},
// fold the events into state. The user writes no checkpoint, retry or recovery code.
//
// Pipelining: events are applied as soon as the DARQ accepts a step, before it is durable, so
// the next input need not wait for a group commit. This is safe because the log is durable as a
// prefix: a later step can never survive a crash that an earlier one does not, out-messages
// leave only once durable, and any failure stops the host, whose restart replays the log.
// `state` may therefore include accepted, not yet durable steps; `stats.stepsDurable` says how
// many are durable.
//
// Poison inputs: a handler failure commits nothing; the input is retried after a growing delay
// and after `attemptsMax` failures consumed into a dead-letter SELF record, so one bad message
// cannot block its automaton forever. An input that does not decode or names another automaton
// is dead-lettered at once (retrying cannot help).
//
// Compaction: every `snapshotEverySteps` steps a self-only step consumes the durable SELF
// records and writes one snapshot record in their place (DESIGN §3 property 9).
//
// Modelled compute: `work(coreUs, done)`, when given, runs before a step with work is submitted
// (the simulator turns coreUs into virtual time on a modelled core); the automaton is busy
// meanwhile, as a real one computing would be.

import type { TimerId } from "../io/clock.ts";
import { ErrorCode } from "../io/errors.ts";
import { err, type Err } from "../io/result.ts";
import type { Entry, Step } from "../darq/index.ts";
import type { AutomatonDefinition } from "./automaton.ts";
import { envelopeDecode, type DeadLetter } from "./codec.ts";
export type { AutomatonHostOptions, HostReport, HostStats, HostStatus } from "./host-config.ts";
import type { StagedSend, StagedStep } from "./context.ts";
import {
  hostConfigResolve, retryDelayUsAfter, type AutomatonHostOptions, type CommittedInput, type HostConfig, type HostReport, type HostStats,
  type HostStatus,
} from "./host-config.ts";
import { replay, snapshotOf } from "./host-replay.ts";
import { deadLetterStep, inputStep, snapshotStep } from "./host-steps.ts";
import type { AutomatonId } from "./ids.ts";
import { applyEvents, StepBuilder, type StepFailure } from "./step-builder.ts";

/** Bytes of a poison input kept in its dead letter. */
export const deadLetterBodyBytesMax = 64 * 1024;

export class AutomatonHost<State, Message, Event> {
  readonly config: HostConfig;
  readonly stats: HostStats = { stepsSubmitted: 0, stepsDurable: 0, handlerFailures: 0, deadLettered: 0, snapshots: 0, workUs: 0 };
  private currentStatus: HostStatus = "idle";
  private currentState: State;
  private registered = 0;
  private readonly builder: StepBuilder<State, Message, Event>;
  private readonly queue: Entry[] = [];
  private queueHead = 0;
  private lsnQueuedMax = 0;
  private attempts = 0;
  /** Retry wait, compute or a yielded turn in progress: the pump waits for it. */
  private waiting = false;
  private timer: TimerId | null = null;
  private selfLsns: number[] = [];
  private deadLettersKept: DeadLetter[] = [];
  private stepsSinceSnapshot = 0;
  private endReason: Err | null = null;
  /** The input whose modelled compute is running, its staged step and its start time. */
  private workEntry: Entry | null = null;
  private workStaged: StagedStep<Event> | null = null;
  private workStartUs = 0;
  private workInside = false;
  private readonly onWorkDone = (): void => this.workDone();

  constructor(
    // `any` snapshot type: the host stores snapshots opaquely; `restore` makes that type invariant.
    readonly definition: AutomatonDefinition<State, Message, Event, any>,
    readonly id: AutomatonId,
    private readonly options: AutomatonHostOptions,
  ) {
    this.config = hostConfigResolve(options.config);
    this.builder = new StepBuilder(definition, id);
    this.currentState = definition.initial();
  }

  /** The incarnation this host registered with (its steps carry it). */
  get incarnation(): number {
    return this.registered;
  }

  get status(): HostStatus {
    return this.currentStatus;
  }

  /** The automaton's state (including accepted, not yet durable steps; see the file comment). */
  get state(): Readonly<State> {
    return this.currentState;
  }

  /** Why the host ended (fenced, failed or stopped), or null while it runs. */
  get reason(): Err | null {
    return this.endReason;
  }

  /** The kept dead letters, oldest first. */
  deadLetters(): readonly DeadLetter[] {
    return this.deadLettersKept;
  }

  /** Inputs waiting to be handled. */
  get backlog(): number {
    return this.queue.length - this.queueHead;
  }

  /** Hosts the logical DARQ if needed and registers; recovery and processing follow by callback. */
  start(): void {
    if (this.currentStatus !== "idle") return;
    this.currentStatus = "starting";
    const darq = this.options.darq;
    const hosted = darq.host(this.id);
    if (!hosted.ok) return this.end("failed", hosted);
    const registered = darq.register(this.id, (entry) => this.onInput(entry),
      (failure, incarnation) => this.onRegistered(failure, incarnation));
    if (!registered.ok) return this.end("failed", registered);
    this.registered = registered.value;
  }

  /** Stops handling inputs; another host may take over (and will fence this one). */
  stop(): void {
    if (this.ended()) return;
    this.end("stopped", err(ErrorCode.deviceClosed, `automaton '${this.id}': host stopped`));
  }

  private onRegistered(failure: Err | null, incarnation: number): void {
    if (this.currentStatus !== "starting") return;
    if (failure !== null) return this.end("failed", failure);
    const entries = this.options.darq.readUnconsumed(this.id);
    if (!entries.ok) return this.end("failed", entries);
    const replayed = replay(this.definition, this.id, entries.value, this.config.deadLettersKeptMax);
    if (!replayed.ok) return this.end("failed", replayed);
    const { state, selfLsns, deadLetters, inputs } = replayed.value;
    this.currentState = state;
    this.selfLsns = selfLsns;
    this.deadLettersKept = deadLetters;
    for (const entry of inputs) this.enqueue(entry);
    this.currentStatus = "running";
    this.report({ kind: "ready", id: this.id, incarnation, selfReplayed: selfLsns.length, inputs: inputs.length });
    this.pump();
  }

  private onInput(entry: Entry): void {
    // Before registration is durable, readUnconsumed will include the entry; after the end, nobody cares.
    if (this.currentStatus !== "running") return;
    this.enqueue(entry);
    if (!this.waiting) this.pump();
  }

  private enqueue(entry: Entry): void {
    if (entry.lsn <= this.lsnQueuedMax) return;
    this.lsnQueuedMax = entry.lsn;
    this.queue.push(entry);
  }

  /** Handles queued inputs until the queue is empty, a wait starts, or the turn's budget is spent. */
  private pump(): void {
    let handled = 0;
    while (this.currentStatus === "running" && !this.waiting && this.queueHead < this.queue.length) {
      if (handled === this.config.inputsPerTurnMax) {
        this.waitFor(0);
        return;
      }
      handled++;
      this.handleHead(this.queue[this.queueHead]!);
    }
    // Handled entries must not stay referenced: a drained queue is emptied at once (an automaton
    // that handles a few messages now and then would otherwise keep up to 1,024 of them).
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  /** One attempt at the input at the head of the queue. */
  private handleHead(entry: Entry): void {
    const envelope = envelopeDecode(entry.body);
    if (!envelope.ok) return this.deadLetter(entry, `${envelope.code}: ${envelope.reason}`);
    if (envelope.value.to !== this.id) {
      return this.deadLetter(entry, `${ErrorCode.messageInvalid}: message addressed to '${envelope.value.to}' reached '${this.id}'`);
    }
    const nowUs = this.options.clock.nowUs();
    const built = this.builder.build(this.currentState, envelope.value.message as Message,
      { lsn: entry.lsn, nowUs, replyTo: envelope.value.replyTo });
    if (!built.ok) return this.attemptFailed(entry, built);
    const staged = built.value;
    const work = this.options.work;
    if (work === undefined || staged.workUs === 0) return this.submit(entry, staged, nowUs);
    // The step waits for its compute; one input is in work at a time, so its parts wait in fields
    // and one bound callback serves every step (no closure per step).
    this.waiting = true;
    this.workEntry = entry;
    this.workStaged = staged;
    this.workStartUs = nowUs;
    this.workInside = true;
    work(staged.workUs, this.onWorkDone);
    this.workInside = false;
  }

  private workDone(): void {
    const entry = this.workEntry;
    const staged = this.workStaged;
    this.workEntry = null;
    this.workStaged = null;
    this.waiting = false;
    if (entry === null || staged === null || this.currentStatus !== "running") return;
    this.submit(entry, staged, this.workStartUs);
    // A work function that completes at once (live mode) returns into the running pump loop.
    if (!this.workInside) this.pump();
  }

  private submit(entry: Entry, staged: StagedStep<Event>, nowUs: number): void {
    let step: Step;
    try {
      step = inputStep(this, entry.lsn, staged, nowUs, this.options.beforeSend);
    } catch (cause) {
      return this.attemptFailed(entry, err(ErrorCode.messageInvalid,
        `automaton '${this.id}': the step for lsn ${entry.lsn} does not encode: ${String(cause)}`));
    }
    const input: CommittedInput = { lsn: entry.lsn, body: entry.body, startUs: nowUs, submittedUs: this.options.clock.nowUs() };
    const submitted = this.options.darq.submitStep(step, (failure) => this.onDurable(failure, staged.sends, input));
    if (!submitted.ok) return this.submitRefused(entry, submitted);
    this.queueHead++;
    this.attempts = 0;
    this.stats.stepsSubmitted++;
    this.stats.workUs += staged.workUs;
    if (staged.events.length > 0) {
      this.selfLsns.push(submitted.value);
      const applied = applyEvents(this.definition, this.id, this.currentState, staged.events, { nowUs });
      if (!applied.ok) return this.end("failed", applied);
      this.currentState = applied.value;
    }
    this.compactMaybe();
  }

  /** The DARQ refused a step: fenced and DARQ failures end the host; a bad step counts as an attempt. */
  private submitRefused(entry: Entry, refusal: Err): void {
    switch (refusal.code) {
      case ErrorCode.stepStaleIncarnation:
        return this.end("fenced", refusal);
      case ErrorCode.messageTooLarge:
      case ErrorCode.argumentInvalid:
      case ErrorCode.limitExceeded:
        return this.attemptFailed(entry, err(refusal.code, `automaton '${this.id}': step for lsn ${entry.lsn} refused: ${refusal.reason}`));
      default:
        return this.end("failed", refusal);
    }
  }

  private attemptFailed(entry: Entry, failure: StepFailure | Err): void {
    this.attempts++;
    this.stats.handlerFailures++;
    this.report({ kind: "stepFailed", id: this.id, lsn: entry.lsn, attempt: this.attempts, failure });
    if (this.attempts >= this.config.attemptsMax) {
      return this.deadLetter(entry, `${failure.code}: ${failure.reason}`);
    }
    this.waitFor(retryDelayUsAfter(this.config, this.attempts));
  }

  private deadLetter(entry: Entry, reason: string): void {
    // A huge poison body would make the dead-letter record itself too large to append.
    const truncated = entry.body.length > deadLetterBodyBytesMax;
    const letter: DeadLetter = {
      lsn: entry.lsn, body: truncated ? entry.body.slice(0, deadLetterBodyBytesMax) : entry.body,
      reason: truncated ? `${reason} (body truncated to ${deadLetterBodyBytesMax} of ${entry.body.length} bytes)` : reason,
      attempts: this.attempts, nowUs: this.options.clock.nowUs(),
    };
    const submitted = this.options.darq.submitStep(deadLetterStep(this, letter), (failure) => this.onDurable(failure));
    if (!submitted.ok) return this.end(submitted.code === ErrorCode.stepStaleIncarnation ? "fenced" : "failed", submitted);
    this.queueHead++;
    this.attempts = 0;
    this.selfLsns.push(submitted.value);
    this.deadLettersKept.push(letter);
    if (this.deadLettersKept.length > this.config.deadLettersKeptMax) this.deadLettersKept.shift();
    this.stats.deadLettered++;
    this.stats.stepsSubmitted++;
    this.report({ kind: "deadLettered", id: this.id, letter });
    this.compactMaybe();
  }

  /** Every snapshotEverySteps steps: one self-only step replaces the durable SELF records. */
  private compactMaybe(): void {
    const every = this.config.snapshotEverySteps;
    if (every === 0 || ++this.stepsSinceSnapshot < every) return;
    // No SELF records (an automaton that emits no events): nothing to replace, and no array to filter.
    if (this.selfLsns.length === 0) return;
    const lsnDurable = this.options.darq.lsnDurable;
    const consumed = this.selfLsns.filter((lsn) => lsn < lsnDurable);
    if (consumed.length === 0) return; // nothing durable to replace yet: try after the next step
    const snapshot = snapshotOf(this.definition, this.currentState);
    if (!snapshot.ok) return this.end("failed", err(snapshot.code, `automaton '${this.id}': ${snapshot.reason}`));
    const step = snapshotStep(this, consumed, snapshot.value, this.deadLettersKept);
    const submitted = this.options.darq.submitStep(step, (failure) => {
      if (failure !== null) this.end("failed", failure);
    });
    if (!submitted.ok) return this.end(submitted.code === ErrorCode.stepStaleIncarnation ? "fenced" : "failed", submitted);
    this.selfLsns = this.selfLsns.filter((lsn) => lsn >= lsnDurable);
    this.selfLsns.push(submitted.value);
    this.stepsSinceSnapshot = 0;
    this.stats.snapshots++;
  }

  private onDurable(failure: Err | null, sends?: readonly StagedSend[], input?: CommittedInput): void {
    if (failure !== null) return this.end("failed", failure);
    this.stats.stepsDurable++;
    if (sends !== undefined && input !== undefined) this.options.onCommitted?.(this.id, sends, input);
  }

  private waitFor(delayUs: number): void {
    this.waiting = true;
    this.timer = this.options.clock.timerStart(delayUs, () => {
      this.timer = null;
      this.waiting = false;
      this.pump();
    });
  }

  private ended(): boolean {
    const status = this.currentStatus;
    return status === "fenced" || status === "failed" || status === "stopped";
  }

  private end(status: HostStatus, reason: Err): void {
    if (this.ended()) return;
    this.currentStatus = status;
    this.endReason = reason;
    if (this.timer !== null) this.options.clock.timerCancel(this.timer);
    this.timer = null;
    this.report({ kind: "ended", id: this.id, status, reason });
  }

  private report(report: HostReport): void {
    this.options.onReport?.(report);
  }
}
