// The travel reservation saga's vocabulary: the messages between a trip's orchestrator and the
// reservation services, their states, and how automata are named.
//
// Naming: trip k is `trip/<k>`; its services are shard (k mod shards) of each service type,
// `flight/<shard>`, `hotel/<shard>`, `car/<shard>`, … A shard of a service holds the
// reservations of the trips routed to it; sharding bounds the state and the step rate of one
// automaton, and the trips of a shard and its services form a co-location group.

import type { AutomatonId, AutomatonRef } from "../../engine/runtime/ids.ts";

/** Service type names, in the order a trip books them; more services are `service<i>`. */
const serviceTypeNames = ["flight", "hotel", "car", "train", "tour", "insurance", "parking", "dinner"];

/** Most services a trip may book (the schema's bound). */
export const servicesMax = 32;

export const tripType = "trip";

export function serviceTypeOf(index: number): string {
  return serviceTypeNames[index] ?? `service${index}`;
}

/** Ids of the `services` services that trips of `shard` book, in booking order. */
export function serviceIdsOf(services: number, shard: number): AutomatonId[] {
  const ids: AutomatonId[] = [];
  for (let index = 0; index < services; index++) ids.push(`${serviceTypeOf(index)}/${shard}`);
  return ids;
}

/** What a trip's orchestrator receives: the booking, then one reply per request it sent. */
export type TripMessage =
  | { readonly type: "book"; readonly shard: number; readonly startUs: number }
  | { readonly type: "reserved"; readonly service: number }
  | { readonly type: "rejected"; readonly service: number; readonly reason: string }
  | { readonly type: "cancelled"; readonly service: number };

/** What a reservation service receives. `trip` is where the reply goes. */
export type ServiceMessage =
  | { readonly type: "reserve"; readonly trip: AutomatonRef<TripMessage> }
  | { readonly type: "cancel"; readonly trip: AutomatonRef<TripMessage> };

/**
 * A trip's life: new → reserving → booked, or → compensating → compensated (or straight to
 * compensated when no reservation succeeded, since there is nothing to undo).
 */
export type TripPhase = "new" | "reserving" | "compensating" | "booked" | "compensated";

export type TripState = {
  phase: TripPhase;
  shard: number;
  startUs: number;
  /** Services (by index) that reserved, in reply order. */
  reserved: number[];
  /** Services that refused. */
  rejected: number[];
  /** Services that acknowledged a cancellation. */
  cancelled: number[];
};

export type TripEvent =
  | { readonly type: "started"; readonly shard: number; readonly startUs: number }
  | { readonly type: "replied"; readonly service: number; readonly reserved: boolean }
  | { readonly type: "cancelAcked"; readonly service: number }
  | { readonly type: "phase"; readonly phase: TripPhase };

export type ServiceState = {
  /** Reservations held, by trip id: when each was made (µs). Cancelling removes it. */
  held: Record<string, number>;
  heldCount: number;
  /** Reservations refused: by the failure draw, or because the service was full. */
  rejectedCount: number;
  /** Reservations released by a compensating cancel. */
  releasedCount: number;
};

export type ServiceEvent =
  | { readonly type: "held"; readonly trip: string }
  | { readonly type: "rejected" }
  | { readonly type: "released"; readonly trip: string };

/** Final phases: the trip will do nothing more. */
export function tripSettled(phase: TripPhase): boolean {
  return phase === "booked" || phase === "compensated";
}
