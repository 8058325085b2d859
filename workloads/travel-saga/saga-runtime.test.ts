// The travel saga on the real runtime, not the test harness: every automaton on one simulated
// DARQ whose machine crashes in the middle of the bookings. After recovery (and the client
// resending every booking, which exactly-once enqueue drops where already accepted) every trip
// settles with exactly one outcome at the sink and no reservation leaks. This is what the saga
// gets from DARQ: no saga-specific recovery code. (A test may use the simulator; the workload
// code itself does not.)

import test from "ava";
import { DarqCluster, TransportChaos, transportFaultsNone } from "../../engine/darq/darq-test-world.ts";
import type { AnyAutomatonDefinition } from "../../engine/runtime/automaton.ts";
import type { AutomatonId, AutomatonRef } from "../../engine/runtime/ids.ts";
import { RuntimeLocal } from "../../engine/runtime/runtime-local.ts";
import { LogDeviceSim } from "../../sim/log-device-sim.ts";
import { Simulator } from "../../sim/simulator.ts";
import type { SinkState } from "../sink.ts";
import { travelSagaDriver } from "./saga-driver.ts";
import { sagaInvariantProblems } from "./saga-invariant.ts";
import { serviceIdsOf, type ServiceState, type TripState } from "./saga-types.ts";

const trips = 30;
const shards = 2;
const services = 3;
const gapUs = 100;

function stateOf<State>(runtime: RuntimeLocal, id: AutomatonId): State | undefined {
  return runtime.host(id)?.state as State | undefined;
}

for (const crashAtUs of [1_500, 2_500]) {
  test(`a crash at ${crashAtUs} us in the middle of the bookings loses and duplicates nothing`, (t) => {
    const sim = new Simulator({ seed: `saga-crash-${crashAtUs}`, eventsMax: 5_000_000 });
    const driver = travelSagaDriver(
      { kind: "travel-saga", arrivalsPerS: 1000, services, failureChance: 0.3, arrival: { kind: "poisson" } },
      { random: sim.random.fork("workload"), mode: "sim" }, { shards });
    const transport = new TransportChaos(sim.clock, sim.random.fork("transport"), transportFaultsNone);
    const cluster = new DarqCluster(sim.clock, transport,
      () => new LogDeviceSim({ clock: sim.clock, random: sim.random.fork("device"), flushLatencyUs: 200 }));
    cluster.add("d1");
    const definitions: readonly AnyAutomatonDefinition[] = driver.definitions;
    const boot = (): RuntimeLocal => {
      const runtime = new RuntimeLocal({ darq: cluster.darq("d1"), clock: sim.clock, definitions });
      runtime.recover();
      return runtime;
    };
    const [source] = driver.sources;
    if (source === undefined) return t.fail("a booking source");
    // Arrival seq k is also the booking's producer sequence number (DARQ numbers from 1).
    const bookings = Array.from({ length: trips }, (_, index) => source.inject(index + 1, index * gapUs));
    const send = (runtime: RuntimeLocal, index: number) => {
      const booking = bookings[index]!;
      runtime.send(booking.to as AutomatonRef<unknown>, booking.message, { producer: source.producer, seq: index + 1 });
    };

    let runtime = boot();
    let phasesAtCrash: string[] = [];
    for (let index = 0; index < trips; index++) {
      send(runtime, index);
      sim.runFor(gapUs);
      if (sim.clock.nowUs() === crashAtUs) {
        phasesAtCrash = Array.from({ length: trips }, (_, seq) => stateOf<TripState>(runtime, `trip/${seq + 1}` as AutomatonId)?.phase ?? "absent");
        cluster.crash("d1");
        runtime = boot();
      }
    }
    t.true(phasesAtCrash.includes("booked") || phasesAtCrash.includes("compensated"), "some trips settled before the crash");
    t.true(phasesAtCrash.includes("reserving") || phasesAtCrash.includes("compensating"), "some trips were mid-saga at the crash");
    // The client resends every booking (one may have been lost with the machine): duplicates drop.
    for (let index = 0; index < trips; index++) send(runtime, index);
    sim.runFor(2_000_000);

    const tripStates = new Map<AutomatonId, TripState>();
    for (let seq = 1; seq <= trips; seq++) {
      const id = `trip/${seq}` as AutomatonId;
      const state = stateOf<TripState>(runtime, id);
      if (state !== undefined) tripStates.set(id, state);
    }
    const serviceStates = new Map<AutomatonId, ServiceState>();
    for (let shard = 0; shard < shards; shard++) {
      for (const id of serviceIdsOf(services, shard)) {
        const state = stateOf<ServiceState>(runtime, id);
        if (state !== undefined) serviceStates.set(id, state);
      }
    }
    t.is(tripStates.size, trips, "every trip is hosted after recovery");
    t.deepEqual(sagaInvariantProblems({ services, trips: tripStates, serviceStates }), []);
    const outcomes = stateOf<SinkState>(runtime, "sink/travel-saga" as AutomatonId)?.outcomes ?? {};
    const settled = (outcomes["booked"]?.completions ?? 0) + (outcomes["compensated"]?.completions ?? 0);
    t.is(settled, trips, `exactly one outcome per trip: ${JSON.stringify(outcomes)}`);
  });
}
