// A profile whose DARQ nodes share one event loop with their spare compute (as a live node does)
// makes a DARQ's messages and flush completions wait behind running steps: with the same seed and
// config, a compute-heavy pi chain completes fewer tasks than with the DARQ's handling running
// beside the compute, and a profile without the flag is the same run as before. The share of
// steps that waited for a busy core tells tasks that queue on a node from tasks that do not.

import test from "ava";
import type { Experiment } from "../../experiments/schema.ts";
import { cloudProfileRegister, loadCloudProfileDocument } from "../profiles/load.ts";
import { executePointSim } from "./point-executor.ts";

const options = { pointIndex: 0, replication: 0, baseDir: ".", trace: false, timeseriesIntervalUs: 1_000_000 };

function profileNamed(name: string, oneEventLoop: boolean | undefined): string {
  const document = structuredClone(loadCloudProfileDocument("azure-2024")) as Record<string, any>;
  document["name"] = name;
  if (oneEventLoop !== undefined) {
    document["compute"]["darqSpareOneEventLoop"] = { value: oneEventLoop, source: "estimate: a test's choice", asOf: "2026-11-27", estimate: true };
  }
  cloudProfileRegister(name, document);
  return name;
}

function run(profile: string, chainCount = 8) {
  const config = {
    name: "one-event-loop", seed: 5, mode: "sim", durationS: 2,
    workload: { kind: "pi-chain", chainCount, computeScale: 1000 },
    cluster: { profile, compute: [{ name: "spare", kind: "darq-spare", count: 2 }], darq: [{ name: "darq", tier: "hot-replicated", count: 2 }] },
    placement: { policy: "groups", colocation: "none", params: { darqVmSize: "D2s_v3" } },
  } as Experiment;
  return executePointSim(config, "5", options);
}

test("DARQ handling that waits behind running steps completes fewer pi tasks; the flag off changes nothing", (t) => {
  const apart = run(profileNamed("test-apart", false));
  const shared = run(profileNamed("test-one-loop", true));
  const absent = run(profileNamed("test-absent", undefined));
  t.log(`tasks/s: DARQ beside compute ${apart.throughputPerS.toFixed(0)}, one event loop ${shared.throughputPerS.toFixed(0)}`);
  t.true(shared.throughputPerS < apart.throughputPerS);
  t.is(absent.fingerprint, apart.fingerprint);
  t.is(absent.throughputPerS, apart.throughputPerS);
});

test("steps that wait for a busy core are counted: none with one chain, some with eight", (t) => {
  const profile = profileNamed("test-queued", true);
  t.is(run(profile, 1).metrics?.["computeQueuedShare"], 0);
  const crowded = run(profile, 8).metrics?.["computeQueuedShare"] ?? 0;
  t.true(crowded > 0.2 && crowded < 1, `queued share ${crowded} with 8 chains on 2 DARQ machines' spare cores`);
});
