// The travel-saga workload as the executor runs it (driver.ts): bookings arrive by the config's
// arrival process at `arrivalsPerS`; booking k creates the orchestrator `trip/<k>`, which books
// the services of shard k mod `shards`. Throughput counts settled trips, booked or compensated;
// latency runs from the booking's arrival to its outcome reaching the sink.
//
// Placement: a shard's services and the trips routed to them exchange all their messages, so
// they form one co-location group.

import { automatonIdKey, automatonIdType, type AutomatonId } from "../../engine/runtime/ids.ts";
import type { Workload } from "../../experiments/schema-workload.ts";
import { arrivalProcessOf } from "../arrivals/arrivals.ts";
import {
  CompletionScratch, hint, MessageCostScratch,
  type ArrivalSource, type Completion, type MessageCost, type PlacementHint, type WorkloadContext, type WorkloadDriver,
} from "../driver.ts";
import { sink, sinkCompletion } from "../sink.ts";
import { serviceIdsOf, tripType, type TripMessage } from "./saga-types.ts";
import { serviceDefinition } from "./service.ts";
import { tripDefinition } from "./trip.ts";

export type TravelSagaConfig = Extract<Workload, { kind: "travel-saga" }>;

export type TravelSagaDriverOptions = {
  /** Shards of every service (default 8). */
  readonly shards?: number;
  /** Reservations one service shard may hold (default 1,000,000). */
  readonly capacity?: number;
  /** Modelled compute of an orchestrator step and a service step, core-µs (defaults 20 and 50). */
  readonly tripWorkCoreUs?: number;
  readonly serviceWorkCoreUs?: number;
};

export const sagaOutcomes = ["booked", "compensated"] as const;

export function travelSagaDriver(config: TravelSagaConfig, context: WorkloadContext, options: TravelSagaDriverOptions = {}): WorkloadDriver {
  const shards = options.shards ?? 8;
  const trip = tripDefinition({ services: config.services, workCoreUs: options.tripWorkCoreUs ?? 20 });
  const services = Array.from({ length: config.services }, (_, index) => serviceDefinition({
    index,
    failureChance: config.failureChance,
    capacity: options.capacity ?? 1_000_000,
    workCoreUs: options.serviceWorkCoreUs ?? 50,
  }));
  const completion = new CompletionScratch();
  const noCost = new MessageCostScratch();
  const source: ArrivalSource = {
    producer: "bookings",
    process: arrivalProcessOf(config.arrival, config.arrivalsPerS, context.random.fork("bookings"), context.traceTimesUs),
    arrivalsMax: Number.POSITIVE_INFINITY,
    inject(seq: number, timeUs: number) {
      const message: TripMessage = { type: "book", shard: seq % shards, startUs: timeUs };
      return { to: trip.ref(String(seq)), message };
    },
  };
  return {
    kind: "travel-saga",
    definitions: [trip, ...services, sink],
    *automata() {
      for (let shard = 0; shard < shards; shard++) yield* serviceIdsOf(config.services, shard);
    },
    sources: [source],
    outcomes: sagaOutcomes,
    throughputOutcomes: sagaOutcomes,
    completionOf(to: AutomatonId, message: unknown): Completion | undefined {
      return sinkCompletion(to, message, completion);
    },
    placementHint(id: AutomatonId): PlacementHint {
      const type = automatonIdType(id);
      if (type === sink.type) return hint("sink", "sink");
      const key = Number(automatonIdKey(id));
      if (type === tripType) return hint(`shard-${key % shards}`, "orchestrator");
      return hint(`shard-${key}`, "service");
    },
    messageCost(): MessageCost {
      return noCost;
    },
  };
}
