// ComputeNodeRuntime: the processors of one compute node (a VM, a serverless instance pool, or
// the spare cores of a DARQ machine). The metadata workflow starts and stops processors here;
// each is an AutomatonHost on a DarqPort: the PhysicalDarq itself when the automaton's DARQ node
// is this machine's (co-location: in-process calls), else a RemoteDarq session over the Transport.
//
// `processorStart` always registers afresh (a new incarnation fences any older processor,
// wherever it runs), so the workflow may repeat it after a crash without doubling anything. A
// processor never restarts itself: a new registration could fence the one the workflow has
// since started elsewhere. One that fails (its remote session broke, its DARQ went away) is
// reported through `onLost`, and the workflow recovers it if it still belongs here; one that is
// fenced or stopped just ends: someone else owns the automaton now.

import type { Clock, TimerId } from "../io/clock.ts";
import { ErrorCode } from "../io/errors.ts";
import { err, ok, type Result } from "../io/result.ts";
import type { Address } from "../io/transport.ts";
import type { AnyAutomatonDefinition } from "./automaton.ts";
import { AutomatonHost, type AutomatonHostOptions, type HostReport } from "./automaton-host.ts";
import type { DarqPort } from "./darq-port.ts";
import { automatonIdCheck, type AutomatonId } from "./ids.ts";
import type { RemoteDarq } from "./remote-darq.ts";
import type { RemoteDarqLink } from "./remote-darq-link.ts";

export type ComputeNodeOptions = {
  readonly id: string;
  readonly clock: Clock;
  readonly definitions: ReadonlyMap<string, AnyAutomatonDefinition>;
  /** Sessions to remote DARQs (null: this node only runs co-located processors). */
  readonly link: RemoteDarqLink | null;
  /** The DARQ node sharing this machine, and a port to its current DARQ for a registration at
   *  `epoch` (null while it is down; the DARQ object changes when it restarts). */
  readonly localDarqNode: string | null;
  readonly localPort: (epoch: number, onFenced: () => void) => DarqPort | null;
  /** The processor service address of a DARQ node. */
  readonly serviceAddress: (darqNode: string) => Address;
  /** Modelled compute for `ctx.work` (the simulator's core queue); omitted: not modelled. */
  readonly work?: (coreUs: number, done: () => void) => void;
  /** Delay before a processor starts (a serverless cold start); omitted: none. */
  readonly startDelayUs?: () => number;
  readonly hostConfig?: Readonly<Record<string, unknown>>;
  readonly onReport?: (report: HostReport) => void;
  /** Passed to every host: observes each committed step's sends (automaton-host.ts). */
  readonly onCommitted?: AutomatonHostOptions["onCommitted"];
  /** A processor failed (not fenced, not stopped): ask the workflow to recover it. */
  readonly onLost?: (id: string, computeNode: string, reason: string) => void;
};

type AnyHost = AutomatonHost<unknown, unknown, unknown>;

const startFloorsMax = 100_000;

type Processor = {
  readonly id: AutomatonId;
  readonly darqNode: string;
  readonly epoch: number;
  /** The incarnation its registration got (0 until ready). */
  incarnation: number;
  host: AnyHost | null;
  remote: RemoteDarq | null;
  waiters: ((result: Result<number>) => void)[];
  timer: TimerId;
};

export type ComputeNodeStats = { started: number; stopped: number; lost: number };

export class ComputeNodeRuntime {
  readonly stats: ComputeNodeStats = { started: 0, stopped: 0, lost: 0 };
  private readonly processors = new Map<string, Processor>();
  /** Per automaton, the epoch below which starts are refused (set by stops; bounded, oldest dropped). */
  private readonly startFloor = new Map<string, number>();
  private stopped = false;

  constructor(private readonly options: ComputeNodeOptions) {}

  get id(): string {
    return this.options.id;
  }

  /** Starts (replacing any) processor of `id` on `darqNode` for the metadata operation `epoch`. */
  processorStart(id: string, darqNode: string, epoch: number, done: (result: Result<number>) => void): void {
    if (this.stopped) return done(err(ErrorCode.nodeDown, `compute node ${this.options.id} is down`));
    const checked = automatonIdCheck(id);
    if (!checked.ok) return done(checked);
    if (!this.options.definitions.has(checked.value.type)) {
      return done(err(ErrorCode.argumentInvalid,
        `compute node ${this.options.id} has no definition of type '${checked.value.type}' (for '${id}')`));
    }
    if (epoch < (this.startFloor.get(id) ?? 0)) {
      return done(err(ErrorCode.stepStaleIncarnation,
        `compute node ${this.options.id}: start of ${id} at epoch ${epoch} comes after a stop at epoch ${this.startFloor.get(id)}`));
    }
    this.processorEnd(id, "superseded by a new start");
    const processor: Processor = { id: id as AutomatonId, darqNode, epoch, incarnation: 0, host: null, remote: null, waiters: [done], timer: -1 };
    this.processors.set(id, processor);
    this.stats.started++;
    const delayUs = this.options.startDelayUs?.() ?? 0;
    if (delayUs === 0) return this.launch(processor);
    processor.timer = this.options.clock.timerStart(delayUs, () => {
      processor.timer = -1;
      if (this.processors.get(id) === processor) this.launch(processor);
    });
  }

  /**
   * Stops the processor of `id` here if it was started for an operation older than `epoch`, and
   * refuses later starts older than `epoch` (a start still in flight from an abandoned placement).
   */
  processorStop(id: string, epoch: number, done: (result: Result<void>) => void): void {
    if (this.stopped) return done(err(ErrorCode.nodeDown, `compute node ${this.options.id} is down`));
    if ((this.startFloor.get(id) ?? 0) < epoch) this.floorRaise(id, epoch);
    const processor = this.processors.get(id);
    if (processor !== undefined && processor.epoch < epoch && this.processorEnd(id, "stopped")) this.stats.stopped++;
    done(ok(undefined));
  }

  /** Ids of the processors that run (or are starting) here, sorted. */
  processorIds(): string[] {
    return [...this.processors.keys()].sort();
  }

  /** Status and registered incarnation of the processor of `id` here, if any. */
  processorOf(id: string): { readonly status: string; readonly incarnation: number } | undefined {
    const processor = this.processors.get(id);
    if (processor === undefined) return undefined;
    return { status: processor.host?.status ?? "starting", incarnation: processor.incarnation };
  }

  /** The in-memory state of a running processor (for tests; clients read committed state). */
  hostOf(id: string): AnyHost | undefined {
    return this.processors.get(id)?.host ?? undefined;
  }

  /** Crash: every processor vanishes without a word. */
  stop(): void {
    this.stopped = true;
    for (const id of [...this.processors.keys()]) this.processorEnd(id, null);
    this.options.link?.stop();
  }

  private launch(processor: Processor): void {
    const port = this.portFor(processor);
    if (!port.ok) return this.settle(processor, port);
    const definition = this.options.definitions.get(processor.id.slice(0, processor.id.indexOf("/")))!;
    const { clock, work, hostConfig, onCommitted } = this.options;
    const host: AnyHost = new AutomatonHost<unknown, unknown, unknown>(definition, processor.id, {
      darq: port.value, clock,
      ...(work === undefined ? {} : { work }),
      ...(onCommitted === undefined ? {} : { onCommitted }),
      ...(hostConfig === undefined ? {} : { config: hostConfig }),
      onReport: (report) => this.onReport(processor, host, report),
    });
    processor.host = host;
    host.start();
  }

  private portFor(processor: Processor): Result<DarqPort> {
    if (processor.darqNode === this.options.localDarqNode) {
      const port = this.options.localPort(processor.epoch, () => this.fenced(processor));
      if (port === null) return err(ErrorCode.nodeDown, `DARQ node ${processor.darqNode} (local) is down`);
      return ok(port);
    }
    const link = this.options.link;
    if (link === null) {
      return err(ErrorCode.argumentInvalid,
        `compute node ${this.options.id} runs only processors of DARQ node ${this.options.localDarqNode}`);
    }
    // A broken session fails the host's steps in flight (or its registration): the host ends
    // "failed" and onReport reports the loss. A fenced one ends here, idle or not.
    processor.remote = link.open(processor.id, this.options.serviceAddress(processor.darqNode), processor.epoch, (reason) => {
      if (reason.code === ErrorCode.stepStaleIncarnation) this.fenced(processor);
    });
    return ok(processor.remote);
  }

  private onReport(processor: Processor, host: AnyHost, report: HostReport): void {
    this.options.onReport?.(report);
    if (this.processors.get(processor.id) !== processor || processor.host !== host) return;
    if (report.kind === "ready") {
      processor.incarnation = report.incarnation;
      return this.settle(processor, ok(report.incarnation));
    }
    if (report.kind !== "ended") return;
    this.processors.delete(processor.id);
    this.teardown(processor);
    this.settle(processor, err(report.reason.code, report.reason.reason));
    // A remote processor learns that it was fenced from a refused step, so it ends "failed" with
    // the stale-incarnation code: that is a fencing too, not a loss.
    const fenced = report.status === "fenced" || report.reason.code === ErrorCode.stepStaleIncarnation;
    if (report.status !== "failed" || fenced) return;
    this.stats.lost++;
    this.options.onLost?.(processor.id, this.options.id, report.reason.reason);
  }

  private floorRaise(id: string, epoch: number): void {
    this.startFloor.delete(id);
    this.startFloor.set(id, epoch);
    if (this.startFloor.size <= startFloorsMax) return;
    const oldest = this.startFloor.keys().next().value;
    if (oldest !== undefined) this.startFloor.delete(oldest);
  }

  /** A newer registration replaced this processor's: it ends quietly (not a loss). */
  private fenced(processor: Processor): void {
    if (this.processors.get(processor.id) !== processor) return;
    this.processors.delete(processor.id);
    this.teardown(processor);
    this.settle(processor, err(ErrorCode.stepStaleIncarnation, `processor of ${processor.id} on ${this.options.id} was fenced`));
  }

  private settle(processor: Processor, result: Result<number>): void {
    const waiters = processor.waiters;
    processor.waiters = [];
    for (const waiter of waiters) waiter(result);
  }

  /** Ends the processor of `id`; waiters hear `why` (null: a crash, nobody hears anything). */
  private processorEnd(id: string, why: string | null): boolean {
    const processor = this.processors.get(id);
    if (processor === undefined) return false;
    this.processors.delete(id);
    this.teardown(processor);
    if (processor.timer !== -1) this.options.clock.timerCancel(processor.timer);
    processor.timer = -1;
    if (why !== null) this.settle(processor, err(ErrorCode.deviceClosed, `processor of ${id} on ${this.options.id}: ${why}`));
    return true;
  }

  private teardown(processor: Processor): void {
    // Detach first: the host's "ended" report must not count as this processor ending.
    const host = processor.host;
    processor.host = null;
    host?.stop();
    if (processor.remote !== null) this.options.link?.close(processor.remote);
    processor.remote = null;
  }
}
