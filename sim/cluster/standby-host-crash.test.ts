// One machine hosts everything an automaton has: its DARQ node is also the metadata node, and its
// primary and its standby run on that machine's spare cores. The machine crashes while a standby
// is being added (before each of the workflow's actions and reports) or just after it was added,
// and restarts. On the way back the metadata automaton hears every compute node down (the
// recovery of the primary waits: no compute node is up), then each one up. The compute node that
// held the standby coming back must not let the standby's restart take the place of the waiting
// recovery: a standby starts no processor, so the recovery follows it (or goes first). Every run
// must end with the automaton running exactly once where its record says, with its counter exact,
// and the audit finding nothing leaked or doubled.

import test from "ava";
import { counter } from "../../engine/runtime/example-counter.ts";
import { clusterAudit } from "./cluster-audit.ts";
import type { SimClusterConfig } from "./cluster-config.ts";
import { SimCluster } from "./sim-cluster.ts";

const config: SimClusterConfig = {
  seed: "standby-host-crash", profile: "aws-2024",
  darqNodes: [{ name: "d1", tier: "ssd", zone: "z1" }],
  computeNodes: [
    { name: "c1", kind: "darq-spare", darqNode: "d1", cores: 2 },
    { name: "c2", kind: "darq-spare", darqNode: "d1", cores: 2 },
  ],
  placement: { policy: "round-robin" }, failureDetectUs: 50_000,
};

const alice = counter.ref("alice");
const settleUs = 30_000_000;

/**
 * Alice active on c2, so that her standby goes to c1, the compute node the metadata automaton
 * hears back from first after the machine restarts.
 */
function primaryOnC2(): { cluster: SimCluster; client: ReturnType<SimCluster["client"]> } {
  const cluster = new SimCluster(config, [counter]);
  const client = cluster.client("c");
  client.send(alice, { type: "add", amount: 1 });
  cluster.runFor(settleUs);
  if (cluster.metadata!.automata[alice]!.computeNode !== "c2") {
    cluster.request({ type: "moveCompute", id: alice, computeNode: "c2" });
    cluster.runFor(settleUs);
  }
  return { cluster, client };
}

/** Where the machine crashes: at the n-th action or report of addStandby, or once it is done. */
type CrashPoint = { readonly hook: "action" | "progress"; readonly index: number } | "added";

function run(crash: CrashPoint): { cluster: SimCluster; problems: string[] | null } {
  const { cluster, client } = primaryOnC2();
  const down = (): void => {
    cluster.crashDarqNode("d1");
    cluster.sim.clock.timerStart(200_000, () => cluster.restartDarqNode("d1"));
  };
  const seen = { action: 0, progress: 0 };
  const hit = (hook: "action" | "progress"): void => {
    seen[hook]++;
    if (crash !== "added" && crash.hook === hook && crash.index === seen[hook]) cluster.sim.clock.timerStart(0, down);
  };
  cluster.metadataHooks.onAction = () => hit("action");
  cluster.metadataHooks.onProgress = () => hit("progress");
  cluster.request({ type: "addStandby", id: alice, computeNode: "c1" });
  cluster.runFor(crash === "added" ? 2_000_000 : settleUs);
  cluster.metadataHooks.onAction = undefined;
  cluster.metadataHooks.onProgress = undefined;
  if (crash === "added") down();
  client.send(alice, { type: "add", amount: 1 });
  cluster.runFor(settleUs);
  let problems: string[] | null = null;
  clusterAudit(cluster, (found) => {
    problems = found;
  });
  cluster.runFor(1_000_000);
  return { cluster, problems };
}

test("the machine hosting an automaton's DARQ, primary, standby and the metadata crashes around addStandby: it recovers, runs once", (t) => {
  const baseline = primaryOnC2().cluster;
  const counts = { action: 0, progress: 0 };
  baseline.metadataHooks.onAction = () => counts.action++;
  baseline.metadataHooks.onProgress = () => counts.progress++;
  baseline.request({ type: "addStandby", id: alice, computeNode: "c1" });
  baseline.runFor(settleUs);
  const { computeNode, standby } = baseline.metadata!.automata[alice]!;
  t.deepEqual([computeNode, standby], ["c2", "c1"], "the primary on c2, its standby on c1");
  t.true(counts.action >= 1 && counts.progress >= 1, "addStandby took actions");
  const points: CrashPoint[] = ["added"];
  for (const hook of ["action", "progress"] as const) {
    for (let index = 1; index <= counts[hook]; index++) points.push({ hook, index });
  }
  for (const point of points) {
    const where = point === "added" ? "after addStandby" : `at addStandby ${point.hook} #${point.index}`;
    const { cluster, problems } = run(point);
    const record = cluster.metadata!.automata[alice]!;
    t.not(record.computeNode, null, `${where}: the automaton is active`);
    t.is(cluster.stateOf(counter, "alice")?.count, 2, `${where}: counter value`);
    t.deepEqual(problems, [], `${where}: audit`);
  }
  t.log(`${points.length} crash points`);
});
