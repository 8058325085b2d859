// Runs workloads against a live cluster from the driver: each arrival source of each workload
// driver (workloads/driver.ts) is paced on the real clock by its arrival process, and every
// arrival is enqueued exactly once with the source's producer id (suffixed with the run id, so
// two runs on one cluster never collide) and the arrival's seq. Completions are the workload's
// outcomes seen at the sink, with their end-to-end latency on the cluster-wide clock (ClockNode
// is epoch-based, so a start time stamped in one process is comparable in another).
//
// Arrival times come from the process relative to the run's start and are turned into absolute
// microseconds for the messages. Arrivals that fall due while the event loop was busy are sent
// together at the next turn (at most `burstMax` per turn), so a slow driver lags rather than
// drops. Nothing here measures steps between automata: the pi chain's tasks per second come from
// the nodes' step counters (live/cluster/point-executor.ts).

import type { TimerId } from "../../engine/io/clock.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import type { ArrivalSource, WorkloadDriver } from "../../workloads/driver.ts";
import type { LiveDriver, SinkOutput } from "./live-driver.ts";

export type Completed = { readonly outcome: string; readonly latencyUs: number; readonly atUs: number; readonly items: number };

type SourceRun = { readonly source: ArrivalSource; readonly producer: string; seq: number; nextRelUs: number; timer: TimerId };

const burstMax = 1_000;

export class WorkloadRunner {
  readonly completions: Completed[] = [];
  injected = 0;
  durable = 0;
  failed = 0;
  private readonly runs: SourceRun[] = [];
  private startUs = 0;
  private endRelUs = 0;
  private stopped = false;

  constructor(private readonly driver: LiveDriver, private readonly workloads: readonly WorkloadDriver[], runId: string) {
    for (const workload of workloads) {
      for (const source of workload.sources) this.runs.push({ source, producer: `${source.producer}@${runId}`, seq: 0, nextRelUs: 0, timer: -1 });
    }
    driver.sink.onOutput = (output) => this.output(output);
  }

  /** Starts every source now; arrivals stop `durationUs` later (or when a source runs out). */
  start(durationUs: number): void {
    this.startUs = this.driver.clock.nowUs();
    this.endRelUs = durationUs;
    for (const run of this.runs) {
      run.nextRelUs = run.source.process.nextArrivalUs(0);
      this.arm(run);
    }
  }

  /** No more arrivals; messages in flight still complete. */
  stopArrivals(): void {
    this.stopped = true;
    for (const run of this.runs) this.driver.clock.timerCancel(run.timer);
  }

  /** Arrivals injected so far per source (its producer id without the run suffix). */
  arrivals(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const run of this.runs) counts.set(run.source.producer, (counts.get(run.source.producer) ?? 0) + run.seq);
    return counts;
  }

  /** Wall time since start, µs. */
  elapsedUs(): number {
    return this.driver.clock.nowUs() - this.startUs;
  }

  get startedAtUs(): number {
    return this.startUs;
  }

  private arm(run: SourceRun): void {
    if (this.stopped || run.seq >= run.source.arrivalsMax || run.nextRelUs >= this.endRelUs) return;
    const delayUs = Math.max(0, this.startUs + run.nextRelUs - this.driver.clock.nowUs());
    run.timer = this.driver.clock.timerStart(Math.round(delayUs), () => this.fire(run));
  }

  private fire(run: SourceRun): void {
    run.timer = -1;
    const nowRelUs = this.driver.clock.nowUs() - this.startUs;
    for (let sent = 0; sent < burstMax && !this.stopped; sent++) {
      if (run.seq >= run.source.arrivalsMax || run.nextRelUs >= this.endRelUs || run.nextRelUs > nowRelUs) break;
      run.seq++;
      const injection = run.source.inject(run.seq, this.startUs + run.nextRelUs);
      this.injected++;
      const accepted = this.driver.enqueue(injection.to, run.producer, run.seq, injection.message, (result) => {
        if (result.ok) this.durable++;
        else this.failed++;
      });
      if (!accepted.ok) this.failed++;
      run.nextRelUs = run.source.process.nextArrivalUs(run.nextRelUs);
    }
    this.arm(run);
  }

  private output(output: SinkOutput): void {
    for (const workload of this.workloads) {
      const completion = workload.completionOf(output.to as AutomatonId, output.message);
      if (completion === undefined) continue;
      this.completions.push({ outcome: completion.outcome, latencyUs: output.atUs - completion.startUs, atUs: output.atUs, items: completion.items });
      return;
    }
  }
}
