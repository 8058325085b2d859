// Measuring wrappers around two seams of a node, so its metrics come from what really happened
// rather than from estimates: LogDeviceTimed times every flush (an fdatasync group commit of the
// file device), and separately those that found the device idle (its service time, which a
// simulated storage tier reproduces; queueing behind earlier flushes the simulator adds itself),
// StepMeter times every step a co-located processor submits until it is durable
// and counts committed steps per automaton type. Both pass everything else through unchanged.
//
// Remote processors submit their steps through the DARQ node's processor service, which these
// wrappers do not see; a live cluster places each automaton's processor on its DARQ's machine
// (darq-spare compute), so in practice every workload step is measured.

import type { Clock } from "../../engine/io/clock.ts";
import type { LogDevice } from "../../engine/io/log-device.ts";
import type { Result } from "../../engine/io/result.ts";
import type { Entry, InputHandler, Lsn, RegisterDone, Step, StepDone } from "../../engine/darq/index.ts";
import type { DarqPort } from "../../engine/runtime/darq-port.ts";
import { Histogram } from "./metrics.ts";

export class LogDeviceTimed implements LogDevice {
  /** Every flush: request → durable, including any wait for flushes requested before it. */
  readonly flushLatency = new Histogram();
  /** Flushes requested while no other was pending: the device's own write + fdatasync time. */
  readonly flushUnqueuedLatency = new Histogram();
  flushes = 0;
  flushFailures = 0;
  private pending = 0;

  constructor(private readonly device: LogDevice, private readonly clock: Clock) {}

  append(bytes: Uint8Array): number {
    return this.device.append(bytes);
  }

  flush(callback: (error: Error | null) => void): void {
    const startUs = this.clock.nowUs();
    const unqueued = this.pending === 0;
    this.pending++;
    this.device.flush((error) => {
      this.pending--;
      this.flushes++;
      if (error !== null) this.flushFailures++;
      else {
        const latencyUs = this.clock.nowUs() - startUs;
        this.flushLatency.observe(latencyUs);
        if (unqueued) this.flushUnqueuedLatency.observe(latencyUs);
      }
      callback(error);
    });
  }

  begin(): number {
    return this.device.begin();
  }

  end(): number {
    return this.device.end();
  }

  durableEnd(): number {
    return this.device.durableEnd();
  }

  read(offset: number, length: number): Uint8Array {
    return this.device.read(offset, length);
  }

  truncatePrefix(offset: number): void {
    this.device.truncatePrefix(offset);
  }

  truncateTail(offset: number): void {
    this.device.truncateTail(offset);
  }

  close(): void {
    this.device.close();
  }
}

/** Committed steps of one automaton type (one object per type, found through a per-id cache). */
type TypeCount = { readonly type: string; steps: number };

export class StepMeter {
  readonly stepLatency = new Histogram();
  stepsFailed = 0;
  private readonly byType = new Map<string, TypeCount>();
  private readonly byId = new Map<string, TypeCount>();

  constructor(private readonly clock: Clock) {}

  /** Committed steps per automaton type, sorted by type. */
  stepsByType(): { type: string; steps: number }[] {
    return [...this.byType.values()].map(({ type, steps }) => ({ type, steps })).sort((a, b) => a.type.localeCompare(b.type));
  }

  stepsOf(type: string): number {
    return this.byType.get(type)?.steps ?? 0;
  }

  /** `port` with its steps timed and counted here. */
  wrap(port: DarqPort): DarqPort {
    const meter = this;
    return {
      host: (id: string): Result<boolean> => port.host(id),
      register: (id: string, onInput: InputHandler, done: RegisterDone): Result<number> => port.register(id, onInput, done),
      readUnconsumed: (id: string): Result<Entry[]> => port.readUnconsumed(id),
      submitStep(step: Step, done: StepDone): Result<Lsn> {
        const startUs = meter.clock.nowUs();
        return port.submitStep(step, (failure, committed) => {
          meter.settled(step.logicalDarq, failure === null, startUs);
          done(failure, committed);
        });
      },
      get lsnDurable(): Lsn {
        return port.lsnDurable;
      },
    };
  }

  private settled(logicalDarq: string, committed: boolean, startUs: number): void {
    if (!committed) {
      this.stepsFailed++;
      return;
    }
    this.stepLatency.observe(this.clock.nowUs() - startUs);
    this.countOf(logicalDarq).steps++;
  }

  private countOf(id: string): TypeCount {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    const slash = id.indexOf("/");
    const type = slash < 0 ? id : id.slice(0, slash);
    let count = this.byType.get(type);
    if (count === undefined) {
      count = { type, steps: 0 };
      this.byType.set(type, count);
    }
    // Bounded: a node with very many automata forgets ids, never types.
    if (this.byId.size >= 100_000) this.byId.clear();
    this.byId.set(id, count);
    return count;
  }
}
