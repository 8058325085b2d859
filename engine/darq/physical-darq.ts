// PhysicalDarq: one append-only log on one LogDevice, one sequencer, hosting many logical DARQs
// (one per automaton). This is the public API of engine/darq; DESIGN §3 is its specification.
//
//   const darq = PhysicalDarq.open({ device, clock, transport, router, address, config });
//       Recovers whatever the device holds (an empty device gives an empty DARQ; a log that is
//       not a DARQ log throws SsmsError frameCorrupt), cuts a torn tail, listens on `address`.
//       Nothing is visible until the recovered log is durable again.
//   darq.host(id)                                  → Result<boolean>   (true: newly hosted)
//       Durable with the next batch; a later registration's `done` implies it.
//   darq.register(id, onInput, done)               → Result<incarnation>
//       Bumps and persists the incarnation (older processors are fenced at once). `done(null,
//       incarnation)` runs once durable; then readUnconsumed(id) is complete, and every later
//       durable IN entry is passed to onInput(entry), in log order, exactly one of the two ways.
//   darq.readUnconsumed(id)                        → Result<Entry[]>   SELF (log order), then IN
//       Durable entries only.
//   darq.submitStep(step, done)                    → Result<firstLsn>
//       Validates with no effect on failure (stepEmpty, stepConflict, stepUnknownInput,
//       stepStaleIncarnation, logicalDarqMigrating, messageTooLarge, …). On success the step's
//       self-messages get LSNs firstLsn, +1, … (then its out-messages), and done(null, step) runs
//       once it is durable; only then do its out-messages leave. A step may consume durable IN
//       entries and its logical DARQ's SELF entries, even ones still pending (snapshots).
//   darq.enqueue(id, producer, seq, body, done)    → Result<boolean>   (false: duplicate)
//       External input, exactly once per (producer, seq); done(null) once durable (for a
//       duplicate: once the first copy is). notHere if id is not hosted here.
//   darq.migration.fence(id, done), .exportState(id), .adopt(state, done), .release(id, done)
//       Moving a logical DARQ between physical DARQs; see migration.ts for the protocol.
//   darq.stop()                                    abandon this object (crash or shutdown)
//   darq.hosts(id), .lsnDurable, .unpublishedBatches, .liveBytes, .stats, .recovery
//
// Callbacks never run inside these calls; they run from the clock or the device. A device
// failure fails every waiting callback with deviceFailed and the DARQ must be reopened. Over the
// Transport seam the DARQ speaks the wire messages of wire.ts: data/ack/nack/notHere between
// DARQs, enqueue/enqueued (or notHere) with producers. Targets are found through the injected
// DarqRouter; a co-located target gets its messages inside the sending step's own log record.

import { ErrorCode } from "../io/errors.ts";
import type { Clock } from "../io/clock.ts";
import type { LogDevice } from "../io/log-device.ts";
import { err, type Err, ok, type Result } from "../io/result.ts";
import type { Address, Transport } from "../io/transport.ts";
import { Compactor } from "./checkpoint.ts";
import { type DarqConfig, darqConfigResolve } from "./darq-config.ts";
import { Entry, EntryKind, type Lsn, type Step } from "./entry.ts";
import { type Batch, type EnqueueDone, GroupCommit, type RegisterDone, type StepDone } from "./group-commit.ts";
import { Inbox } from "./inbox.ts";
import { DarqState, hostApply, type InputHandler, type LogicalDarq, registerApply } from "./logical-darq.ts";
import { Migrator } from "./migration.ts";
import { type DarqRouter, OutSender } from "./out-sender.ts";
import { hostEncode, registerEncode, StepWriter, stepBytesBound } from "./record-codec.ts";
import { stepAppend } from "./step-append.ts";
import { recover, type RecoveryReport } from "./recovery.ts";
import { idProblem, stepValidate } from "./step-validate.ts";
import { wireParse } from "./wire.ts";

export type PhysicalDarqOptions = {
  readonly device: LogDevice;
  readonly clock: Clock;
  readonly transport: Transport;
  readonly router: DarqRouter;
  /** This DARQ's transport address. */
  readonly address: Address;
  readonly config?: Readonly<Record<string, unknown>>;
};

export type PhysicalDarqStats = { stepsCommitted: number; checkpoints: number; bytesReclaimed: number };

export class PhysicalDarq {
  readonly config: DarqConfig;
  readonly address: Address;
  private readonly counts = { stepsCommitted: 0 };
  readonly recovery: RecoveryReport;
  private readonly state = new DarqState();
  private readonly device: LogDevice;
  private readonly transport: Transport;
  private readonly commit: GroupCommit;
  private readonly inbox: Inbox;
  private readonly sender: OutSender;
  private readonly compactor: Compactor;
  /** Moving logical DARQs to and from this physical DARQ (migration.ts). */
  readonly migration: Migrator;
  private failure: Err | null = null;
  private readonly writer = new StepWriter();

  static open(options: PhysicalDarqOptions): PhysicalDarq {
    return new PhysicalDarq(options);
  }

  private constructor(options: PhysicalDarqOptions) {
    this.config = darqConfigResolve(options.config);
    this.address = options.address;
    this.device = options.device;
    this.transport = options.transport;
    this.recovery = recover(options.device, this.state);
    this.commit = new GroupCommit(options.device, options.clock, this.config, {
      lsnNext: () => this.state.lsnNext,
      publish: (batch) => this.publish(batch),
      failed: (error, unpublished) => this.failed(error, unpublished),
    });
    this.compactor = new Compactor(options.device, this.state, this.commit, this.config);
    this.inbox = new Inbox(this.state, this.commit, options.transport, options.address, this.config);
    this.sender = new OutSender(this.state, options.address, options.clock, options.transport, options.router,
      this.config);
    this.migration = new Migrator(this.state, this.commit, this.sender, options.address, () => this.failure);
    options.transport.listen(options.address, (from, message) => this.receive(from, message));
    this.recoveryBatch();
  }

  /**
   * The first batch makes the recovered log durable before anything becomes visible. What the
   * replay found is captured now, before new work changes the state: once this batch is durable,
   * replayed arrivals count as durable (acks may name them), replayed unacked out-messages are
   * sent again, and replayed fences allow export.
   */
  private recoveryBatch(): void {
    const batch = this.commit.batch();
    for (const logical of this.state.byName.values()) {
      for (const source of logical.sources.values()) {
        batch.ackSources.push(source);
        batch.ackSeqs.push(source.seqExpected - 1);
      }
      for (const pair of logical.pairs.values()) {
        if (pair.unackedCount === 0) continue;
        batch.outPairs.push(pair);
        batch.outSeqs.push(pair.seqNext - 1);
      }
      if (logical.fenced) batch.durableDone.push(() => { logical.fenceDurable = true; });
    }
    this.commit.sealSoon();
  }

  host(logicalDarq: string): Result<boolean> {
    if (this.failure !== null) return this.failure;
    const problem = idProblem("logical DARQ id", logicalDarq);
    if (problem !== null) return err(ErrorCode.argumentInvalid, problem);
    if (this.state.byName.has(logicalDarq)) return ok(false);
    const index = this.state.logicalIndexNext;
    this.commit.batch();
    hostApply(this.state, logicalDarq, index);
    hostEncode(this.commit.buffer, index, logicalDarq);
    this.commit.added();
    return ok(true);
  }

  hosts(logicalDarq: string): boolean {
    return this.state.byName.has(logicalDarq);
  }

  register(logicalDarq: string, onInput: InputHandler, done: RegisterDone): Result<number> {
    const logical = this.logicalActive(logicalDarq);
    if (!logical.ok) return logical;
    const target = logical.value;
    const incarnation = target.incarnation + 1;
    const batch = this.commit.batch();
    registerApply(target, incarnation);
    registerEncode(this.commit.buffer, target.index, incarnation);
    target.onInput = onInput;
    target.notifyFromLsn = Number.MAX_SAFE_INTEGER;
    batch.registered.push(target);
    batch.registerIncarnations.push(incarnation);
    batch.registerDone.push(done);
    this.commit.added();
    return ok(incarnation);
  }

  readUnconsumed(logicalDarq: string): Result<Entry[]> {
    const logical = this.logical(logicalDarq);
    if (!logical.ok) return logical;
    const entries: Entry[] = [];
    const lsnDurable = this.state.lsnDurable;
    logical.value.selves.forEach((lsn, body) => {
      if (lsn >= lsnDurable) return false;
      entries.push(new Entry(lsn, EntryKind.self, body, "", false, 0));
      return true;
    });
    logical.value.ins.forEach((lsn, entry) => {
      if (lsn >= lsnDurable) return false;
      entries.push(entry);
      return true;
    });
    return ok(entries);
  }

  submitStep(step: Step, done: StepDone): Result<Lsn> {
    // The usual case (hosted, not migrating, no failure) without building a Result.
    let logical = this.failure === null ? this.state.byName.get(step.logicalDarq) : undefined;
    if (logical === undefined || logical.fenced) {
      const found = this.logicalActive(step.logicalDarq);
      if (!found.ok) return found;
      logical = found.value;
    }
    const state = this.state;
    const bytesBound = stepBytesBound(step);
    const problem = stepValidate(state, logical, step, this.config, bytesBound);
    if (problem !== null) return problem;
    const batch = this.commit.batch();
    const firstLsn = stepAppend(state, logical, step, batch, this.writer, this.commit.buffer, bytesBound);
    batch.steps.push(step);
    batch.stepDone.push(done);
    this.commit.added();
    return ok(firstLsn);
  }

  enqueue(logicalDarq: string, producer: string, seq: number, body: Uint8Array, done: EnqueueDone): Result<boolean> {
    if (this.failure !== null) return this.failure;
    return this.inbox.enqueue(logicalDarq, producer, seq, body, done);
  }

  /** Stops timers and listening; the object is dead afterwards (used to model a crash, too). */
  stop(): void {
    if (this.failure === null) this.failure = err(ErrorCode.deviceClosed, `physical DARQ ${this.address} stopped`);
    this.commit.stop();
    this.sender.stop();
    this.transport.unlisten(this.address);
  }

  /** Entries below this LSN are durable. */
  get lsnDurable(): Lsn {
    return this.state.lsnDurable;
  }

  get stats(): PhysicalDarqStats {
    const { checkpoints, bytesReclaimed } = this.compactor.stats;
    return { stepsCommitted: this.counts.stepsCommitted, checkpoints, bytesReclaimed };
  }

  /** Batches accepted but not yet published (0: nothing is waiting for durability). */
  get unpublishedBatches(): number {
    return this.commit.unpublishedCount;
  }

  /** Bytes of unconsumed entries and unacknowledged out-messages. */
  get liveBytes(): number {
    return this.state.liveBytes;
  }

  get senderStats(): OutSender["stats"] {
    return this.sender.stats;
  }

  get inboxStats(): Inbox["stats"] {
    return this.inbox.stats;
  }

  /** Ids of the hosted logical DARQs. */
  logicalDarqs(): string[] {
    return [...this.state.byName.keys()];
  }

  private logical(name: string): Result<LogicalDarq> {
    if (this.failure !== null) return this.failure;
    const logical = this.state.byName.get(name);
    if (logical === undefined) {
      return err(ErrorCode.logicalDarqUnknown, `logical DARQ '${name}' is not hosted on physical DARQ ${this.address}`);
    }
    return ok(logical);
  }

  /** A hosted logical DARQ that is not migrating away. */
  private logicalActive(name: string): Result<LogicalDarq> {
    const logical = this.logical(name);
    if (logical.ok && logical.value.fenced) {
      return err(ErrorCode.logicalDarqMigrating, `logical DARQ '${name}' is migrating away from ${this.address}`);
    }
    return logical;
  }

  private receive(from: Address, raw: unknown): void {
    if (this.failure !== null) return;
    const message = wireParse(raw);
    if (message === null) return;
    if (message.kind === "data") this.inbox.onData(from, message);
    else if (message.kind === "enqueue") this.inbox.onEnqueue(from, message);
    else if (message.kind !== "enqueued") this.sender.onReply(message);
  }

  private publish(batch: Batch): void {
    const state = this.state;
    state.lsnDurable = batch.lsnEnd;
    // What the batch lets leave goes first: acks and out-messages, pushed to the wire now. The
    // callbacks below may run processors' handlers synchronously (a co-located processor whose
    // compute is real), and messages queued behind them would wait for all of them.
    this.inbox.publish(batch);
    for (let index = 0; index < batch.outPairs.length; index++) this.sender.release(batch.outPairs[index]!, batch.outSeqs[index]!);
    this.sender.sendReleased();
    this.transport.flush?.();
    const { registered, steps, inEntries, inLogicals } = batch;
    for (let index = 0; index < registered.length; index++) {
      const logical = registered[index]!;
      const incarnation = batch.registerIncarnations[index]!;
      if (logical.incarnation === incarnation) logical.notifyFromLsn = state.lsnDurable;
      batch.registerDone[index]!(null, incarnation);
    }
    this.counts.stepsCommitted += steps.length;
    for (let index = 0; index < steps.length; index++) batch.stepDone[index]!(null, steps[index]!);
    for (let index = 0; index < inEntries.length; index++) {
      const logical = inLogicals[index]!;
      const entry = inEntries[index]!;
      // A processor that also reads may have consumed the entry already: announce only live ones.
      if (logical.onInput !== null && entry.lsn >= logical.notifyFromLsn && logical.ins.has(entry.lsn)) {
        logical.onInput(entry);
      }
    }
    for (const done of batch.durableDone) done(null);
    if (this.failure === null) this.compactor.published(batch);
  }

  private failed(error: Error, unpublished: readonly Batch[]): void {
    this.failure = err(ErrorCode.deviceFailed, `physical DARQ ${this.address}: log device failed: ${error.message}`);
    this.sender.stop();
    this.transport.unlisten(this.address);
    for (const batch of unpublished) batch.fail(this.failure);
  }
}
