// executePointSim as the runner calls it: a frozen config and a seed in, a PointResult out.
// Proves: the same config and seed give the identical result (fingerprint, numbers, time series);
// a different seed gives a different run; co-locating a pi chain's DARQ and compute raises its
// throughput over no co-location (the direction of the paper's Figure 4); a fault schedule is
// applied at the right (relative) times and returned, and the seeded fault model's draw is too;
// configs the executor cannot honour are refused with the path of the field to change (unknown
// policy names list the known ones); and an optimizer named in the config runs on its cadence.

import test from "ava";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { PointOptions } from "../../experiments/runner/point.ts";
import type { Experiment } from "../../experiments/schema.ts";
import { executePointSim } from "./point-executor.ts";

const options: PointOptions = { pointIndex: 0, replication: 0, baseDir: ".", trace: false, timeseriesIntervalUs: 50_000 };

function piConfig(overrides: Partial<Experiment> = {}): Experiment {
  return {
    name: "executor-test", seed: 7, mode: "sim", durationS: 0.2,
    workload: { kind: "pi-chain", chainCount: 8, computeScale: 1 },
    cluster: {
      profile: "azure-2024",
      compute: [{ name: "vm", kind: "vm", size: "D4s_v3", count: 2 }, { name: "spare", kind: "darq-spare", count: 2 }],
      darq: [{ name: "darq", tier: "hot-replicated", count: 2 }],
    },
    placement: { policy: "groups", colocation: "none" },
    ...overrides,
  };
}

test("the same config and seed give the identical result; another seed another run", (t) => {
  const first = executePointSim(piConfig(), "seed-a", options);
  const second = executePointSim(piConfig(), "seed-a", options);
  t.deepEqual(second, first);
  t.regex(first.fingerprint, /^[0-9a-f]{16}$/);
  t.true(first.throughputPerS > 0, "tasks completed");
  t.true(first.latencyUsP50 > 0 && first.latencyUsP50 <= first.latencyUsP99);
  t.true(first.costUsdPerMonth > 0, "VMs and replicas are priced");
  t.is(first.timeseries.length, 4, "one sample per 50 ms of a 200 ms run");
  t.deepEqual(first.timeseries.map((sample) => sample.timeUs), [50_000, 100_000, 150_000, 200_000]);
  const other = executePointSim(piConfig(), "seed-b", options);
  t.not(other.fingerprint, first.fingerprint);
});

test("co-locating DARQ and compute gives a pi chain more throughput than no co-location (Figure 4)", (t) => {
  const none = executePointSim(piConfig(), "s", options);
  const both = executePointSim(piConfig({ placement: { policy: "groups", colocation: "darq-and-compute" } }), "s", options);
  t.true(both.throughputPerS > 1.5 * none.throughputPerS, `co-located ${both.throughputPerS}/s vs ${none.throughputPerS}/s`);
  t.true(both.latencyUsP50 < none.latencyUsP50);
});

test("a fault schedule is applied at its times after warm-up and returned; throughput dips and recovers", (t) => {
  const schedule = [
    { timeUs: 50_000, fault: "crash", targets: ["darq-1"], params: {} },
    { timeUs: 100_000, fault: "restart", targets: ["darq-1"], params: {} },
  ];
  // Recovery takes the failure detector's 100 ms and the metadata workflow's re-registration.
  const config = piConfig({ durationS: 0.4 });
  const faulted = executePointSim(config, "s", { ...options, faultSchedule: schedule });
  t.deepEqual(faulted.faultsApplied, schedule);
  const clean = executePointSim(config, "s", options);
  t.deepEqual(clean.faultsApplied, []);
  t.not(faulted.fingerprint, clean.fingerprint);
  t.true(faulted.timeseries[1]!["throughputPerS"]! < clean.timeseries[1]!["throughputPerS"]!, "a crashed DARQ node stalls its chains");
  const last = faulted.timeseries.at(-1)!;
  t.true(last["throughputPerS"]! > 0, "the chains run again after the restart");
});

test("the seeded fault model draws, applies and returns its faults deterministically", (t) => {
  const config = piConfig({ durationS: 1, faults: { model: { ratesPerHour: { nodeCrash: 3600 }, durationUsMean: 100_000 } } });
  const first = executePointSim(config, "s", { ...options, timeseriesIntervalUs: 250_000 });
  const second = executePointSim(config, "s", { ...options, timeseriesIntervalUs: 250_000 });
  t.true(first.faultsApplied.length > 0);
  t.deepEqual(second.faultsApplied, first.faultsApplied);
  t.is(second.fingerprint, first.fingerprint);
  for (const fault of first.faultsApplied) t.true(fault.timeUs >= 0 && fault.timeUs <= 1_000_000);
});

test("configs the executor cannot honour are refused with the field to change", (t) => {
  const refused = (config: Experiment) => t.throws(() => executePointSim(config, "s", options), { instanceOf: SsmsError });
  const optimizer = refused(piConfig({ optimizer: { policy: "greedy-costs" } }));
  t.is(optimizer?.code, ErrorCode.configInvalid);
  t.regex(optimizer?.message ?? "", /\/optimizer: optimizer\.policy: unknown policy 'greedy-costs' \(known: .*greedy-cost/);
  t.regex(refused(piConfig({ optimizer: { policy: "colocation", params: { horizon: 3 } } }))?.message ?? "", /\/optimizer: .*horizon: unknown parameter/);
  t.regex(refused(piConfig({ placement: { policy: "best-fit" } }))?.message ?? "", /\/placement\/policy: 'best-fit' .*groups, round-robin, hash, static, random, least-loaded/);
  t.regex(refused(piConfig({ placement: { policy: "least-loaded", colocation: "darq" } }))?.message ?? "", /\/placement\/colocation/);
  t.regex(refused(piConfig({ placement: { policy: "hash", colocation: "darq" } }))?.message ?? "", /\/placement\/colocation/);
});

test("an optimizer and a management placement policy run in the executor, deterministically", (t) => {
  const config = piConfig({ placement: { policy: "least-loaded" }, optimizer: { policy: "greedy-cost", periodUs: 50_000, params: { cooldownUs: 0 } } });
  const result = executePointSim(config, "s", options);
  t.deepEqual(executePointSim(config, "s", options), result, "same seed, same decisions, same run");
  t.true(result.throughputPerS > 0);
  t.is(result.metrics?.["managerRuns"], 3, "every 50 ms of a 200 ms run, the last one at its end excluded");
  t.true(Number.isFinite(result.metrics?.["objectiveScore"]));
});
