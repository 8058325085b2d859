// SimCluster as a whole: a bad config is refused with every problem and its path; placement
// decides where automata run (co-located on spare cores calls the DARQ in-process, a VM goes
// through the transport); deactivation leaves a dormant automaton whose next message wakes it with
// its state intact; a client's resent message with the same (producer, seq) counts once, also
// from a restarted client; an idle cluster — many automata, nothing to do — processes no events;
// and one seed reproduces a faulty run event for event.

import test from "ava";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { counter } from "../../engine/runtime/example-counter.ts";
import { clusterAudit } from "./cluster-audit.ts";
import type { SimClusterConfig } from "./cluster-config.ts";
import { SimCluster } from "./sim-cluster.ts";
import { swarmCase, swarmRun } from "./swarm.ts";

const base: SimClusterConfig = {
  seed: "cluster", profile: "azure-2024",
  darqNodes: [{ name: "d1", tier: "ssd", zone: "z1" }, { name: "d2", tier: "hot-replicated", zone: "z2" }],
  computeNodes: [
    { name: "vm1", kind: "vm", size: "D4s_v3", zone: "z1" },
    { name: "spare1", kind: "darq-spare", darqNode: "d1", cores: 2 },
  ],
  placement: { policy: "round-robin" },
};

function audit(cluster: SimCluster): string[] | null {
  let problems: string[] | null = null;
  clusterAudit(cluster, (found) => {
    problems = found;
  });
  cluster.runFor(1_000_000);
  return problems;
}

test("a bad config is refused with every problem and its path", (t) => {
  const bad = {
    ...base, colour: "red",
    darqNodes: [{ name: "d1", tier: "tape", zone: "z1" }],
    computeNodes: [{ name: "d1", kind: "vm", size: "Z99", zone: "z1" }, { name: "s", kind: "darq-spare", darqNode: "nope" }],
  };
  const error = t.throws(() => new SimCluster(bad as unknown as SimClusterConfig, [counter]), { instanceOf: SsmsError });
  t.is(error?.code, ErrorCode.configInvalid);
  t.regex(error?.message ?? "", /colour/);
  const problems = ((error?.details ?? {}) as { problems: string[] }).problems;
  t.true(problems.length >= 1);
  const valid = new SimCluster({ ...base }, [counter]);
  t.truthy(valid);
  const referenceError = t.throws(() => new SimCluster({ ...base, computeNodes: bad.computeNodes } as SimClusterConfig, [counter]));
  t.regex(referenceError?.message ?? "", /\/computeNodes\/0\/name: node name 'd1' is used twice/);
  t.regex(referenceError?.message ?? "", /\/computeNodes\/0\/size/);
  t.regex(referenceError?.message ?? "", /\/computeNodes\/1\/darqNode/);
});

test("static placement puts a type on spare cores (in-process) and another on a VM (remote)", (t) => {
  const cluster = new SimCluster({
    ...base, placement: { policy: "static", types: { counter: { compute: "spare:d1", darq: "darq:premium-ssd-p4" } } },
  }, [counter]);
  const client = cluster.client("c");
  for (let index = 0; index < 5; index++) client.send(counter.ref(`k${index}`), { type: "add", amount: index });
  cluster.runFor(2_000_000);
  const records = cluster.metadata!.automata;
  t.is(Object.keys(records).length, 5);
  for (const record of Object.values(records)) t.like(record, { computeNode: "spare1", darqNode: "d1" });
  t.is(cluster.darqNode("d1")!.service.stats.registrations, 0, "co-located processors call the DARQ in-process");
  const remote = new SimCluster({
    ...base, placement: { policy: "static", types: { counter: { compute: "vm:Standard_D4s_v3", darq: "darq:premium-ssd-p4" } } },
  }, [counter]);
  remote.client("c").send(counter.ref("k"), { type: "add", amount: 7 });
  remote.runFor(2_000_000);
  t.is(remote.darqNode("d1")!.service.stats.registrations, 1, "a VM's processor registers over the transport");
  t.is(remote.stateOf(counter, "k")?.count, 7);
});

test("a deactivated automaton is dormant, keeps its state, and wakes on its next message", (t) => {
  const cluster = new SimCluster(base, [counter]);
  const client = cluster.client("c");
  const alice = counter.ref("alice");
  client.send(alice, { type: "add", amount: 4 });
  cluster.runFor(2_000_000);
  cluster.request({ type: "deactivate", id: alice });
  cluster.runFor(2_000_000);
  t.is(cluster.metadata!.automata[alice]?.computeNode, null, "dormant: no compute node");
  t.deepEqual(audit(cluster), []);
  let row: unknown = "unread";
  cluster.catalog.lookup(alice, (found) => (row = found.ok ? found.value : found.reason));
  cluster.runFor(100_000);
  t.is(row, null, "no catalog row while dormant");
  client.send(alice, { type: "add", amount: 6 });
  cluster.runFor(2_000_000);
  t.not(cluster.metadata!.automata[alice]?.computeNode, null, "woken up");
  t.is(cluster.stateOf(counter, "alice")?.count, 10);
  t.is(cluster.metadata!.opsFinished.activate, 2);
  t.deepEqual(audit(cluster), []);
});

test("a resent (producer, seq) counts once, also from a restarted client", (t) => {
  const cluster = new SimCluster(base, [counter]);
  const first = cluster.client("first", "orders");
  const alice = counter.ref("alice");
  first.sendWithSeq(alice, { type: "add", amount: 1 }, 1);
  first.sendWithSeq(alice, { type: "add", amount: 2 }, 2);
  cluster.runFor(2_000_000);
  first.stop();
  const again = cluster.client("again", "orders"); // same producer id, after a "restart"
  again.sendWithSeq(alice, { type: "add", amount: 2 }, 2); // a retry of seq 2: dropped
  again.sendWithSeq(alice, { type: "add", amount: 3 }, 3);
  cluster.runFor(2_000_000);
  t.is(cluster.stateOf(counter, "alice")?.count, 6);
  t.is(again.pending.sends, 0, "the duplicate was acknowledged too");
});

test("an idle cluster processes no events, however many automata it holds", (t) => {
  const cluster = new SimCluster(base, [counter]);
  const client = cluster.client("c");
  for (let index = 0; index < 50; index++) client.send(counter.ref(`k${index}`), { type: "add", amount: 1 });
  cluster.runFor(10_000_000);
  t.is(cluster.automatonIds().length, 50);
  t.true(cluster.metadataIdle());
  const before = cluster.sim.eventsProcessed;
  cluster.runFor(3_600_000_000); // one idle simulated hour
  t.is(cluster.sim.eventsProcessed - before, 0);
});

test("one seed reproduces a run with faults: same fingerprint, same outputs", (t) => {
  const fingerprints = [0, 1].map(() => {
    let fingerprint = "";
    const outcome = swarmRun(swarmCase("determinism-7"), true, (cluster) => {
      fingerprint = cluster.sim.fingerprint();
    });
    return `${fingerprint} ${outcome.events} ${outcome.outputs.join(",")}`;
  });
  t.is(fingerprints[0], fingerprints[1]);
});
