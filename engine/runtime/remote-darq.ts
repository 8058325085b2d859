// RemoteDarq: the DarqPort of a processor whose DARQ is on another machine. It speaks the
// processor wire (processor-wire.ts) to the DARQ node's ProcessorService, and gives the
// AutomatonHost the same synchronous interface a PhysicalDarq gives in-process.
//
// Two answers that a PhysicalDarq gives at once arrive later over the network, so they are
// stood in for:
// - The incarnation: `register` answers 0 and every step is sent with the real incarnation,
//   learnt from procRegistered (one RemoteDarq serves one registration, so there is no doubt).
// - The LSN of a step's self-message: `submitStep` answers a provisional LSN, provisionalBase + k
//   for the k-th step of the session, far above any real LSN. `lsnDurable` is provisionalBase + the
//   number of durable steps, so "provisional LSN < lsnDurable" means exactly "that step is
//   durable", as it does for real LSNs; and a later step that consumes a provisional LSN (a
//   compaction) has it replaced by the real one, known by then since that step was durable.
//
// The network may lose, duplicate or reorder messages. Inputs and steps are numbered per session
// and taken only in order (a duplicate or early arrival is dropped); the registration and every
// unanswered step are resent with backoff while something is outstanding (no timer otherwise),
// and each step acknowledges the inputs and answers received so far, so the service resends what
// was lost. `onBroken` tells the owner when the session can no longer work (its registration
// failed, or it saw nothing back for `attemptsMax` resends).

import type { Clock, TimerId } from "../io/clock.ts";
import { ErrorCode } from "../io/errors.ts";
import { err, ok, type Err, type Result } from "../io/result.ts";
import type { Address, Transport } from "../io/transport.ts";
import type { Entry, InputHandler, Lsn, RegisterDone, Step, StepDone } from "../darq/index.ts";
import type { DarqPort } from "./darq-port.ts";
import {
  entryOfRow, processorWireOverheadBytes, stepBytes,
  type ProcFailed, type ProcInput, type ProcRegister, type ProcRegistered, type ProcStep, type ProcStepDone,
} from "./processor-wire.ts";

/** Provisional LSNs start here: 2^50, far above real LSNs, still safe integers. */
export const provisionalLsnBase = 2 ** 50;

type PendingStep = { readonly step: Step; readonly done: StepDone; readonly provisional: number; readonly message: ProcStep };

export type RemoteDarqTiming = { readonly resendUsMin: number; readonly resendUsMax: number; readonly attemptsMax: number };

export const remoteDarqTimingDefault: RemoteDarqTiming = { resendUsMin: 50_000, resendUsMax: 1_000_000, attemptsMax: 200 };

export class RemoteDarq implements DarqPort {
  private incarnation = 0;
  private onInput: InputHandler | null = null;
  private registerDone: RegisterDone | null = null;
  private registered = false;
  private entries: Entry[] = [];
  private inputsReceived = 0;
  private stepSeqNext = 1;
  private stepSeqDone = 0;
  private readonly pending: PendingStep[] = [];
  private pendingHead = 0;
  private durableCount = 0;
  /** Provisional → real LSN of durable steps' self-messages, until a compaction consumes them. */
  private readonly realLsns = new Map<number, number>();
  private broken: Err | null = null;
  private timer: TimerId = -1;
  private attempts = 0;
  /** Boot of the DARQ node that registered this session ("" until registered). */
  boot = "";

  constructor(
    readonly id: string,
    readonly session: string,
    private readonly transport: Transport,
    private readonly clock: Clock,
    /** This compute node's processor address (the RemoteDarqLink listens there). */
    private readonly address: Address,
    /** The DARQ node's processor service. */
    readonly server: Address,
    private readonly onBroken: (reason: Err) => void,
    /** Epoch of the registration (the metadata operation that started this processor). */
    private readonly epoch: number,
    private readonly timing: RemoteDarqTiming = remoteDarqTimingDefault,
  ) {}

  host(_logicalDarq: string): Result<boolean> {
    // The processor service hosts the logical DARQ when it registers the processor.
    return ok(false);
  }

  register(logicalDarq: string, onInput: InputHandler, done: RegisterDone): Result<number> {
    if (logicalDarq !== this.id || this.registerDone !== null || this.onInput !== null) {
      return err(ErrorCode.argumentInvalid, `remote DARQ session ${this.session} serves one registration of '${this.id}'`);
    }
    this.onInput = onInput;
    this.registerDone = done;
    this.sendRegister();
    this.armResend();
    return ok(0);
  }

  readUnconsumed(logicalDarq: string): Result<Entry[]> {
    if (logicalDarq !== this.id) return err(ErrorCode.logicalDarqUnknown, `remote DARQ session ${this.session} serves '${this.id}' only`);
    const entries = this.entries;
    this.entries = [];
    return ok(entries);
  }

  submitStep(step: Step, done: StepDone): Result<Lsn> {
    if (this.broken !== null) return this.broken;
    if (step.logicalDarq !== this.id) {
      return err(ErrorCode.logicalDarqUnknown, `remote DARQ session ${this.session} serves '${this.id}', not '${step.logicalDarq}'`);
    }
    const consumed = this.realLsns.size === 0 ? step.consumed : this.translated(step.consumed);
    const seq = this.stepSeqNext++;
    const provisional = provisionalLsnBase + seq - 1;
    const message: ProcStep = {
      kind: "procStep", id: this.id, session: this.session, seq, inputsAcked: this.inputsReceived, answersAcked: this.stepSeqDone,
      incarnation: this.incarnation, consumed, self: step.self, out: step.out,
    };
    this.pending.push({ step, done, provisional, message });
    this.transport.send(this.address, this.server, message, stepBytes(message));
    if (this.timer === -1) this.armResend();
    return ok(provisional);
  }

  get lsnDurable(): Lsn {
    return provisionalLsnBase + this.durableCount;
  }

  /** The owner ends the session (processor stopped or moved); later answers are ignored. */
  close(): void {
    if (this.broken === null) this.broken = err(ErrorCode.deviceClosed, `remote DARQ session ${this.session} closed`);
    this.timerStop();
  }

  onRegistered(message: ProcRegistered): void {
    const done = this.registerDone;
    if (done === null || this.broken !== null) return;
    this.registerDone = null;
    this.registered = true;
    this.boot = message.boot;
    this.incarnation = message.incarnation;
    this.entries = message.entries.map(entryOfRow);
    this.progressed();
    done(null, message.incarnation);
  }

  /** Registration refused, or (once registered) fenced by a newer registration: the session ends. */
  onFailed(message: ProcFailed): void {
    const failure = err(message.code as ErrorCode, message.reason);
    const done = this.registerDone;
    this.registerDone = null;
    if (done !== null) done(failure, 0);
    this.fail(failure);
  }

  onInputArrived(message: ProcInput): void {
    if (this.broken !== null || !this.registered || this.onInput === null) return;
    // In order only: a duplicate or an early arrival is dropped (the service resends).
    if (message.seq !== this.inputsReceived + 1) return;
    this.inputsReceived++;
    this.onInput(entryOfRow(message.entry));
  }

  onStepDone(message: ProcStepDone): void {
    if (this.broken !== null || message.seq !== this.stepSeqDone + 1) return;
    const pending = this.pending[this.pendingHead];
    if (pending === undefined) return;
    this.stepSeqDone++;
    this.pendingHead++;
    if (this.pendingHead === this.pending.length) {
      this.pending.length = 0;
      this.pendingHead = 0;
    }
    this.progressed();
    if (message.code !== "") {
      pending.done(err(message.code as ErrorCode, message.reason), pending.step);
      return;
    }
    if (pending.step.self.length > 0) this.realLsns.set(pending.provisional, message.firstLsn);
    this.durableCount++;
    pending.done(null, pending.step);
  }

  /** The DARQ node restarted with another boot: a registered session died with the old one. */
  onRestarted(boot: string): void {
    if (!this.registered || this.boot === boot) return;
    this.fail(err(ErrorCode.stepStaleIncarnation, `remote DARQ session ${this.session}: ${this.server} restarted (boot ${boot})`));
  }

  private sendRegister(): void {
    const message: ProcRegister = { kind: "procRegister", id: this.id, session: this.session, epoch: this.epoch };
    this.transport.send(this.address, this.server, message, processorWireOverheadBytes);
  }

  /** Resends a step with the acknowledgements as they are now (a fresh object: the old may be in flight). */
  private resendStep(message: ProcStep): void {
    const again: ProcStep = { ...message, inputsAcked: this.inputsReceived, answersAcked: this.stepSeqDone };
    this.transport.send(this.address, this.server, again, stepBytes(again));
  }

  /** Consumed LSNs with provisional ones replaced by the real LSNs they stood for. */
  private translated(consumed: readonly Lsn[]): Lsn[] {
    const real = consumed.map((lsn) => this.realLsns.get(lsn) ?? lsn);
    for (const lsn of consumed) this.realLsns.delete(lsn);
    return real;
  }

  /** Something came back: the next resend waits a full minimum period again. */
  private progressed(): void {
    this.attempts = 0;
    this.timerStop();
    if (this.registerDone !== null || this.pendingHead < this.pending.length) this.armResend();
  }

  private armResend(): void {
    const { resendUsMin, resendUsMax } = this.timing;
    const delayUs = Math.min(resendUsMax, resendUsMin * 2 ** Math.min(this.attempts, 20));
    this.timer = this.clock.timerStart(delayUs, () => {
      this.timer = -1;
      if (this.broken !== null) return;
      const outstanding = this.registerDone !== null || this.pendingHead < this.pending.length;
      if (!outstanding) return;
      if (++this.attempts > this.timing.attemptsMax) {
        return this.fail(err(ErrorCode.deviceFailed,
          `remote DARQ session ${this.session}: no answer from ${this.server} after ${this.timing.attemptsMax} resends`));
      }
      if (this.registerDone !== null) this.sendRegister();
      for (let index = this.pendingHead; index < this.pending.length; index++) this.resendStep(this.pending[index]!.message);
      this.armResend();
    });
  }

  private timerStop(): void {
    if (this.timer !== -1) this.clock.timerCancel(this.timer);
    this.timer = -1;
  }

  private fail(reason: Err): void {
    if (this.broken !== null) return;
    this.broken = reason;
    this.timerStop();
    // Steps in flight will never be answered on this session: fail them so the host ends.
    const pending = this.pending.slice(this.pendingHead);
    this.pending.length = 0;
    this.pendingHead = 0;
    for (const entry of pending) entry.done(reason, entry.step);
    this.onBroken(reason);
  }
}
