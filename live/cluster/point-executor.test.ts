// The live PointExecutor (mode "live") runs an experiment point on real node processes and gives
// the runner a valid PointResult: the pi chain's tasks per second from the nodes' counters, the
// saga's outcomes from the sink while a recorded schedule kills and restarts a node, and configs
// a live cluster cannot run are refused with the path of the problem.

import test from "ava";
import { pointResultProblem, type PointOptions } from "../../experiments/runner/point.ts";
import type { Experiment } from "../../experiments/schema.ts";
import { executePointLive } from "./point-executor.ts";

const options: PointOptions = { pointIndex: 0, replication: 0, baseDir: ".", trace: false, timeseriesIntervalUs: 500_000 };

function config(workload: Experiment["workload"], colocation: "none" | "darq-and-compute" = "none"): Experiment {
  return {
    name: "live-point", seed: 3, mode: "live", durationS: 3, workload,
    cluster: { profile: "azure-2024", compute: [{ name: "spare", kind: "darq-spare", count: 2 }], darq: [{ name: "darq", tier: "ssd", count: 2 }] },
    placement: { policy: "groups", colocation },
  } as Experiment;
}

test.serial("a live pi-chain point measures tasks per second from the nodes", async (t) => {
  t.timeout(90_000);
  const result = await executePointLive(config({ kind: "pi-chain", chainCount: 4, computeScale: 10 }, "darq-and-compute"), "3", options);
  t.is(pointResultProblem(result), undefined);
  t.true(result.throughputPerS > 50, `throughput ${result.throughputPerS}`);
  t.true(result.latencyUsP50 > 0 && result.latencyUsP99 >= result.latencyUsP50);
  t.true(result.timeseries.length >= 2);
  t.regex(result.fingerprint, /^live:[0-9a-f]{16}$/);
  t.deepEqual(result.faultsApplied, []);
  // The pi handlers were timed (the run's compute speed for bench live-vs-sim): about one call per step.
  const steps = (result.throughputPerS * result.durationUs) / 1e6;
  const calls = result.metrics?.["piHandlerCalls"] ?? 0;
  t.true(calls > 0.5 * steps && calls < 2 * steps, `${calls} handler calls for ${steps} steps`);
  t.true((result.metrics?.["piHandlerUsPerCall"] ?? 0) > 0);
  const backToBack = result.metrics?.["piHandlerBackToBackShare"] ?? Number.NaN;
  t.true(backToBack >= 0 && backToBack <= 1, `back-to-back share ${backToBack}`);
});

test.serial("a live travel-saga point survives a scheduled node kill and reports outcomes", async (t) => {
  t.timeout(90_000);
  const schedule = [
    { timeUs: 1_000_000, fault: "crash", targets: ["n2"] },
    { timeUs: 1_800_000, fault: "restart", targets: ["n2"] },
  ];
  const saga = { kind: "travel-saga", arrivalsPerS: 20, services: 2, failureChance: 0.2, arrival: { kind: "constant" } } as const;
  const result = await executePointLive(config(saga), "3", { ...options, faultSchedule: schedule });
  t.is(pointResultProblem(result), undefined);
  t.deepEqual(result.faultsApplied.map((fault) => fault.fault), ["crash", "restart"]);
  t.true((result.metrics?.["sinkOutputs"] ?? 0) > 0, "trips settled at the sink");
  t.true(result.throughputPerS > 0);
});

test("configs a live cluster cannot run are refused with their path", async (t) => {
  const wrongPolicy = { ...config({ kind: "pi-chain", chainCount: 1, computeScale: 1 }), placement: { policy: "cheapest" } } as Experiment;
  await t.throwsAsync(() => executePointLive(wrongPolicy, "3", options), { message: /\/placement\/policy/ });
  await t.throwsAsync(() => executePointLive(config({ kind: "pi-chain", chainCount: 1, computeScale: 1 }), "3",
    { ...options, faultSchedule: [{ timeUs: 0, fault: "explode", targets: [] }] }), { message: /fault must be one of/ });
});
