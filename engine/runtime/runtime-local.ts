// RuntimeLocal: virtual automata on one physical DARQ, without a catalog. An automaton is
// activated on its first message — from a client (`send`) or from another automaton (a step's
// out-message) — by hosting its logical DARQ and starting an AutomatonHost; after a restart,
// `recover` starts a host for every logical DARQ the recovered log holds, and each host rebuilds
// its state from its SELF records. Users name automata by `type/key` only and never write
// checkpoint, retry or recovery code.
//
// This is the single-machine form (tests, the README example, simulations of one DARQ node).
// Across machines the router and the catalog decide where an automaton is activated; the hosts
// are the same.

import type { Clock } from "../io/clock.ts";
import { ErrorCode, SsmsError } from "../io/errors.ts";
import { err, ok, type Result } from "../io/result.ts";
import type { EnqueueDone, PhysicalDarq } from "../darq/index.ts";
import type { AnyAutomatonDefinition, StateOf } from "./automaton.ts";
import { AutomatonHost, type HostReport } from "./automaton-host.ts";
import { messageEncode } from "./codec.ts";
import { automatonIdCheck, type AutomatonId, type AutomatonRef } from "./ids.ts";

export type RuntimeLocalOptions = {
  readonly darq: PhysicalDarq;
  readonly clock: Clock;
  readonly definitions: readonly AnyAutomatonDefinition[];
  /** Host configuration for every automaton (host-config.ts). */
  readonly hostConfig?: Readonly<Record<string, unknown>>;
  readonly onReport?: (report: HostReport) => void;
  readonly work?: (coreUs: number, done: () => void) => void;
};

/** Identifies one external message for exactly-once enqueue (DESIGN §3 property 4). */
export type ProducerSeq = { readonly producer: string; readonly seq: number };

export class RuntimeLocal {
  readonly darq: PhysicalDarq;
  private readonly definitions = new Map<string, AnyAutomatonDefinition>();
  private readonly hosts = new Map<AutomatonId, AutomatonHost<unknown, unknown, unknown>>();

  constructor(private readonly options: RuntimeLocalOptions) {
    this.darq = options.darq;
    for (const definition of options.definitions) {
      if (this.definitions.has(definition.type)) {
        throw new SsmsError(ErrorCode.configInvalid, `two automaton definitions have the type '${definition.type}'`);
      }
      this.definitions.set(definition.type, definition);
    }
  }

  /** Starts a host for every logical DARQ the DARQ holds whose type is known; returns how many. */
  recover(): number {
    let started = 0;
    for (const name of this.darq.logicalDarqs()) {
      const checked = automatonIdCheck(name);
      if (!checked.ok || !this.definitions.has(checked.value.type)) continue;
      if (this.activate(name).ok) started++;
    }
    return started;
  }

  /** The running host of `id`, starting it (and hosting its logical DARQ) if needed. */
  activate(id: string): Result<AutomatonHost<unknown, unknown, unknown>> {
    const checked = automatonIdCheck(id);
    if (!checked.ok) return checked;
    const known = this.hosts.get(id as AutomatonId);
    if (known !== undefined && (known.status === "starting" || known.status === "running")) return ok(known);
    const definition = this.definitions.get(checked.value.type);
    if (definition === undefined) {
      return err(ErrorCode.argumentInvalid,
        `no automaton definition of type '${checked.value.type}' (for '${id}'); known types: ${[...this.definitions.keys()].join(", ")}`);
    }
    const host = new AutomatonHost<unknown, unknown, unknown>(definition, id as AutomatonId, this.hostOptions());
    this.hosts.set(id as AutomatonId, host);
    host.start();
    if (host.reason !== null) return host.reason;
    return ok(host);
  }

  /**
   * Sends `message` from an external producer, activating the target on its first message.
   * Exactly once per (producer, seq); `done` runs once the message is durable. Returns false for
   * a duplicate.
   */
  send<Message>(
    to: AutomatonRef<Message>, message: NoInfer<Message>, from: ProducerSeq, done: EnqueueDone = () => undefined,
    replyTo?: AutomatonId,
  ): Result<boolean> {
    const activated = this.activate(to);
    if (!activated.ok) return activated;
    return this.darq.enqueue(to, from.producer, from.seq, messageEncode(to, message, replyTo), done);
  }

  /** The host of `id`, if one was started here. */
  host(id: string): AutomatonHost<unknown, unknown, unknown> | undefined {
    return this.hosts.get(id as AutomatonId);
  }

  /** The state of automaton `definition.type/key`, or undefined if it is not active here. */
  stateOf<D extends AnyAutomatonDefinition>(definition: D, key: string): Readonly<StateOf<D>> | undefined {
    return this.hosts.get(definition.ref(key))?.state as Readonly<StateOf<D>> | undefined;
  }

  /** Stops every host (the DARQ is the caller's). */
  stop(): void {
    for (const host of this.hosts.values()) host.stop();
  }

  private hostOptions(): ConstructorParameters<typeof AutomatonHost>[2] {
    const { darq, clock, hostConfig, onReport, work } = this.options;
    return {
      darq, clock,
      ...(hostConfig === undefined ? {} : { config: hostConfig }),
      ...(onReport === undefined ? {} : { onReport }),
      ...(work === undefined ? {} : { work }),
      beforeSend: (target) => this.activateLocal(target),
    };
  }

  /** Activation on first message between automata: a known type not hosted here is started here. */
  private activateLocal(target: AutomatonId): void {
    if (this.darq.hosts(target)) {
      if (!this.hosts.has(target)) this.activate(target);
      return;
    }
    const checked = automatonIdCheck(target);
    if (checked.ok && this.definitions.has(checked.value.type)) this.activate(target);
  }
}
