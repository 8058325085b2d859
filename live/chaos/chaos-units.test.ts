// The pure parts of the chaos tooling: the effect ledger finds lost, duplicated and fabricated
// effects; kill schedules crash and restart in pairs within the run; the live fault model is a
// function of the seed and maps each model kind onto what processes can suffer; recorded
// schedules are checked with the simulator's vocabulary and refused with every problem named.

import test from "ava";
import type { Experiment } from "../../experiments/schema.ts";
import { killSchedule } from "./chaos-controller.ts";
import { ledgerCheck, ledgerExact } from "./effect-ledger.ts";
import { faultsChecked, faultsFromModel, needsLinks } from "./live-faults.ts";

test("the ledger tells exactly-once from lost, duplicated and fabricated effects", (t) => {
  const keyOf = (effect: { from: string }) => (effect.from.startsWith("trip/") ? effect.from : undefined);
  const exact = ledgerCheck([{ from: "trip/1", message: 1 }, { from: "trip/2", message: 1 }, { from: "pi/0.1", message: 1 }], ["trip/1", "trip/2"], keyOf);
  t.true(ledgerExact(exact));
  t.is(exact.effects, 2, "effects of other workloads are not this ledger's");
  const broken = ledgerCheck([{ from: "trip/1", message: 1 }, { from: "trip/1", message: 2 }, { from: "trip/9", message: 1 }], ["trip/1", "trip/2"], keyOf);
  t.false(ledgerExact(broken));
  t.deepEqual(broken.lost, ["trip/2"]);
  t.deepEqual(broken.duplicated, [{ key: "trip/1", count: 2 }]);
  t.deepEqual(broken.unexpected, ["trip/9"]);
});

test("a kill schedule pairs every crash with a restart, in time order, within the run", (t) => {
  let state = 1;
  const random = () => ((state = (state * 16_807) % 2_147_483_647) / 2_147_483_647);
  const faults = killSchedule(["n1", "n2", "n3"], { periodUs: 4_000_000, downUs: 1_000_000, durationUs: 30_000_000, random });
  t.true(faults.length >= 10);
  for (let index = 0; index < faults.length; index += 2) {
    const [crash, restart] = [faults[index]!, faults[index + 1]!];
    t.is(crash.fault, "crash");
    t.is(restart.fault, "restart");
    t.deepEqual(restart.targets, crash.targets);
    t.is(restart.timeUs - crash.timeUs, 1_000_000);
    t.true(restart.timeUs < 30_000_000);
    if (index > 0) t.true(crash.timeUs > faults[index - 1]!.timeUs, "one node down at a time");
  }
});

test("the live fault model is a function of the seed and maps model kinds onto process faults", (t) => {
  const config = { faults: { model: { ratesPerHour: { nodeCrash: 600, processPause: 600, networkPartition: 300 }, durationUsMean: 1_000_000 } } } as unknown as Experiment;
  const first = faultsFromModel(config, "seed-a", ["n1", "n2", "n3"], 60_000_000);
  t.deepEqual(faultsFromModel(config, "seed-a", ["n1", "n2", "n3"], 60_000_000), first, "same seed, same schedule");
  t.notDeepEqual(faultsFromModel(config, "seed-b", ["n1", "n2", "n3"], 60_000_000), first);
  const kinds = new Set(first.map((fault) => fault.fault));
  for (const kind of ["crash", "restart", "pause", "resume", "networkPartition", "heal"]) t.true(kinds.has(kind as never), kind);
  t.true(first.every((fault, index) => index === 0 || fault.timeUs >= first[index - 1]!.timeUs));
  t.true(first.filter(needsLinks).length > 0 && !first.filter((fault) => fault.fault === "crash").some(needsLinks));
  t.deepEqual(faultsFromModel({} as Experiment, "seed-a", ["n1"], 60_000_000), [], "no model, no faults");
});

test("recorded schedules are checked with the simulator's vocabulary", (t) => {
  t.deepEqual(faultsChecked([{ timeUs: 5, fault: "crash", targets: ["n2"] }]), [{ timeUs: 5, fault: "crash", targets: ["n2"], params: {} }]);
  const error = t.throws(() => faultsChecked([{ timeUs: -1, fault: "crash", targets: ["n2"] }, { timeUs: 1, fault: "melt", targets: [] }]));
  t.regex(error.message, /fault 0: timeUs/);
  t.regex(error.message, /fault 1: fault must be one of/);
});
