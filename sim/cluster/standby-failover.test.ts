// Standby replicas (management issue: "standby failover: after a host crash, time to resume is
// measured against cold recovery and is lower"). The same cluster and workload run twice: once
// with a warm standby on another compute node, once without. The primary's compute node crashes;
// time to resume is virtual time from the crash to the automaton's next committed step. Cold
// recovery replays every SELF record since the last snapshot; the standby has applied them while
// tailing, so its promotion replays only what it had not seen.

import test from "ava";
import { counter } from "../../engine/runtime/example-counter.ts";
import { clusterAudit } from "./cluster-audit.ts";
import type { SimClusterConfig } from "./cluster-config.ts";
import { SimCluster } from "./sim-cluster.ts";

const config: SimClusterConfig = {
  seed: "standby-failover", profile: "azure-2024",
  darqNodes: [{ name: "d1", tier: "ssd", zone: "z1" }, { name: "d2", tier: "ssd", zone: "z1" }],
  computeNodes: [
    { name: "c1", kind: "vm", size: "D2s_v3", zone: "z1" }, { name: "c2", kind: "vm", size: "D2s_v3", zone: "z1" },
    { name: "c3", kind: "vm", size: "D2s_v3", zone: "z1" },
  ],
  // No compaction during the run: cold recovery replays the whole history, as with a long
  // snapshot period.
  placement: { policy: "round-robin" }, failureDetectUs: 50_000, host: { snapshotEverySteps: 1_000_000 },
};

const alice = counter.ref("alice");
const adds = 2_000;

type Resume = { resumeUs: number; count: number | undefined; failovers: number; recoveries: number; standbyApplied: number };

function resume(standby: boolean): Resume {
  const cluster = new SimCluster(config, [counter]);
  const client = cluster.client("c");
  for (let i = 0; i < adds; i++) client.send(alice, { type: "add", amount: 1 });
  cluster.runFor(30_000_000);
  let standbyApplied = 0;
  if (standby) {
    cluster.request({ type: "addStandby", id: alice });
    cluster.runFor(2_000_000);
    const node = cluster.metadata!.automata[alice]!.standby!;
    standbyApplied = cluster.computeNode(node)!.standbyOf(alice)!.stats.recordsApplied;
  }
  const crashedUs = cluster.nowUs();
  let resumedUs = -1;
  cluster.stepHooks.onCommitted = (id) => {
    if (id === alice && resumedUs < 0) resumedUs = cluster.nowUs();
  };
  cluster.crashComputeNode(cluster.metadata!.automata[alice]!.computeNode!);
  client.send(alice, { type: "add", amount: 1 });
  cluster.runFor(30_000_000);
  let problems: string[] | null = null;
  clusterAudit(cluster, (found) => { problems = found; });
  cluster.runFor(1_000_000);
  if (problems === null || (problems as string[]).length > 0) throw new Error(`audit: ${JSON.stringify(problems)}`);
  const finished = cluster.metadata!.opsFinished;
  return {
    resumeUs: resumedUs - crashedUs, count: cluster.stateOf(counter, "alice")?.count,
    failovers: finished.failover, recoveries: finished.recover, standbyApplied,
  };
}

test("after its compute node crashes, an automaton with a warm standby resumes sooner than by cold recovery", (t) => {
  const cold = resume(false);
  const warm = resume(true);
  t.log(`time to resume: cold recovery ${(cold.resumeUs / 1000).toFixed(2)} ms, standby failover ${(warm.resumeUs / 1000).toFixed(2)} ms`);
  t.is(cold.count, adds + 1);
  t.is(warm.count, adds + 1);
  t.deepEqual([cold.failovers, cold.recoveries], [0, 1], "no standby: a cold recovery");
  t.deepEqual([warm.failovers, warm.recoveries], [1, 0], "a standby: failover, no recovery");
  t.true(warm.standbyApplied >= adds, `the standby applied ${warm.standbyApplied} committed steps while tailing`);
  t.true(cold.resumeUs > 0 && warm.resumeUs > 0);
  t.true(warm.resumeUs < cold.resumeUs, `standby ${warm.resumeUs} µs, cold ${cold.resumeUs} µs`);
});
