// Simulator: one deterministic run. It owns the event queue, the virtual clock, the root random
// stream and the run fingerprint; models and engine code are wired to `clock`, `random.fork(…)`
// and `queue`, and the simulator pops events until the run is idle or a target time.
//
// Limits (STYLE 6): every run has an `eventsMax` and a `timeUsMax`. Reaching one while work is
// still pending throws SsmsError(simulationLimit) naming the limit and how to raise it, so a
// livelocked model (a retry loop that never ends, a timer that re-arms itself forever) stops
// with a message instead of hanging. The fingerprint mixes (timeUs, seq) of every processed
// event, plus whatever components mix in, so same seed + config + code → same fingerprint.

import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import { ClockSim } from "./clock-sim.ts";
import { EventQueue } from "./event-queue.ts";
import { Fingerprint } from "./fingerprint.ts";
import { RandomSim } from "./random-sim.ts";

export type SimulatorOptions = {
  /** Root seed; every random stream of the run is forked from it by name. */
  seed: string;
  /** Most events one run may process; default 100,000,000. */
  eventsMax?: number;
  /** Virtual time the run may not pass, in µs; default one simulated year. */
  timeUsMax?: number;
  /** Most live events in the queue at once (EventQueue countMax). */
  countMax?: number;
};

const eventsMaxDefault = 100_000_000;
const timeUsMaxDefault = 365 * 24 * 3600 * 1_000_000;

export class Simulator {
  readonly queue: EventQueue;
  readonly clock: ClockSim;
  readonly random: RandomSim;
  readonly seed: string;
  readonly eventsMax: number;
  readonly timeUsMax: number;
  private processed = 0;
  private readonly digest = new Fingerprint();

  constructor(options: SimulatorOptions) {
    this.seed = options.seed;
    this.eventsMax = options.eventsMax ?? eventsMaxDefault;
    this.timeUsMax = options.timeUsMax ?? timeUsMaxDefault;
    checkLimit("eventsMax", this.eventsMax);
    checkLimit("timeUsMax", this.timeUsMax);
    this.queue = options.countMax === undefined ? new EventQueue() : new EventQueue({ countMax: options.countMax });
    this.clock = new ClockSim(this.queue);
    this.random = new RandomSim(options.seed);
    this.digest.mixString(options.seed);
  }

  /** Events processed so far. */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Current virtual time in µs. */
  nowUs(): number {
    return this.queue.nowUs;
  }

  /** Processes one event; returns false when none is pending. Throws at a run limit. */
  step(): boolean {
    if (this.queue.size === 0) return false;
    this.checkLimits(this.queue.peekTimeUs());
    this.processOne();
    return true;
  }

  /** Processes events until none is pending. Returns the number processed by this call. */
  run(): number {
    const start = this.processed;
    const queue = this.queue;
    while (queue.size > 0) {
      this.checkLimits(queue.peekTimeUs());
      this.processOne();
    }
    return this.processed - start;
  }

  /**
   * Processes every event due at or before `timeUs`, then moves the clock to `timeUs`.
   * Returns the number of events processed by this call.
   */
  runUntil(timeUs: number): number {
    if (!(Number.isInteger(timeUs) && timeUs >= this.queue.nowUs)) {
      throw new SsmsError(ErrorCode.argumentInvalid,
        `runUntil needs an integer time ≥ now (${this.queue.nowUs}us), got ${timeUs}`);
    }
    const start = this.processed;
    const queue = this.queue;
    for (;;) {
      const nextUs = queue.peekTimeUs();
      if (nextUs > timeUs) break;
      this.checkLimits(nextUs);
      this.processOne();
    }
    if (timeUs > this.timeUsMax) this.throwTimeLimit(timeUs);
    queue.advanceTo(timeUs);
    return this.processed - start;
  }

  /** runUntil(now + durationUs). */
  runFor(durationUs: number): number {
    return this.runUntil(this.queue.nowUs + durationUs);
  }

  /** Mixes a number a component wants two runs to agree on into the fingerprint. */
  fingerprintMix(value: number): void {
    this.digest.mix(value);
  }

  /** Mixes a string (an id, a decision) into the fingerprint. */
  fingerprintMixString(text: string): void {
    this.digest.mixString(text);
  }

  /** The run fingerprint so far, 16 hex digits. */
  fingerprint(): string {
    return this.digest.hex();
  }

  private processOne(): void {
    const queue = this.queue;
    queue.popNext();
    this.processed++;
    this.digest.mixEvent(queue.nowUs, queue.lastSeq);
  }

  /** Throws if processing one more event, due at `nextUs`, would break a run limit. */
  private checkLimits(nextUs: number): void {
    if (this.processed >= this.eventsMax) {
      throw new SsmsError(ErrorCode.simulationLimit,
        `simulation stopped at eventsMax=${this.eventsMax}: ${this.queue.size} events still pending ` +
        `at ${this.queue.nowUs}us (seed '${this.seed}'); raise eventsMax if the run is meant to be ` +
        `longer, otherwise look for a model that never goes idle (a self-re-arming timer, a retry loop)`,
        { limit: "eventsMax", eventsMax: this.eventsMax, nowUs: this.queue.nowUs, seed: this.seed });
    }
    if (nextUs > this.timeUsMax) this.throwTimeLimit(nextUs);
  }

  private throwTimeLimit(targetUs: number): never {
    throw new SsmsError(ErrorCode.simulationLimit,
      `simulation stopped at timeUsMax=${this.timeUsMax}us: asked to reach ${targetUs}us after ` +
      `${this.processed} events (seed '${this.seed}'); raise timeUsMax if the run is meant to last ` +
      `longer, otherwise look for an event scheduled absurdly far ahead`,
      { limit: "timeUsMax", timeUsMax: this.timeUsMax, nowUs: this.queue.nowUs, seed: this.seed });
  }
}

function checkLimit(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new SsmsError(ErrorCode.configInvalid, `simulator ${name} must be a positive integer, got ${value}`);
  }
}
