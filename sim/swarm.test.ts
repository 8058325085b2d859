// Tests of swarm options: the same seed draws the same configuration, every draw stays within
// its stated range, and across seeds the swarm really varies (fault-free seeds, seeds that
// hammer one fault kind, mixed seeds; spot preemption only where spot hosts exist).

import test from "ava";
import { faultSchedule } from "./faults/fault-model.ts";
import { RandomSim } from "./random-sim.ts";
import { swarmOptions } from "./swarm.ts";

const seeds = Array.from({ length: 400 }, (_, i) => `swarm-${i}`);
const drawn = seeds.map((seed) => swarmOptions(new RandomSim(seed).fork("swarm")));

test("the same seed draws the same swarm; another seed another", (t) => {
  t.deepEqual(swarmOptions(new RandomSim("swarm-0").fork("swarm")), drawn[0]);
  t.notDeepEqual(drawn[0], drawn[1]);
});

test("every draw stays in its stated range", (t) => {
  for (const options of drawn) {
    t.true(options.zones.length >= 1 && options.zones.length <= 3);
    t.true(options.hosts.length >= 2 && options.hosts.length <= 24);
    t.deepEqual(new Set(options.hosts.map((host) => host.zone)).size, options.zones.length, "every zone has a host");
    t.true(options.darqs >= 1 && options.darqs <= 2 * options.hosts.length);
    t.true(options.automata >= 1 && options.automata <= 10_000);
    t.true(options.workload.messagesPerSecond >= 1 && options.workload.messagesPerSecond <= 20_000);
    t.true(options.lossRate >= 0.01 && options.lossRate <= 0.5);
    if (options.faultRates.spotPreempt !== undefined) t.true(options.hosts.some((host) => host.spot));
    for (const rate of Object.values(options.faultRates)) t.true(rate > 0 && rate <= 600);
  }
});

test("across seeds: fault-free, single-kind storms and mixes all occur, and each drives the fault model", (t) => {
  const modes = new Map<string, number>();
  for (const options of drawn) modes.set(options.faultMode, (modes.get(options.faultMode) ?? 0) + 1);
  for (const mode of ["none", "single", "mixed"]) t.true((modes.get(mode) ?? 0) > 40, `${mode}: ${modes.get(mode)}`);
  for (const options of drawn) {
    const rates = Object.values(options.faultRates);
    if (options.faultMode === "none") t.is(rates.length, 0);
    if (options.faultMode === "single") t.true(rates.length === 1 && rates[0]! >= 60);
  }
  const storm = drawn.find((options) => options.faultMode === "single")!;
  const hosts = storm.hosts.map((host) => host.hostId);
  const faults = faultSchedule(new RandomSim("storm").fork("faults"), {
    rates: storm.faultRates, durationUs: 3_600_000_000, nodes: hosts, hosts,
    spotNodes: storm.hosts.filter((host) => host.spot).map((host) => host.hostId),
  });
  t.true(faults.length > 0);
});
