// The metadata worker: the processor of the metadata automaton plus its executor, co-located with
// the metadata automaton's DARQ (in-process). Crashing it (stop) and starting a new one is
// exactly a crash and restart of the metadata service: the new host registers (fencing the old
// one), replays the workflow state from the log, and the executor resumes every operation at its
// recorded action.
//
// The executor must see only durable state. The host applies a step's events as soon as the DARQ
// accepts it, so the worker counts the steps it submits and those that are durable (through a
// DarqPort wrapper) and scans only when the two agree: then the host's state is the durable one.

import type { Clock } from "../io/clock.ts";
import type { Result } from "../io/result.ts";
import type { Entry, InputHandler, Lsn, PhysicalDarq, RegisterDone, Step, StepDone } from "../darq/index.ts";
import { AutomatonHost, type HostReport } from "./automaton-host.ts";
import { envelopeEncode } from "./codec.ts";
import type { DarqPort } from "./darq-port.ts";
import type { AutomatonId } from "./ids.ts";
import type { MetadataDefinition } from "./metadata-automaton.ts";
import { attemptKey, MetadataExecutor, type MetadataActuators } from "./metadata-executor.ts";
import {
  metadataId, type ActionResult, type MetadataEvent, type MetadataMessage, type MetadataState, type Op,
} from "./metadata-types.ts";

export type MetadataWorkerOptions = {
  readonly darq: PhysicalDarq;
  readonly clock: Clock;
  readonly definition: MetadataDefinition;
  readonly actuators: MetadataActuators;
  readonly hostConfig?: Readonly<Record<string, unknown>>;
  readonly onReport?: (report: HostReport) => void;
  /** Told about every action outcome the executor reports (tests count effects with it). */
  readonly onProgress?: (op: Op, result: ActionResult) => void;
  /** Told just before each try of an action. */
  readonly onAction?: (op: Op) => void;
  readonly executor?: { readonly retryUsMin?: number; readonly retryUsMax?: number; readonly actionTimeoutUs?: number };
};

/** Counts submitted and durable steps, so the worker knows when the host's state is durable. */
class DarqObserved implements DarqPort {
  submitted = 0;
  durable = 0;

  constructor(private readonly darq: PhysicalDarq, private readonly onQuiet: () => void) {}

  host(logicalDarq: string): Result<boolean> {
    return this.darq.host(logicalDarq);
  }

  register(logicalDarq: string, onInput: InputHandler, done: RegisterDone): Result<number> {
    return this.darq.register(logicalDarq, onInput, done);
  }

  readUnconsumed(logicalDarq: string): Result<Entry[]> {
    return this.darq.readUnconsumed(logicalDarq);
  }

  submitStep(step: Step, done: StepDone): Result<Lsn> {
    const submitted = this.darq.submitStep(step, (failure, committed) => {
      done(failure, committed);
      if (failure !== null) return;
      this.durable++;
      if (this.durable === this.submitted) this.onQuiet();
    });
    if (submitted.ok) this.submitted++;
    return submitted;
  }

  get lsnDurable(): Lsn {
    return this.darq.lsnDurable;
  }
}

export class MetadataWorker {
  private readonly host: AutomatonHost<MetadataState, MetadataMessage, MetadataEvent>;
  private readonly port: DarqObserved;
  private readonly executor: MetadataExecutor;
  private producer = "";
  private seqNext = 1;
  private stopped = false;
  private scanPending = false;

  constructor(private readonly options: MetadataWorkerOptions) {
    this.port = new DarqObserved(options.darq, () => this.scanSoon());
    this.executor = new MetadataExecutor({
      actuators: options.actuators, clock: options.clock,
      report: (op, result, durable) => this.report(op, result, durable),
      ...(options.onAction === undefined ? {} : { onAction: options.onAction }),
      wanted: (op) => {
        const current = this.host.state.ops[op.id];
        return current !== undefined && attemptKey(current) === attemptKey(op);
      },
      ...options.executor,
    });
    this.host = new AutomatonHost(options.definition, metadataId as AutomatonId, {
      darq: this.port, clock: options.clock,
      ...(options.hostConfig === undefined ? {} : { config: options.hostConfig }),
      onReport: (report) => {
        if (report.kind === "ready") {
          // Progress reports of this incarnation get their own producer id: no seq is ever reused.
          this.producer = `ssms.meta.exec#${report.incarnation}`;
          this.scanSoon();
        }
        options.onReport?.(report);
      },
    });
  }

  start(): void {
    this.host.start();
  }

  /** Crash or shutdown: the host stops stepping and the executor forgets its attempts. */
  stop(): void {
    this.stopped = true;
    this.host.stop();
    this.executor.stop();
  }

  /** The workflow state (durable once `quiet`). */
  get state(): Readonly<MetadataState> {
    return this.host.state;
  }

  get status(): AutomatonHost<MetadataState, MetadataMessage, MetadataEvent>["status"] {
    return this.host.status;
  }

  /** True when every accepted step is durable and no operation is in progress. */
  get idle(): boolean {
    return this.port.durable === this.port.submitted && Object.keys(this.host.state.ops).length === 0 &&
      this.host.backlog === 0;
  }

  /** Enqueues a message to the metadata automaton in-process (co-located senders). */
  enqueue(message: MetadataMessage, producer: string, seq: number, done: (failure: unknown) => void = () => undefined): boolean {
    const result = this.options.darq.enqueue(metadataId, producer, seq,
      envelopeEncode(metadataId as AutomatonId, message), done);
    return result.ok;
  }

  private scanSoon(): void {
    if (this.scanPending || this.stopped) return;
    this.scanPending = true;
    // From a timer, never inside the DARQ's publish loop, which is running the host's callbacks.
    this.options.clock.timerStart(0, () => {
      this.scanPending = false;
      if (this.stopped || this.host.status !== "running") return;
      if (this.port.durable !== this.port.submitted) return; // a later step's durability rescans
      this.executor.scan(this.host.state);
    });
  }

  private report(op: Op, result: ActionResult, durable: (stored: boolean) => void): void {
    if (this.stopped || this.producer === "") return;
    this.options.onProgress?.(op, result);
    if (this.stopped) return;
    const message: MetadataMessage = {
      type: "progress", id: op.id, opId: op.opId, action: op.action, computeNode: op.computeNode, result,
    };
    if (!this.enqueue(message, this.producer, this.seqNext++, (failure) => durable(failure === null))) durable(false);
  }
}
