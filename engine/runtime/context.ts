// The step context: what a handler sees of the world during one step, and where it stages the
// step's effects. Nothing a handler does through `ctx` happens at once: events become one SELF
// message, sends become OUT messages, and both commit atomically with the consumption of the
// input, or not at all (DESIGN §3 property 1). Time and randomness come only from here, so a
// handler is a pure function of (state, message, ctx inputs) and can be tested by feeding
// messages and comparing the staged step (step-builder.ts).
//
// One staging object is reused for every step of an automaton (no per-step allocation beyond the
// staged effects themselves); it refuses use outside its step, which is how a handler that kept
// `ctx` in a callback or awaited something is caught.

import { ErrorCode, SsmsError } from "../io/errors.ts";
import { automatonIdCheck, type AutomatonId, type AutomatonRef } from "./ids.ts";
import { StepRandom } from "./step-random.ts";

/** Facts about a committed step that `apply` may use; identical live and on replay. */
export interface StepInfo {
  /** The step's time (µs, from the DARQ's clock), recorded in its SELF message. */
  readonly nowUs: number;
}

export interface StepContext<Event> {
  /** This automaton's own id. */
  readonly self: AutomatonId;
  /** The step's time in µs from the DARQ's clock; every call within a step returns the same value. */
  nowUs(): number;
  /** Uniform float in [0, 1), drawn from a stream seeded by (self, input LSN): see step-random.ts. */
  random(): number;
  /** Uniform integer in [0, maxExclusive) from the same stream. */
  randomInt(maxExclusive: number): number;
  /** Stages an event: written as part of the step's SELF message, folded in by `apply` after commit. */
  emit(event: Event): undefined;
  /** Stages a message to another automaton (an OUT message); `replyTo` rides in its envelope. */
  send<Message>(to: AutomatonRef<Message>, message: NoInfer<Message>, replyTo?: AutomatonId): undefined;
  /** Declares `coreUs` of modelled compute: the simulator turns it into virtual time. */
  work(coreUs: number): undefined;
  /** Where the input asked replies to go, if anywhere. */
  readonly replyTo: AutomatonId | undefined;
  /** Sends to `replyTo`; present only when the input carries a reply-to. */
  readonly reply: ((message: unknown) => undefined) | undefined;
}

/** One staged OUT message. */
export interface StagedSend {
  readonly to: AutomatonId;
  readonly message: unknown;
  readonly replyTo: AutomatonId | undefined;
}

/** What a step wants to happen, before the runtime validates and appends it. */
export interface StagedStep<Event> {
  readonly events: readonly Event[];
  readonly sends: readonly StagedSend[];
  readonly workUs: number;
}

/** The inputs of one step besides state and message. */
export interface StepInputs {
  /** LSN of the consumed input: seeds `random` (step-random.ts). */
  readonly lsn: number;
  /** The step's time in µs. */
  readonly nowUs: number;
  readonly replyTo: AutomatonId | undefined;
}

export const sendsPerStepMax = 10_000;
export const eventsPerStepMax = 10_000;
const idsValidMax = 256;

/** The reusable implementation of StepContext for one automaton. */
export class StepStaging<Event> implements StepContext<Event> {
  events: Event[] = [];
  sends: StagedSend[] = [];
  workUs = 0;
  replyTo: AutomatonId | undefined = undefined;
  reply: ((message: unknown) => undefined) | undefined = undefined;
  private open = false;
  private stepNowUs = 0;
  private lsn = 0;
  private randomSeeded = false;
  private readonly stream = new StepRandom();
  /** Ids already validated: automata send to few targets, and the check is a regex per send. */
  private readonly idsValid = new Set<string>();
  private readonly replyBound = (message: unknown): undefined => this.replyTo === undefined
    ? this.fail("reply", "the input carries no reply-to")
    : this.sendChecked(this.replyTo, message, undefined);

  constructor(readonly self: AutomatonId, private readonly selfHash: number) {}

  /** Opens the context for a step. The staged arrays are fresh: the previous step's are kept by whoever took them. */
  begin(inputs: StepInputs): void {
    this.events = [];
    this.sends = [];
    this.workUs = 0;
    this.stepNowUs = inputs.nowUs;
    this.lsn = inputs.lsn;
    this.randomSeeded = false;
    this.replyTo = inputs.replyTo;
    this.reply = inputs.replyTo === undefined ? undefined : this.replyBound;
    this.open = true;
  }

  /** Closes the context: later calls through a kept `ctx` throw. */
  end(): void {
    this.open = false;
  }

  nowUs(): number {
    this.check("nowUs");
    return this.stepNowUs;
  }

  random(): number {
    return this.seeded("random").float();
  }

  randomInt(maxExclusive: number): number {
    if (!Number.isSafeInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > 0x1_0000_0000) {
      return this.fail("randomInt", `maxExclusive ${maxExclusive} must be an integer in [1, 2^32]`);
    }
    return this.seeded("randomInt").int(maxExclusive);
  }

  emit(event: Event): undefined {
    this.check("emit");
    if (this.events.length >= eventsPerStepMax) this.fail("emit", `a step may emit at most ${eventsPerStepMax} events`);
    this.events.push(event);
    return undefined;
  }

  send<Message>(to: AutomatonRef<Message>, message: NoInfer<Message>, replyTo?: AutomatonId): undefined {
    this.check("send");
    return this.sendChecked(to, message, replyTo);
  }

  work(coreUs: number): undefined {
    this.check("work");
    if (!Number.isFinite(coreUs) || coreUs < 0) this.fail("work", `coreUs ${coreUs} must be a finite number ≥ 0`);
    this.workUs += coreUs;
    return undefined;
  }

  private sendChecked(to: string, message: unknown, replyTo: string | undefined): undefined {
    this.check("send");
    this.idCheck(to, "");
    if (replyTo !== undefined) this.idCheck(replyTo, "replyTo: ");
    if (this.sends.length >= sendsPerStepMax) this.fail("send", `a step may send at most ${sendsPerStepMax} messages`);
    this.sends.push({ to: to as AutomatonId, message, replyTo: replyTo as AutomatonId | undefined });
    return undefined;
  }

  private idCheck(id: string, what: string): void {
    if (this.idsValid.has(id)) return;
    const checked = automatonIdCheck(id);
    if (!checked.ok) this.fail("send", `${what}${checked.reason}`);
    if (this.idsValid.size >= idsValidMax) this.idsValid.clear();
    this.idsValid.add(id);
  }

  private seeded(method: string): StepRandom {
    this.check(method);
    if (!this.randomSeeded) {
      this.stream.seed(this.selfHash, this.lsn);
      this.randomSeeded = true;
    }
    return this.stream;
  }

  private check(method: string): void {
    if (!this.open) {
      this.fail(method, "the context was used outside its step; handlers must be synchronous and must not keep ctx");
    }
  }

  private fail(method: string, problem: string): never {
    throw new SsmsError(ErrorCode.argumentInvalid, `automaton '${this.self}': ctx.${method}: ${problem}`,
      { automaton: this.self });
  }
}
