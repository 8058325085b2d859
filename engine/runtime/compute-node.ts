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
import { Standby } from "./standby.ts";
import { EntryKind, type Entry } from "../darq/index.ts";

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
  /**
   * Modelled compute (through `work`) to rebuild state per SELF record replayed when a processor
   * starts: all of them on a cold start, those its warm standby had not applied on a promotion.
   * Omitted or 0: replay costs no modelled time.
   */
  readonly replayCoreUsPerRecord?: number;
  /** How often a standby reads the committed state it tails (default 100 ms). */
  readonly standbyPeriodUs?: number;
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
  /** SELF records up to this LSN are applied already (a promoted standby's); 0: cold start. */
  readonly lsnWarm: number;
};

export type ComputeNodeStats = { started: number; stopped: number; lost: number };

export class ComputeNodeRuntime {
  readonly stats: ComputeNodeStats = { started: 0, stopped: 0, lost: 0 };
  private readonly processors = new Map<string, Processor>();
  private readonly standbys = new Map<string, Standby>();
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
    // A late start from an older operation (its attempt timed out and was retried) must not replace
    // the processor a newer one started here: after a migration it would host the log afresh on
    // the DARQ node the automaton left.
    const running = this.processors.get(id);
    if (running !== undefined && running.epoch > epoch) {
      return done(err(ErrorCode.stepStaleIncarnation,
        `compute node ${this.options.id}: start of ${id} at epoch ${epoch} comes after a start at epoch ${running.epoch}`));
    }
    this.processorEnd(id, "superseded by a new start");
    // A warm standby of this automaton here is promoted: what it applied needs no replay.
    const standby = this.standbys.get(id);
    this.standbyEnd(id);
    const lsnWarm = standby !== undefined && standby.options.darqNode === darqNode ? standby.lsnApplied : 0;
    const processor: Processor = {
      id: id as AutomatonId, darqNode, epoch, incarnation: 0, host: null, remote: null, waiters: [done], timer: -1, lsnWarm,
    };
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
    const standby = this.standbys.get(id);
    if (standby !== undefined && standby.options.epoch < epoch) this.standbyEnd(id);
    done(ok(undefined));
  }

  /**
   * Starts (replacing any) warm standby of `id` here, tailing its logical DARQ on `darqNode`, for
   * the metadata operation `epoch`. It needs a remote link (it reads over the processor wire).
   * Starting one that is here already resumes its tailing with what it applied.
   */
  standbyStart(id: string, darqNode: string, epoch: number, done: (result: Result<void>) => void): void {
    if (this.stopped) return done(err(ErrorCode.nodeDown, `compute node ${this.options.id} is down`));
    const checked = automatonIdCheck(id);
    if (!checked.ok) return done(checked);
    const definition = this.options.definitions.get(checked.value.type);
    const link = this.options.link;
    if (definition === undefined || link === null) {
      return done(err(ErrorCode.argumentInvalid, definition === undefined
        ? `compute node ${this.options.id} has no definition of type '${checked.value.type}' (standby of '${id}')`
        : `compute node ${this.options.id} has no remote link to tail '${id}' with`));
    }
    if (epoch < (this.startFloor.get(id) ?? 0) || (this.standbys.get(id)?.options.epoch ?? 0) > epoch) {
      return done(err(ErrorCode.stepStaleIncarnation, `compute node ${this.options.id}: standby of ${id} at epoch ${epoch} is stale`));
    }
    const earlier = this.standbys.get(id);
    this.standbyEnd(id);
    const periodUs = this.options.standbyPeriodUs ?? 100_000;
    const server = this.options.serviceAddress(darqNode);
    const standby = new Standby({
      id: id as AutomatonId, definition, darqNode, epoch, clock: this.options.clock, periodUs,
      read: (answer) => link.readState(id, server, periodUs * 10, answer),
    });
    // A standby started again (an addStandby for one that stopped tailing) keeps what it applied.
    if (earlier !== undefined && earlier.options.darqNode === darqNode) standby.warmFrom(earlier);
    this.standbys.set(id, standby);
    standby.start();
    done(ok(undefined));
  }

  /** Ids of the standbys kept here, sorted. */
  standbyIds(): string[] {
    return [...this.standbys.keys()].sort();
  }

  /** The standby of `id` here, if any (tests and monitoring). */
  standbyOf(id: string): Standby | undefined {
    return this.standbys.get(id);
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
    for (const id of [...this.standbys.keys()]) this.standbyEnd(id);
    this.options.link?.stop();
  }

  private launch(processor: Processor): void {
    const port = this.portFor(processor);
    if (!port.ok) return this.settle(processor, port);
    const definition = this.options.definitions.get(processor.id.slice(0, processor.id.indexOf("/")))!;
    const { clock, work, hostConfig, onCommitted } = this.options;
    const host: AnyHost = new AutomatonHost<unknown, unknown, unknown>(definition, processor.id, {
      darq: this.replayCharged(port.value, processor.lsnWarm), clock,
      ...(work === undefined ? {} : { work }),
      ...(onCommitted === undefined ? {} : { onCommitted }),
      ...(hostConfig === undefined ? {} : { config: hostConfig }),
      onReport: (report) => this.onReport(processor, host, report),
    });
    processor.host = host;
    host.start();
  }

  /**
   * The port with the modelled cost of rebuilding state added to its registration: the host starts
   * handling inputs only after the SELF records above `lsnWarm` are "replayed" on a core.
   */
  private replayCharged(port: DarqPort, lsnWarm: number): DarqPort {
    const { work, replayCoreUsPerRecord: perRecord } = this.options;
    if (work === undefined || perRecord === undefined || perRecord <= 0) return port;
    // A remote port hands its entries over once: the count's read is kept for the host.
    let read: Result<Entry[]> | null = null;
    return {
      host: (id) => port.host(id),
      register: (id, onInput, done) => {
        // Inputs that arrive while the replay runs reach the host once it runs (it drops repeats).
        let held: Entry[] | null = null;
        return port.register(id, (entry) => (held === null ? onInput(entry) : void held.push(entry)), (failure, incarnation) => {
          if (failure !== null) return done(failure, incarnation);
          const entries = port.readUnconsumed(id);
          read = entries;
          const records = entries.ok ? entries.value.filter((entry) => entry.kind === EntryKind.self && entry.lsn > lsnWarm).length : 0;
          if (records === 0) return done(failure, incarnation);
          held = [];
          work(records * perRecord, () => {
            const arrived = held ?? [];
            held = null;
            done(failure, incarnation);
            for (const entry of arrived) onInput(entry);
          });
        });
      },
      readUnconsumed: (id) => {
        const kept = read;
        read = null;
        return kept ?? port.readUnconsumed(id);
      },
      submitStep: (step, done) => port.submitStep(step, done),
      get lsnDurable() {
        return port.lsnDurable;
      },
    };
  }

  private standbyEnd(id: string): void {
    this.standbys.get(id)?.stop();
    this.standbys.delete(id);
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
