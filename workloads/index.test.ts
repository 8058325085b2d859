// The workload registry and the driver contract, checked for every kind that has a driver, from
// the schema's own example configs: definitions have distinct types and include the sink; every
// listed automaton and every injected message targets a defined type; messages survive the
// codec; each automaton has a placement hint; the throughput outcomes are declared outcomes; a
// short run produces completed work. Kinds without a driver, and trace arrivals without their
// parsed times, are refused with configInvalid naming the config path.

import test from "ava";
import { ErrorCode } from "../engine/io/errors.ts";
import { RandomNode } from "../engine/io/node/random-node.ts";
import { packr } from "../engine/runtime/codec.ts";
import { automatonIdCheck, automatonIdType } from "../engine/runtime/ids.ts";
import { exampleExperiment } from "../experiments/schema-examples.ts";
import type { Workload } from "../experiments/schema-workload.ts";
import { workloadDriverOf, workloadKindsWithDriver } from "./index.ts";
import { driveSources, TestHarness } from "./test-harness.ts";

/** The example config of `kind`, made small enough for a test run. */
function exampleWorkload(kind: Workload["kind"]): Workload {
  const workload = exampleExperiment(kind)["workload"] as Workload;
  if (workload.kind === "pi-chain") return { ...workload, chainHops: 5 };
  if (workload.kind === "stream-pipeline") return { ...workload, eventsPerS: 2000 };
  return workload;
}

test("the registry covers the four workloads of the paper's experiments and the synthetic one", (t) => {
  t.deepEqual(workloadKindsWithDriver(), ["pi-chain", "travel-saga", "stream-pipeline", "monitoring", "synthetic"]);
});

for (const kind of workloadKindsWithDriver()) {
  test(`${kind}: the driver keeps the contract and a short run completes work`, (t) => {
    const built = workloadDriverOf(exampleWorkload(kind), { random: new RandomNode(kind), mode: "sim" });
    if (!built.ok) return t.fail(built.reason);
    const driver = built.value;
    t.is(driver.kind, kind);
    const types = driver.definitions.map((definition) => definition.type);
    t.is(new Set(types).size, types.length, "distinct definition types");
    t.true(types.includes("sink"));
    for (const id of driver.automata()) {
      t.true(automatonIdCheck(id).ok && types.includes(automatonIdType(id)), `${id} is a valid id of a defined type`);
      const placement = driver.placementHint(id);
      t.true(placement.group.length > 0 && placement.role.length > 0, `${id} has a placement hint`);
    }
    t.true(driver.throughputOutcomes.every((outcome) => driver.outcomes.includes(outcome)));
    for (const source of driver.sources) {
      const injection = source.inject(1, 0);
      t.true(types.includes(automatonIdType(injection.to)), `${source.producer} injects into a defined type`);
      t.deepEqual(packr.unpack(packr.pack(injection.message)), injection.message, `${source.producer} messages survive the codec`);
    }
    const fresh = workloadDriverOf(exampleWorkload(kind), { random: new RandomNode(kind), mode: "sim" });
    if (!fresh.ok) return t.fail(fresh.reason);
    const harness = new TestHarness({ definitions: fresh.value.definitions });
    driveSources(fresh.value, harness, 2_000_000);
    const done = new Map<string, number>();
    for (const sent of harness.sent) {
      const completion = fresh.value.completionOf(sent.to, sent.message);
      if (completion !== undefined) done.set(completion.outcome, (done.get(completion.outcome) ?? 0) + completion.items);
    }
    const throughputItems = fresh.value.throughputOutcomes.reduce((sum, outcome) => sum + (done.get(outcome) ?? 0), 0);
    t.true(throughputItems > 0, `completed work in 2 s: ${JSON.stringify([...done])}`);
  });
}

test("a kind without a driver and a trace without its parsed times are refused with the config path", (t) => {
  // Every kind of the schema has a driver now; a kind from a newer schema would not.
  const unknown = workloadDriverOf({ ...exampleWorkload("synthetic"), kind: "future-kind" } as unknown as Workload, { random: new RandomNode("x"), mode: "sim" });
  t.false(unknown.ok);
  if (!unknown.ok) {
    t.is(unknown.code, ErrorCode.configInvalid);
    t.regex(unknown.reason, /^\/workload\/kind: the workload kind 'future-kind' has no driver/);
  }
  const traced: Workload = { kind: "travel-saga", arrivalsPerS: 10, services: 2, failureChance: 0, arrival: { kind: "trace", path: "t.csv" } };
  const missing = workloadDriverOf(traced, { random: new RandomNode("x"), mode: "sim" });
  t.false(missing.ok);
  if (!missing.ok) t.regex(missing.reason, /^\/workload\/arrival: the trace 't.csv' must be read/);
  const given = workloadDriverOf(traced, { random: new RandomNode("x"), mode: "sim", traceTimesUs: [0, 10, 20] });
  t.true(given.ok);
});
