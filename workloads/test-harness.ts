// A tiny deterministic test harness for workload automata: a pure in-memory loop that delivers
// the messages steps stage to the definitions that own their targets. It is a test aid, not the
// runtime: no DARQ, no durability, no crashes. What it keeps of the runtime's semantics is what
// workload logic depends on:
//
// - one message per step, built by the engine's StepBuilder and folded in with applyEvents, so a
//   handler sees exactly the ctx it sees in the runtime (time, per-input random stream, reply-to);
// - messages and events pass through the runtime's msgpack codec, so anything that would not
//   survive the log (a Map, a class instance) fails here too;
// - delivery is FIFO per (sender, target) pair, the order a DARQ guarantees; across pairs the
//   next delivery is picked by a seeded Random when one is given (random interleavings), else
//   in global send order;
// - sends to a type without a definition (the sink, external services) are kept as outputs.
//
// Every run has a delivery budget; exceeding it throws (STYLE 6), as does a handler failure.

import { assert } from "../engine/io/assert.ts";
import type { Random } from "../engine/io/random.ts";
import type { AnyAutomatonDefinition } from "../engine/runtime/automaton.ts";
import { packr } from "../engine/runtime/codec.ts";
import { automatonIdType, type AutomatonId } from "../engine/runtime/ids.ts";
import { applyEvents, StepBuilder } from "../engine/runtime/step-builder.ts";
import type { WorkloadDriver } from "./driver.ts";

export type HarnessOptions = {
  readonly definitions: readonly AnyAutomatonDefinition[];
  /** Picks the next pair to deliver from; absent means global FIFO. */
  readonly random?: Random;
  /** Virtual time that passes per delivered message, µs (default 1). */
  readonly stepUs?: number;
  readonly startUs?: number;
};

/** A message in flight or delivered nowhere. `from` is "external" for injected messages. */
export type HarnessMessage = {
  readonly from: string;
  readonly to: AutomatonId;
  readonly message: unknown;
  readonly replyTo: AutomatonId | undefined;
  readonly sentUs: number;
};

// The harness serves every definition, so a builder's types are `any` here, as in
// AnyAutomatonDefinition; states leave the harness typed by the caller.
type Automaton = { state: any; nextLsn: number; readonly builder: StepBuilder<any, unknown, unknown> };

export class TestHarness {
  nowUs: number;
  /** Messages to types without a definition, in send order. */
  readonly outputs: HarnessMessage[] = [];
  /** Every message sent by a step (not injected ones), in send order. */
  readonly sent: HarnessMessage[] = [];
  deliveries = 0;
  private readonly definitions = new Map<string, AnyAutomatonDefinition>();
  private readonly automata = new Map<AutomatonId, Automaton>();
  private readonly pending: HarnessMessage[] = [];
  private readonly stepUs: number;
  private readonly random: Random | undefined;

  constructor(options: HarnessOptions) {
    for (const definition of options.definitions) {
      assert(!this.definitions.has(definition.type), `two definitions of type '${definition.type}'`);
      this.definitions.set(definition.type, definition);
    }
    this.stepUs = options.stepUs ?? 1;
    this.nowUs = options.startUs ?? 0;
    this.random = options.random;
  }

  /** Queues a message from outside the system. */
  inject(to: AutomatonId, message: unknown, replyTo?: AutomatonId): void {
    this.enqueue({ from: "external", to, message: roundTrip(message), replyTo, sentUs: this.nowUs });
  }

  /** Moves time forward (never back). */
  advanceTo(timeUs: number): void {
    assert(timeUs >= this.nowUs, `time goes forward: ${timeUs} us < now ${this.nowUs} us`);
    this.nowUs = timeUs;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Delivers until nothing is pending; returns the number of deliveries. */
  run(deliveriesMax = 1_000_000): number {
    let delivered = 0;
    while (this.pending.length > 0) {
      assert(delivered < deliveriesMax, `the harness delivered ${deliveriesMax} messages and ${this.pending.length} are still pending; a message loop?`);
      this.deliverOne();
      delivered++;
    }
    return delivered;
  }

  /** Delivers one pending message; false when none is pending. */
  deliverOne(): boolean {
    const index = this.nextIndex();
    if (index < 0) return false;
    const [entry] = this.pending.splice(index, 1);
    assert(entry !== undefined, "a pending message at the chosen index");
    this.deliver(entry);
    return true;
  }

  /** The state of `id`; the initial state when it never ran. */
  stateOf<State>(id: AutomatonId): State {
    const automaton = this.automata.get(id);
    if (automaton !== undefined) return automaton.state as State;
    return this.definitionOf(id).initial() as State;
  }

  /** Every automaton that ran, of `type` when given, with its state. */
  statesOf<State>(type?: string): Map<AutomatonId, State> {
    const states = new Map<AutomatonId, State>();
    for (const [id, automaton] of this.automata) {
      if (type === undefined || automatonIdType(id) === type) states.set(id, automaton.state as State);
    }
    return states;
  }

  /** Replaces a state: lets a test plant a fault (a leaked reservation) and see it caught. */
  setState(id: AutomatonId, state: unknown): void {
    this.automatonOf(id).state = state;
  }

  private nextIndex(): number {
    if (this.pending.length === 0) return -1;
    if (this.random === undefined) return 0;
    // Pick any message, then deliver the oldest one of its (sender, target) pair: FIFO per pair.
    const picked = this.pending[this.random.int(this.pending.length)]!;
    return this.pending.findIndex((entry) => entry.from === picked.from && entry.to === picked.to);
  }

  private deliver(entry: HarnessMessage): void {
    this.deliveries++;
    this.nowUs += this.stepUs;
    const automaton = this.automatonOf(entry.to);
    const built = automaton.builder.build(automaton.state, entry.message, {
      lsn: automaton.nextLsn++, nowUs: this.nowUs, replyTo: entry.replyTo,
    });
    if (!built.ok) throw new Error(built.reason, { cause: built.cause });
    const events = roundTrip(built.value.events) as unknown[];
    const applied = applyEvents(this.definitionOf(entry.to), entry.to, automaton.state, events, { nowUs: this.nowUs });
    if (!applied.ok) throw new Error(applied.reason);
    automaton.state = applied.value;
    for (const send of built.value.sends) {
      const message: HarnessMessage = { from: entry.to, to: send.to, message: roundTrip(send.message), replyTo: send.replyTo, sentUs: this.nowUs };
      this.sent.push(message);
      this.enqueue(message);
    }
  }

  private enqueue(message: HarnessMessage): void {
    if (this.definitions.has(automatonIdType(message.to))) this.pending.push(message);
    else this.outputs.push(message);
  }

  private automatonOf(id: AutomatonId): Automaton {
    let automaton = this.automata.get(id);
    if (automaton === undefined) {
      const definition = this.definitionOf(id);
      automaton = { state: definition.initial(), nextLsn: 1, builder: new StepBuilder(definition, id) };
      this.automata.set(id, automaton);
    }
    return automaton;
  }

  private definitionOf(id: AutomatonId): AnyAutomatonDefinition {
    const definition = this.definitions.get(automatonIdType(id));
    assert(definition !== undefined, `no definition for '${id}'`);
    return definition;
  }
}

/**
 * Feeds a driver's arrival sources into the harness in time order until `untilUs` (each source
 * up to its arrivalsMax), delivering everything pending after each arrival: a pipeline with no
 * queueing, where time is the arrival time plus `stepUs` per delivery. Returns the number of
 * arrivals injected per source.
 */
export function driveSources(driver: Pick<WorkloadDriver, "sources">, harness: TestHarness, untilUs: number): number[] {
  const sources = driver.sources;
  const nextUs = sources.map((source) => source.process.nextArrivalUs(harness.nowUs));
  const injected = sources.map(() => 0);
  for (;;) {
    let which = -1;
    for (let index = 0; index < sources.length; index++) {
      if (injected[index]! < sources[index]!.arrivalsMax && nextUs[index]! < untilUs && (which < 0 || nextUs[index]! < nextUs[which]!)) which = index;
    }
    if (which < 0) return injected;
    const source = sources[which]!;
    const timeUs = nextUs[which]!;
    harness.advanceTo(Math.max(harness.nowUs, timeUs));
    injected[which]!++;
    const injection = source.inject(injected[which]!, timeUs);
    harness.inject(injection.to, injection.message);
    harness.run();
    nextUs[which] = source.process.nextArrivalUs(timeUs);
  }
}

/** Through the runtime's codec and back: what survives the log. */
function roundTrip(value: unknown): unknown {
  return packr.unpack(packr.pack(value));
}
