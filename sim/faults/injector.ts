// FaultInjector: applies a fault schedule to a running simulation and records what it applied.
//
// The simulated cluster implements FaultTarget (its network part can delegate to NetworkModel,
// whose methods have the same names and arguments). The injector keeps the schedule sorted and
// one timer armed, for the next fault only, so a long schedule costs one queue entry. Faults due
// at the same instant apply in schedule order. Every applied fault is appended to the
// FaultScheduleWriter at the time it was applied, so the recording is the run's fault history.
// Replaying that recording with the same seed reproduces the run bit for bit, provided every
// fault of the original run came through `schedule` (a seeded FaultModel produces its whole
// schedule up front, so it does); `applyNow` faults are recorded too but add no event, so their
// replay would shift event sequence numbers.

import type { Clock } from "../../engine/io/clock.ts";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { unreachable } from "../../engine/io/assert.ts";
import type { Fault } from "./fault.ts";
import { FaultScheduleWriter } from "./schedule.ts";

/** What a simulated (or live) cluster must do for each fault kind; see fault.ts. */
export interface FaultTarget {
  crash(node: string): void;
  restart(node: string): void;
  pause(node: string): void;
  resume(node: string): void;
  /** Crash with the node's log device keeping a torn unflushed tail. */
  diskTornWrite(node: string): void;
  /** Start a spot eviction: notice now, kill after the profile's notice period. */
  spotPreempt(node: string): void;
  networkPartition(groups: readonly (readonly string[])[], asymmetric: boolean): void;
  networkHeal(): void;
  linkLoss(hosts: readonly string[], rate: number): void;
  linkDuplicate(hosts: readonly string[], rate: number): void;
  linkReorder(hosts: readonly string[], jitterUs: number): void;
}

export type FaultInjectorOptions = {
  readonly clock: Clock;
  readonly target: FaultTarget;
  /** Where applied faults are recorded; default a fresh writer (see `writer`). */
  readonly writer?: FaultScheduleWriter;
  /** Called after each fault is applied with its JSONL line, e.g. to mix it into the fingerprint. */
  readonly onApplied?: (fault: Fault, line: string) => void;
};

export class FaultInjector {
  readonly writer: FaultScheduleWriter;
  private readonly clock: Clock;
  private readonly target: FaultTarget;
  private readonly onApplied: ((fault: Fault, line: string) => void) | undefined;
  private pending: Fault[] = [];
  private head = 0;
  private timer = -1;
  private readonly fire = (): void => this.applyDue();

  constructor(options: FaultInjectorOptions) {
    this.clock = options.clock;
    this.target = options.target;
    this.writer = options.writer ?? new FaultScheduleWriter();
    this.onApplied = options.onApplied;
  }

  /** Adds faults (in time order, none in the past) to the schedule. */
  schedule(faults: readonly Fault[]): void {
    const nowUs = this.clock.nowUs();
    let previousUs = 0;
    faults.forEach((fault, index) => {
      if (fault.timeUs < nowUs || fault.timeUs < previousUs) {
        throw new SsmsError(ErrorCode.argumentInvalid,
          `fault ${index} (${fault.fault} at ${fault.timeUs}us) is ${fault.timeUs < nowUs ? `in the past (now ${nowUs}us)` : "out of time order"}; a schedule must be sorted and start now or later`);
      }
      previousUs = fault.timeUs;
    });
    // Stable merge: at equal times, faults already scheduled stay first.
    const merged = [...this.pending.slice(this.head), ...faults];
    merged.sort((a, b) => a.timeUs - b.timeUs);
    this.pending = merged;
    this.head = 0;
    this.arm();
  }

  /** Faults scheduled and not yet applied. */
  get pendingCount(): number {
    return this.pending.length - this.head;
  }

  /** Applies a fault now (recorded with the current time). Prefer `schedule` for replayable runs. */
  applyNow(fault: Fault): void {
    const applied = fault.timeUs === this.clock.nowUs() ? fault : { ...fault, timeUs: this.clock.nowUs() } as Fault;
    this.dispatch(applied);
    const line = this.writer.append(applied);
    this.onApplied?.(applied, line);
  }

  private arm(): void {
    this.clock.timerCancel(this.timer);
    this.timer = -1;
    const next = this.pending[this.head];
    if (next !== undefined) this.timer = this.clock.timerStart(next.timeUs - this.clock.nowUs(), this.fire);
  }

  private applyDue(): void {
    this.timer = -1;
    const nowUs = this.clock.nowUs();
    while (this.head < this.pending.length && this.pending[this.head]!.timeUs <= nowUs) {
      this.applyNow(this.pending[this.head++]!);
    }
    this.arm();
  }

  private dispatch(fault: Fault): void {
    const target = this.target;
    switch (fault.fault) {
      case "crash": return fault.targets.forEach((node) => target.crash(node));
      case "restart": return fault.targets.forEach((node) => target.restart(node));
      case "pause": return fault.targets.forEach((node) => target.pause(node));
      case "resume": return fault.targets.forEach((node) => target.resume(node));
      case "diskTornWrite": return fault.targets.forEach((node) => target.diskTornWrite(node));
      case "spotPreempt": return fault.targets.forEach((node) => target.spotPreempt(node));
      case "networkPartition": return target.networkPartition(fault.params.groups, fault.params.asymmetric);
      case "heal": return target.networkHeal();
      case "linkLoss": return target.linkLoss(fault.targets, fault.params.rate);
      case "linkDuplicate": return target.linkDuplicate(fault.targets, fault.params.rate);
      case "linkReorder": return target.linkReorder(fault.targets, fault.params.jitterUs);
      default: return unreachable(fault, "unknown fault kind");
    }
  }
}
