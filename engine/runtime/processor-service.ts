// ProcessorService: the DARQ node's end of the processor wire. Remote processors register
// through it, receive their durable inputs from it and submit their steps to it; it calls the
// PhysicalDarq exactly as an in-process processor would, so fencing, validation and durability
// are the DARQ's own. It also answers committed-state reads (the SELF entries of a logical DARQ)
// for clients.
//
// Reliability over a lossy network (the other half is in remote-darq.ts): inputs are numbered per
// session and kept until a step acknowledges them, resent with backoff while any is unacknowledged;
// steps are taken strictly in order (a resent one already taken is answered again from the kept
// answer; an early one is dropped); answers leave in step order — also when a later step is refused
// at once while an earlier one waits for its group commit — and are kept until acknowledged. A
// resent registration of the current session is answered again, never registered twice. No timer
// runs while nothing is unacknowledged.

import type { Clock, TimerId } from "../io/clock.ts";
import { coverageMark } from "../io/coverage.ts";
import { ErrorCode } from "../io/errors.ts";
import type { Err } from "../io/result.ts";
import type { Address, Transport } from "../io/transport.ts";
import { EntryKind, type Entry, type PhysicalDarq, type Step } from "../darq/index.ts";
import {
  entriesBytes, entryRow, entryRowBytes, processorWireOverheadBytes, processorWireParse,
  type EntryRow, type ProcRegistered, type ProcStep, type ProcStepDone, type StateRead, type StateReadReply,
} from "./processor-wire.ts";

type Session = {
  readonly id: string;
  readonly session: string;
  readonly client: Address;
  registered: ProcRegistered | null;
  /** Inputs pushed and not yet acknowledged: numbers pushAcked+1 … pushAcked+pushes.length. */
  readonly pushes: EntryRow[];
  pushAcked: number;
  pushTimer: TimerId;
  pushAttempts: number;
  /** Steps taken (submitted to the DARQ) so far. */
  stepsTaken: number;
  /** Answers of steps answersAcked+1 … in order; null until the step's outcome is known. */
  readonly answers: (ProcStepDone | null)[];
  answersAcked: number;
  /** Answers (from answersAcked+1) already sent once. */
  answersSent: number;
};

export type ProcessorServiceStats = {
  registrations: number; steps: number; stepsRepeated: number; inputsPushed: number; inputsResent: number; stateReads: number;
};

export type ProcessorServiceTiming = { readonly resendUsMin: number; readonly resendUsMax: number; readonly attemptsMax: number };

const timingDefault: ProcessorServiceTiming = { resendUsMin: 50_000, resendUsMax: 1_000_000, attemptsMax: 200 };

export class ProcessorService {
  readonly stats: ProcessorServiceStats = {
    registrations: 0, steps: 0, stepsRepeated: 0, inputsPushed: 0, inputsResent: 0, stateReads: 0,
  };
  /** The current session per automaton (a new registration replaces the old one). */
  private readonly sessions = new Map<string, Session>();
  /** Highest registration epoch admitted per automaton (remote, co-located and watchers alike). */
  private readonly epochs = new Map<string, number>();
  /** Per automaton, how to tell its current registrant that a newer registration fenced it. */
  private readonly registrants = new Map<string, () => void>();
  private stopped = false;

  constructor(
    private readonly darq: PhysicalDarq,
    private readonly transport: Transport,
    private readonly clock: Clock,
    readonly address: Address,
    /** This DARQ node's boot, unique per restart. */
    readonly boot: string,
    private readonly timing: ProcessorServiceTiming = timingDefault,
  ) {
    transport.listen(address, (from, message) => this.receive(from, message));
  }

  /**
   * Tells compute nodes that this DARQ node (re)started: their sessions with an earlier boot are
   * dead (the registrations they hold were made with a DARQ object that is gone), and they end
   * them rather than keep idle processors that will never get an input.
   */
  announce(computeAddresses: readonly Address[]): void {
    for (const address of computeAddresses) {
      this.send(address, { kind: "procRestarted", id: "", session: "", boot: this.boot }, processorWireOverheadBytes);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const session of this.sessions.values()) this.pushTimerStop(session);
    this.sessions.clear();
    this.transport.unlisten(this.address);
  }

  private receive(from: Address, raw: unknown): void {
    if (this.stopped) return;
    const message = processorWireParse(raw);
    if (message === null) return;
    switch (message.kind) {
      case "procRegister":
        return this.register(from, message.id, message.session, message.epoch);
      case "procStep":
        return this.step(from, message);
      case "stateRead":
        return this.stateRead(from, message);
      default:
        return;
    }
  }

  /**
   * Admits a registration of `id` at `epoch` (the metadata operation that asks for it) unless a
   * later operation already registered: a late message of a processor that recovery replaced
   * must not fence its replacement. Epochs are forgotten when the DARQ node restarts.
   */
  admit(id: string, epoch: number, onFenced: () => void): boolean {
    const highest = this.epochs.get(id) ?? 0;
    if (epoch < highest) return false;
    this.epochs.set(id, epoch);
    // The registrant being replaced learns it now, rather than from its next refused step: a
    // processor that gets no more inputs would otherwise linger as a zombie.
    const previous = this.registrants.get(id);
    this.registrants.set(id, onFenced);
    previous?.();
    return true;
  }

  private register(from: Address, id: string, sessionId: string, epoch: number): void {
    const current = this.sessions.get(id);
    if (current !== undefined && current.session === sessionId) {
      // A resend: answer again once registered; never register the same session twice.
      if (current.registered !== null) this.send(current.client, current.registered, entriesBytes(current.registered.entries));
      return;
    }
    if (typeof epoch !== "number" || !this.admit(id, epoch, () => this.fenced(id, from, sessionId))) {
      this.send(from, {
        kind: "procFailed", id, session: sessionId, code: ErrorCode.stepStaleIncarnation,
        reason: `registration of '${id}' at epoch ${String(epoch)} is older than one already admitted at ${this.address}`,
      }, processorWireOverheadBytes);
      return;
    }
    if (current !== undefined) this.pushTimerStop(current);
    const session: Session = {
      id, session: sessionId, client: from, registered: null, pushes: [], pushAcked: 0, pushTimer: -1, pushAttempts: 0,
      stepsTaken: 0, answers: [], answersAcked: 0, answersSent: 0,
    };
    const hosted = this.darq.host(id);
    const registered = hosted.ok
      ? this.darq.register(id, (entry) => this.push(session, entry), (failure, incarnation) => {
        if (this.sessions.get(id) !== session) return;
        if (failure !== null) return this.failed(session, failure.code, failure.reason);
        const entries = this.darq.readUnconsumed(id);
        if (!entries.ok) return this.failed(session, entries.code, entries.reason);
        const rows = entries.value.map(entryRow);
        session.registered = { kind: "procRegistered", id, session: sessionId, incarnation, boot: this.boot, entries: rows };
        this.send(session.client, session.registered, entriesBytes(rows));
      })
      : hosted;
    this.sessions.set(id, session);
    if (!registered.ok) return this.failed(session, registered.code, registered.reason);
    this.stats.registrations++;
  }

  /**
   * Logical DARQ `id` left this node (migrated away or parked): its remote session, if any, ends
   * here — no more resending of inputs nobody will acknowledge — and its processor is told to end.
   */
  release(id: string): void {
    const session = this.sessions.get(id);
    if (session !== undefined) this.fenced(id, session.client, session.session);
  }

  /** A newer registration replaced a remote session: tell its processor to end. */
  private fenced(id: string, client: Address, sessionId: string): void {
    const session = this.sessions.get(id);
    if (session !== undefined && session.session === sessionId) {
      this.pushTimerStop(session);
      this.sessions.delete(id);
    }
    this.send(client, {
      kind: "procFailed", id, session: sessionId, code: ErrorCode.stepStaleIncarnation,
      reason: `processor session ${sessionId} of '${id}' was fenced by a newer registration at ${this.address}`,
    }, processorWireOverheadBytes);
  }

  private push(session: Session, entry: Entry): void {
    if (this.stopped || this.sessions.get(session.id) !== session) return;
    const row = entryRow(entry);
    session.pushes.push(row);
    this.stats.inputsPushed++;
    this.sendPush(session, session.pushAcked + session.pushes.length, row);
    if (session.pushTimer === -1) this.pushTimerStart(session);
  }

  private sendPush(session: Session, seq: number, row: EntryRow): void {
    this.send(session.client, { kind: "procInput", id: session.id, session: session.session, seq, entry: row },
      processorWireOverheadBytes + entryRowBytes(row));
  }

  private step(from: Address, message: ProcStep): void {
    const session = this.sessions.get(message.id);
    if (session === undefined || session.session !== message.session || session.client !== from) {
      return this.stepStale(from, message);
    }
    this.acknowledged(session, message.inputsAcked, message.answersAcked);
    if (message.seq <= session.stepsTaken) {
      this.stats.stepsRepeated++;
      const answer = session.answers[message.seq - session.answersAcked - 1];
      if (answer !== null && answer !== undefined) this.send(session.client, answer, processorWireOverheadBytes + answer.reason.length);
      return;
    }
    if (message.seq !== session.stepsTaken + 1) return; // early: an earlier step was lost, it will be resent
    session.stepsTaken++;
    this.stats.steps++;
    const slot = session.answers.push(null) - 1 + session.answersAcked;
    const taken = new TakenStep(message, session, slot);
    const submitted = this.darq.submitStep(taken, this.onTakenDone);
    if (!submitted.ok) return this.answer(taken, 0, submitted.code, submitted.reason);
    // The DARQ calls back only later (never inside submitStep), so the LSN is known by then.
    taken.firstLsn = submitted.value;
  }

  /** The DARQ hands back the step it was given (physical-darq.ts): one callback serves every step. */
  private readonly onTakenDone = (failure: Err | null, step: Step): void => {
    const taken = step as TakenStep;
    if (failure === null) this.answer(taken, taken.firstLsn, "", "");
    else this.answer(taken, 0, failure.code, failure.reason);
  };

  private answer(taken: TakenStep, firstLsn: number, code: string, reason: string): void {
    const session = taken.session;
    const index = taken.slot - session.answersAcked;
    if (index < 0) return;
    session.answers[index] = {
      kind: "procStepDone", id: taken.logicalDarq, session: session.session, seq: taken.seq, firstLsn, code, reason,
    };
    this.flushAnswers(session);
  }

  /** A step of a session this service does not know (replaced, or forgotten in a restart). */
  private stepStale(from: Address, message: ProcStep): void {
    coverageMark("darq.fencing.staleSessionStepRefused");
    const done: ProcStepDone = {
      kind: "procStepDone", id: message.id, session: message.session, seq: message.seq, firstLsn: 0,
      code: ErrorCode.stepStaleIncarnation,
      reason: `processor session ${message.session} of '${message.id}' is not current at ${this.address}; register again`,
    };
    this.send(from, done, processorWireOverheadBytes + done.reason.length);
  }

  private acknowledged(session: Session, inputsAcked: number, answersAcked: number): void {
    const inputs = Math.min(inputsAcked, session.pushAcked + session.pushes.length) - session.pushAcked;
    if (inputs > 0) {
      // One at a time is the usual case: shift allocates no array of removed rows.
      if (inputs === 1) session.pushes.shift();
      else session.pushes.splice(0, inputs);
      session.pushAcked += inputs;
      session.pushAttempts = 0;
      this.pushTimerStop(session);
      if (session.pushes.length > 0) this.pushTimerStart(session);
    }
    const answers = Math.min(answersAcked, session.answersAcked + session.answersSent) - session.answersAcked;
    if (answers > 0) {
      if (answers === 1) session.answers.shift();
      else session.answers.splice(0, answers);
      session.answersAcked += answers;
      session.answersSent -= answers;
    }
  }

  private flushAnswers(session: Session): void {
    const answers = session.answers;
    while (session.answersSent < answers.length) {
      const next = answers[session.answersSent];
      if (next === null || next === undefined) break;
      session.answersSent++;
      this.send(session.client, next, processorWireOverheadBytes + next.reason.length);
    }
  }

  private pushTimerStart(session: Session): void {
    const { resendUsMin, resendUsMax } = this.timing;
    const delayUs = Math.min(resendUsMax, resendUsMin * 2 ** Math.min(session.pushAttempts, 20));
    session.pushTimer = this.clock.timerStart(delayUs, () => {
      session.pushTimer = -1;
      if (this.stopped || this.sessions.get(session.id) !== session || session.pushes.length === 0) return;
      // Nobody acknowledges: the processor is gone; the next registration replaces this session.
      if (++session.pushAttempts > this.timing.attemptsMax) return;
      session.pushes.forEach((row, index) => this.sendPush(session, session.pushAcked + index + 1, row));
      this.stats.inputsResent += session.pushes.length;
      this.pushTimerStart(session);
    });
  }

  private pushTimerStop(session: Session): void {
    if (session.pushTimer !== -1) this.clock.timerCancel(session.pushTimer);
    session.pushTimer = -1;
  }

  private stateRead(from: Address, message: StateRead): void {
    this.stats.stateReads++;
    const entries = this.darq.readUnconsumed(message.id);
    const rows = entries.ok ? entries.value.filter((entry) => entry.kind === EntryKind.self).map(entryRow) : [];
    const reply: StateReadReply = {
      kind: "stateReadReply", id: message.id, request: message.request,
      code: entries.ok ? "" : entries.code, reason: entries.ok ? "" : entries.reason, entries: rows,
    };
    this.send(from, reply, entriesBytes(rows));
  }

  private failed(session: Session, code: string, reason: string): void {
    this.send(session.client, { kind: "procFailed", id: session.id, session: session.session, code, reason },
      processorWireOverheadBytes + reason.length);
  }

  private send(to: Address, message: unknown, sizeBytes: number): void {
    if (!this.stopped) this.transport.send(this.address, to, message, sizeBytes);
  }
}

/**
 * A step taken from a remote processor: the Step the DARQ appends, carrying what its answer needs
 * (instead of a closure per step).
 */
class TakenStep implements Step {
  readonly logicalDarq: string;
  readonly incarnation: number;
  readonly consumed: readonly number[];
  readonly self: readonly Uint8Array[];
  readonly out: ProcStep["out"];
  readonly seq: number;
  /** LSN of the step's first self-message, once the DARQ accepted it. */
  firstLsn = 0;

  constructor(message: ProcStep, readonly session: Session, readonly slot: number) {
    this.logicalDarq = message.id;
    this.incarnation = message.incarnation;
    this.consumed = message.consumed;
    this.self = message.self;
    this.out = message.out;
    this.seq = message.seq;
  }
}
