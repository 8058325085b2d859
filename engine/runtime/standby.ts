// Standby: a warm replica of an automaton's processor on another compute node (paper §3.4,
// standby replicas). It tails the automaton's logical DARQ through the DARQ node's read-only
// committed-state read (the SELF records; no registration, so it fences nobody) and applies each
// committed step's events as they appear, never handling an input and never producing a send.
// When the primary's compute node fails, the metadata workflow promotes it ("failover"): the
// compute node registers a processor as usual (a new incarnation fences the old one), and only the
// SELF records the standby has not applied yet count as replay — the rest is warm.
//
// Tailing is incremental while the log still holds the last record applied; after a compaction
// removed it (a snapshot took its place) the standby replays what the log holds, as recovery would.
//
// Reads are polls (the DARQ pushes nothing to readers), so an idle automaton's standby backs off —
// the period doubles with every read that finds nothing new — and after `idleReadsMax` such reads
// stops tailing: an idle cluster processes no events. It keeps what it applied (a promotion then
// replays only what came later); another addStandby for it, or a read that finds news, resumes it.

import type { Clock, TimerId } from "../io/clock.ts";
import { EntryKind } from "../darq/index.ts";
import type { AnyAutomatonDefinition } from "./automaton.ts";
import { replay } from "./host-replay.ts";
import type { AutomatonId } from "./ids.ts";
import { entryOfRow, type StateReadReply } from "./processor-wire.ts";

export type StandbyOptions = {
  readonly id: AutomatonId;
  readonly definition: AnyAutomatonDefinition;
  readonly darqNode: string;
  /** The metadata operation that started it: a stop from a later one ends it. */
  readonly epoch: number;
  readonly clock: Clock;
  /** One committed-state read of the automaton's DARQ (answered, or never). */
  readonly read: (done: (reply: StateReadReply) => void) => void;
  /** Period between reads while the log changes. */
  readonly periodUs: number;
  /** Reads in a row that find nothing new before tailing stops (default 6: about 6 s at 100 ms). */
  readonly idleReadsMax?: number;
};

export type StandbyStats = { reads: number; recordsApplied: number; fullReplays: number };

export class Standby {
  readonly stats: StandbyStats = { reads: 0, recordsApplied: 0, fullReplays: 0 };
  /** LSN of the last SELF record applied (0: none yet). */
  lsnApplied = 0;
  private state: unknown;
  private timer: TimerId = -1;
  private stopped = false;
  private reading = false;
  private idleReads = 0;

  constructor(readonly options: StandbyOptions) {
    this.state = options.definition.initial();
  }

  get id(): AutomatonId {
    return this.options.id;
  }

  /** The state of the last committed step applied. */
  get warmState(): unknown {
    return this.state;
  }

  start(): void {
    this.poll();
  }

  /** Carries over what `earlier` (a standby of the same automaton and DARQ) applied. */
  warmFrom(earlier: Standby): void {
    this.state = earlier.state;
    this.lsnApplied = earlier.lsnApplied;
  }

  /** Whether it still reads the log (false once idle, or stopped). */
  get tailing(): boolean {
    return this.timer !== -1 || this.reading;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== -1) this.options.clock.timerCancel(this.timer);
    this.timer = -1;
  }

  private poll(): void {
    if (this.stopped || this.reading) return;
    this.reading = true;
    this.stats.reads++;
    this.options.read((reply) => {
      this.reading = false;
      if (this.stopped) return;
      const news = reply.code === "" && this.apply(reply);
      this.idleReads = news ? 0 : this.idleReads + 1;
      this.next();
    });
    // An unanswered read (lost, or the DARQ node is down) counts as one that found nothing.
    this.next(() => {
      this.reading = false;
      this.idleReads++;
    });
  }

  /** Arms the next read, later the longer the log has been idle; none once idle long enough. */
  private next(lost?: () => void): void {
    if (this.timer !== -1) this.options.clock.timerCancel(this.timer);
    this.timer = -1;
    if (this.idleReads >= (this.options.idleReadsMax ?? 6)) return;
    const delayUs = this.options.periodUs * 2 ** Math.min(this.idleReads, 5) * (lost === undefined ? 1 : 4);
    this.timer = this.options.clock.timerStart(delayUs, () => {
      this.timer = -1;
      lost?.();
      this.poll();
    });
  }

  /** Applies what is new in `reply`; true if anything was. */
  private apply(reply: StateReadReply): boolean {
    const selves = reply.entries.map(entryOfRow).filter((entry) => entry.kind === EntryKind.self);
    const last = selves.findIndex((entry) => entry.lsn === this.lsnApplied);
    const fresh = last >= 0 ? selves.slice(last + 1) : selves;
    if (fresh.length === 0) return false;
    const { definition, id } = this.options;
    const replayed = replay(definition, id, fresh, 0, last >= 0 ? { state: this.state } : undefined);
    // A record this code cannot apply will fail the promoted processor's own replay too: keep
    // the last good state and let promotion report the problem.
    if (!replayed.ok) return false;
    if (last < 0) this.stats.fullReplays++;
    this.state = replayed.value.state;
    this.lsnApplied = fresh[fresh.length - 1]!.lsn;
    this.stats.recordsApplied += fresh.length;
    return true;
  }
}
