// The point executor's arrivals: each of the workload driver's sources feeds the cluster through
// its own Client (producer id = the source's producer, so the DARQs deduplicate its messages
// exactly once). Arrivals are scheduled lazily: one pending timer per source, asked for the next
// arrival time only when the previous one fires, so a source of a billion arrivals costs one
// queue entry and no array. Arrivals due at the same microsecond are injected in one go (up to
// `batchMax`, then the rest after a zero-delay timer, so one source cannot hog an instant).

import type { Clock } from "../../engine/io/clock.ts";
import type { Client } from "../../engine/runtime/client.ts";
import type { AutomatonRef } from "../../engine/runtime/ids.ts";
import { arrivalNever } from "../../workloads/arrivals/arrival-process.ts";
import type { ArrivalSource } from "../../workloads/driver.ts";

const batchMax = 1024;

type Pending = { readonly source: ArrivalSource; readonly client: Client; seq: number; nextUs: number };

export type ArrivalStats = { injected: number; refused: number };

export class ArrivalPump {
  readonly stats: ArrivalStats = { injected: 0, refused: 0 };

  constructor(private readonly clock: Clock, private readonly endUs: number) {}

  /** Starts `source` at the current time, sending through `client`. */
  start(source: ArrivalSource, client: Client): void {
    const pending: Pending = { source, client, seq: 0, nextUs: source.process.nextArrivalUs(this.clock.nowUs()) };
    this.arm(pending);
  }

  private arm(pending: Pending): void {
    if (pending.nextUs === arrivalNever || pending.nextUs >= this.endUs || pending.seq >= pending.source.arrivalsMax) return;
    this.clock.timerStart(Math.max(0, pending.nextUs - this.clock.nowUs()), () => this.fire(pending));
  }

  private fire(pending: Pending): void {
    const nowUs = this.clock.nowUs();
    const { source, client } = pending;
    for (let batch = 0; batch < batchMax; batch++) {
      const seq = ++pending.seq;
      const injection = source.inject(seq, pending.nextUs);
      const sent = client.send(injection.to as AutomatonRef<unknown>, injection.message);
      if (sent.ok) this.stats.injected++;
      else this.stats.refused++;
      pending.nextUs = seq >= source.arrivalsMax ? arrivalNever : source.process.nextArrivalUs(pending.nextUs);
      if (pending.nextUs > nowUs) break;
    }
    this.arm(pending);
  }
}
