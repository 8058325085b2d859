// The travel saga's safety invariant, as a pure function over final states (after quiescence:
// no message in flight). A saga may fail, but it must never leave the world half-booked:
//
// - every trip has settled (booked or compensated);
// - a booked trip holds a reservation at every one of its services, and its state says every
//   service reserved;
// - a compensated trip holds nothing anywhere (no leaked reservation), and it acknowledged a
//   cancel from every service that had reserved;
// - no service holds a reservation for a trip that does not exist;
// - every service's held count matches the reservations it lists.
//
// The result lists every violation found (empty when the invariant holds), each naming the trip
// and service, so a failing test or a VOPR run says exactly what leaked where.

import type { AutomatonId } from "../../engine/runtime/ids.ts";
import { serviceIdsOf, tripSettled, type ServiceState, type TripState } from "./saga-types.ts";

export type SagaStates = {
  readonly services: number;
  readonly trips: ReadonlyMap<AutomatonId, TripState>;
  readonly serviceStates: ReadonlyMap<AutomatonId, ServiceState>;
};

function holds(states: SagaStates, service: AutomatonId, trip: AutomatonId): boolean {
  const state = states.serviceStates.get(service);
  return state !== undefined && Object.hasOwn(state.held, trip);
}

function tripProblems(states: SagaStates, trip: AutomatonId, state: TripState): string[] {
  if (!tripSettled(state.phase)) return [`trip ${trip} is still ${state.phase}: the saga has not settled`];
  const problems: string[] = [];
  const serviceIds = serviceIdsOf(states.services, state.shard);
  if (state.phase === "booked") {
    if (state.reserved.length !== states.services || state.rejected.length > 0) {
      problems.push(`trip ${trip} is booked but recorded ${state.reserved.length} reservations and ${state.rejected.length} refusals`);
    }
    for (const service of serviceIds) {
      if (!holds(states, service, trip)) problems.push(`trip ${trip} is booked but ${service} holds no reservation for it`);
    }
    return problems;
  }
  for (const service of serviceIds) {
    if (holds(states, service, trip)) problems.push(`leak: ${service} still holds a reservation for compensated trip ${trip}`);
  }
  const unacknowledged = state.reserved.filter((index) => !state.cancelled.includes(index));
  if (unacknowledged.length > 0) {
    problems.push(`trip ${trip} is compensated but services ${unacknowledged.join(", ")} never acknowledged their cancel`);
  }
  return problems;
}

function serviceProblems(states: SagaStates, service: AutomatonId, state: ServiceState): string[] {
  const problems: string[] = [];
  const tripIds = Object.keys(state.held);
  if (tripIds.length !== state.heldCount) {
    problems.push(`${service} counts ${state.heldCount} held reservations but lists ${tripIds.length}`);
  }
  for (const trip of tripIds) {
    if (!states.trips.has(trip as AutomatonId)) problems.push(`${service} holds a reservation for unknown trip ${trip}`);
  }
  return problems;
}

/** Every violation of the saga invariant in these final states; empty when it holds. */
export function sagaInvariantProblems(states: SagaStates): string[] {
  const problems: string[] = [];
  for (const [trip, state] of states.trips) problems.push(...tripProblems(states, trip, state));
  for (const [service, state] of states.serviceStates) problems.push(...serviceProblems(states, service, state));
  return problems;
}
