// Migration seen from the senders (DESIGN §3 property 10, runtime issue item 4): after a logical
// DARQ moves, a DARQ whose route cache still names the old place gets notHere, invalidates,
// asks the catalog and resends, and the message counts exactly once; and messages in flight
// while the move happens — from clients, from other automata, and the moving automaton's own
// unacknowledged out-messages — are neither lost nor duplicated, also when the source or the
// target DARQ node crashes during the move.

import test from "ava";
import { counter } from "../../engine/runtime/example-counter.ts";
import { RandomSim } from "../random-sim.ts";
import { clusterAudit } from "./cluster-audit.ts";
import type { SimClusterConfig } from "./cluster-config.ts";
import { SimCluster } from "./sim-cluster.ts";

const darqNodes = ["d1", "d2", "d3"];

function configOf(seed: string): SimClusterConfig {
  return {
    seed, profile: "azure-2024",
    darqNodes: darqNodes.map((name) => ({ name, tier: "ssd", zone: "z1" })),
    computeNodes: [{ name: "c1", kind: "vm", size: "D2s_v3", zone: "z1" }, { name: "c2", kind: "vm", size: "D2s_v3", zone: "z1" }],
    placement: { policy: "round-robin" }, failureDetectUs: 50_000,
  };
}

const alice = counter.ref("alice");
const bob = counter.ref("bob");
const carol = counter.ref("carol");

function darqOf(cluster: SimCluster, id: string): string {
  return cluster.metadata!.automata[id]!.darqNode;
}

function audit(cluster: SimCluster): string[] | null {
  let problems: string[] | null = null;
  clusterAudit(cluster, (found) => { problems = found; });
  cluster.runFor(1_000_000);
  return problems;
}

test("a sender with a stale cached route gets notHere, re-resolves and delivers exactly once", (t) => {
  const cluster = new SimCluster(configOf("stale-route"), [counter]);
  const client = cluster.client("c");
  // Bob forwards to alice: bob's DARQ node caches alice's address.
  client.send(bob, { type: "forward", amount: 1, to: alice });
  cluster.runFor(5_000_000);
  const bobNode = darqOf(cluster, bob);
  const source = darqOf(cluster, alice);
  const target = darqNodes.find((node) => node !== source && node !== bobNode)!;
  t.not(bobNode, source, "bob's DARQ must reach alice over the network for its cache to matter");
  const routes = cluster.darqNode(bobNode)!.routes;
  t.is(routes.resolve(alice), source, "bob's DARQ caches alice's old address");
  const invalidations = routes.stats.invalidations;

  cluster.request({ type: "migrate", id: alice, darqNode: target });
  cluster.runFor(5_000_000);
  t.is(darqOf(cluster, alice), target);
  t.false(cluster.darqNode(source)!.darq.hosts(alice), "released at the source");
  t.is(routes.resolve(alice), source, "the cache is not told of the move (invalidation is lazy)");

  client.send(bob, { type: "forward", amount: 2, to: alice });
  cluster.runFor(5_000_000);
  t.true(routes.stats.invalidations > invalidations, "notHere invalidated the stale entry");
  t.is(routes.resolve(alice), target);
  t.is(cluster.stateOf(counter, "alice")?.count, 3, "both forwards counted exactly once");
  t.deepEqual(audit(cluster), []);
});

type Flow = { alice: number; carol: number };

/** Sends from a client and from bob to alice (some forwarded on to carol) spread over `spanUs`. */
function traffic(cluster: SimCluster, random: RandomSim, spanUs: number): Flow {
  const client = cluster.client("c");
  const sent: Flow = { alice: 0, carol: 0 };
  for (let i = 0; i < 120; i++) {
    const amount = 1 + random.int(5);
    const kind = random.int(3);
    cluster.sim.clock.timerStart(random.int(spanUs), () => {
      if (kind === 0) client.send(alice, { type: "add", amount });
      else if (kind === 1) client.send(bob, { type: "forward", amount, to: alice });
      else client.send(alice, { type: "forward", amount, to: carol });
    });
    if (kind === 2) sent.carol += amount;
    else sent.alice += amount;
  }
  return sent;
}

test("property 10 at runtime level: messages in flight during migrations are neither lost nor duplicated", (t) => {
  let crashes = 0;
  for (let seed = 1; seed <= 16; seed++) {
    const cluster = new SimCluster(configOf(`in-flight-${seed}`), [counter]);
    const random = new RandomSim(`in-flight-${seed}`);
    const client = cluster.client("c");
    client.send(alice, { type: "add", amount: 0 });
    client.send(bob, { type: "add", amount: 0 });
    client.send(carol, { type: "add", amount: 0 });
    cluster.runFor(2_000_000);
    const spanUs = 400_000;
    const sent = traffic(cluster, random, spanUs);
    // Two moves while the traffic runs; in half the seeds the source or target crashes mid-way.
    for (const atUs of [random.int(spanUs / 2), spanUs / 2 + random.int(spanUs / 2)]) {
      cluster.sim.clock.timerStart(atUs, () => {
        // The metadata node is down or still replaying its log: no operator request now.
        if (cluster.metadata?.automata[alice] === undefined) return;
        const source = darqOf(cluster, alice);
        const target = darqNodes.filter((node) => node !== source)[random.int(2)]!;
        cluster.request({ type: "migrate", id: alice, darqNode: target, ...(random.chance(0.5) ? { computeNode: `c${1 + random.int(2)}` } : {}) });
        if (seed % 2 === 0) return;
        crashes++;
        const victim = random.chance(0.5) ? source : target;
        cluster.sim.clock.timerStart(random.int(30_000), () => {
          cluster.crashDarqNode(victim);
          cluster.sim.clock.timerStart(20_000, () => cluster.restartDarqNode(victim));
        });
      });
    }
    cluster.runFor(60_000_000);
    t.is(cluster.stateOf(counter, "alice")?.count, sent.alice, `seed ${seed}: alice`);
    t.is(cluster.stateOf(counter, "carol")?.count, sent.carol, `seed ${seed}: carol (alice's out-messages)`);
    t.true(cluster.metadata!.opsFinished.migrate >= 1, `seed ${seed}: a migration completed`);
    t.deepEqual(audit(cluster), [], `seed ${seed}: audit`);
  }
  t.true(crashes > 0);
});
