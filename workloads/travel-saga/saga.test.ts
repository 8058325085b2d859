// The whole travel saga in the test harness: over many seeds (failure chances, service counts,
// shard counts and delivery interleavings all drawn from the seed) every trip settles, each one
// booked exactly when all its services reserved, and the invariant holds: nothing leaks. The
// invariant checker itself is shown to catch a planted leak, a lost hold and an unsettled trip.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import type { SinkState } from "../sink.ts";
import { TestHarness } from "../test-harness.ts";
import { travelSagaDriver, type TravelSagaConfig } from "./saga-driver.ts";
import { sagaInvariantProblems, type SagaStates } from "./saga-invariant.ts";
import { serviceTypeOf, type ServiceState, type TripState } from "./saga-types.ts";

type Run = { harness: TestHarness; states: SagaStates; trips: number };

/** Books `trips` trips at once and delivers every message in an order drawn from `seed`. */
function runSaga(seed: string, config: TravelSagaConfig, trips: number, shards: number): Run {
  const random = new RandomNode(seed);
  const driver = travelSagaDriver(config, { random, mode: "sim" }, { shards });
  const harness = new TestHarness({ definitions: driver.definitions, random: random.fork("order") });
  const [source] = driver.sources;
  if (source === undefined) throw new Error("a booking source");
  let timeUs = 0;
  for (let seq = 1; seq <= trips; seq++) {
    timeUs = source.process.nextArrivalUs(timeUs);
    const injection = source.inject(seq, timeUs);
    harness.inject(injection.to, injection.message);
    // Let some bookings overlap with the progress of earlier ones.
    for (let step = random.int(4); step > 0 && harness.deliverOne(); step--);
  }
  harness.run();
  return { harness, states: sagaStates(harness, config.services), trips };
}

function sagaStates(harness: TestHarness, services: number): SagaStates {
  const serviceStates = new Map<AutomatonId, ServiceState>();
  for (let index = 0; index < services; index++) {
    for (const [id, state] of harness.statesOf<ServiceState>(serviceTypeOf(index))) serviceStates.set(id, state);
  }
  return { services, trips: harness.statesOf<TripState>("trip"), serviceStates };
}

function config(services: number, failureChance: number): TravelSagaConfig {
  return { kind: "travel-saga", arrivalsPerS: 1000, services, failureChance, arrival: { kind: "poisson" } };
}

test("over many random failure draws and interleavings every trip settles and no reservation leaks", (t) => {
  const chances = [0, 0.05, 0.3, 0.7, 1];
  let booked = 0;
  let compensated = 0;
  for (let run = 0; run < 60; run++) {
    const draw = new RandomNode(`saga-${run}`);
    const failureChance = chances[draw.int(chances.length)]!;
    const services = 1 + draw.int(5);
    const { harness, states, trips } = runSaga(`saga-${run}`, config(services, failureChance), 20 + draw.int(30), 1 + draw.int(4));
    const problems = sagaInvariantProblems(states);
    if (problems.length > 0) return t.fail(`run ${run}: ${problems.slice(0, 5).join("; ")}`);
    t.is(states.trips.size, trips, `run ${run}: every booking created its trip`);
    for (const [trip, state] of states.trips) {
      const allReserved = state.reserved.length === services;
      if ((state.phase === "booked") !== allReserved) return t.fail(`run ${run}: ${trip} is ${state.phase} with ${state.reserved.length}/${services} reserved`);
    }
    const tallies = harness.stateOf<SinkState>("sink/travel-saga").outcomes;
    const outcomes = (tallies["booked"]?.completions ?? 0) + (tallies["compensated"]?.completions ?? 0);
    t.is(outcomes, trips, `run ${run}: one outcome per trip`);
    if (failureChance === 0) t.is(tallies["compensated"], undefined, `run ${run}: nothing fails without failures`);
    if (failureChance === 1) t.is(tallies["booked"], undefined, `run ${run}: nothing books when every reservation fails`);
    booked += tallies["booked"]?.completions ?? 0;
    compensated += tallies["compensated"]?.completions ?? 0;
  }
  t.true(booked > 0 && compensated > 0, `both outcomes occurred (${booked} booked, ${compensated} compensated)`);
});

test("the same seed replays the same saga: same outcomes, same states", (t) => {
  const first = runSaga("replay", config(3, 0.3), 40, 2);
  const again = runSaga("replay", config(3, 0.3), 40, 2);
  t.deepEqual([...again.states.trips], [...first.states.trips]);
  t.deepEqual([...again.states.serviceStates], [...first.states.serviceStates]);
});

test("the invariant checker catches a planted leak, a lost hold and an unsettled trip", (t) => {
  const { harness, states } = runSaga("plant", config(3, 0.4), 40, 2);
  t.deepEqual(sagaInvariantProblems(states), []);
  const compensated = [...states.trips].find(([, state]) => state.phase === "compensated");
  const booked = [...states.trips].find(([, state]) => state.phase === "booked");
  if (compensated === undefined || booked === undefined) return t.fail("the seed gives both outcomes");
  const [leakedTrip, leakedState] = compensated;
  const hotel = `hotel/${leakedState.shard}` as AutomatonId;
  const hotelState = structuredClone(harness.stateOf<ServiceState>(hotel));
  hotelState.held[leakedTrip] = 1;
  hotelState.heldCount++;
  const leak = sagaInvariantProblems({ ...states, serviceStates: new Map([...states.serviceStates, [hotel, hotelState]]) });
  t.deepEqual(leak, [`leak: ${hotel} still holds a reservation for compensated trip ${leakedTrip}`]);

  const [bookedTrip, bookedState] = booked;
  const car = `car/${bookedState.shard}` as AutomatonId;
  const carState = structuredClone(harness.stateOf<ServiceState>(car));
  delete carState.held[bookedTrip];
  carState.heldCount--;
  const lost = sagaInvariantProblems({ ...states, serviceStates: new Map([...states.serviceStates, [car, carState]]) });
  t.deepEqual(lost, [`trip ${bookedTrip} is booked but ${car} holds no reservation for it`]);

  const unsettled = sagaInvariantProblems({ ...states, trips: new Map([...states.trips, [bookedTrip, { ...bookedState, phase: "reserving" }]]) });
  t.deepEqual(unsettled, [`trip ${bookedTrip} is still reserving: the saga has not settled`]);
});

test("the driver routes bookings to shards and groups each shard's trips with its services", (t) => {
  const driver = travelSagaDriver(config(3, 0.1), { random: new RandomNode("d"), mode: "sim" }, { shards: 4 });
  const [source] = driver.sources;
  t.deepEqual(source?.inject(6, 123), { to: "trip/6", message: { type: "book", shard: 2, startUs: 123 } });
  t.is([...driver.automata()].length, 12, "3 services × 4 shards");
  t.like(driver.placementHint("trip/6" as AutomatonId), { group: "shard-2", role: "orchestrator" });
  t.like(driver.placementHint("hotel/2" as AutomatonId), { group: "shard-2", role: "service" });
  t.like(driver.completionOf("sink/travel-saga" as AutomatonId, { type: "completed", outcome: "booked", startUs: 5, items: 1 }),
    { outcome: "booked", startUs: 5, items: 1 });
  t.is(driver.completionOf("trip/6" as AutomatonId, { type: "reserved", service: 0 }), undefined);
});
