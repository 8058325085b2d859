// The monitor on a running SimCluster: it sees who talks to whom and how fast, the modelled work
// per step, per-node utilisation and the placement; the observation passes observationCheck; an
// automaton that stopped getting messages shows as idle since its last step, and one that never
// stepped takes no window slot (idle automata cost nothing per event).

import test from "ava";
import { counter, type CounterMessage } from "../../engine/runtime/example-counter.ts";
import type { AutomatonRef } from "../../engine/runtime/ids.ts";
import { observationCheck } from "../../policies/observation-check.ts";
import { priceBookFromProfile } from "../../policies/price-book.ts";
import type { SimClusterConfig } from "../cluster/cluster-config.ts";
import { SimCluster } from "../cluster/sim-cluster.ts";
import { ClusterMonitor } from "./monitor.ts";

const config: SimClusterConfig = {
  seed: "monitor", profile: "azure-2024",
  darqNodes: [{ name: "d1", tier: "hot-replicated", zone: "z1" }, { name: "d2", tier: "hot-replicated", zone: "z1" }],
  computeNodes: [{ name: "vm1", kind: "vm", size: "D4s_v3", zone: "z1" }, { name: "vm2", kind: "vm", size: "D4s_v3", zone: "z1" }],
  placement: { policy: "round-robin" },
};

function setUp() {
  const cluster = new SimCluster(config, [counter]);
  const monitor = new ClusterMonitor(cluster, priceBookFromProfile(cluster.profile), (node) => (node.startsWith("vm") ? "vm" : "darq"), { windowUs: 2_000_000 });
  cluster.stepHooks.onCommitted = monitor.onCommitted;
  const client = cluster.client("c");
  const b = counter.ref("b") as AutomatonRef<CounterMessage>;
  // a forwards to b 100 times a second for 2 s; c gets one message at the start and then nothing.
  client.send(counter.ref("c"), { type: "add", amount: 1 });
  for (let index = 0; index < 200; index++) {
    cluster.sim.clock.timerStart(10_000 * index, () => client.send(counter.ref("a"), { type: "forward", amount: 1, to: b }));
  }
  return { cluster, monitor };
}

test("rates, talk edges, work per step, placement and utilisation come from the running cluster", (t) => {
  const { cluster, monitor } = setUp();
  cluster.runFor(2_100_000);
  const observation = monitor.observe();
  t.true(observationCheck(observation).ok);
  const byId = new Map(observation.automata.map((automaton) => [automaton.id, automaton]));
  const a = byId.get("counter/a")!;
  const b = byId.get("counter/b")!;
  t.true(a.stepsPerS > 80 && a.stepsPerS < 120, `a steps ${a.stepsPerS}/s`);
  t.true(Math.abs(a.messagesOutPerS - a.stepsPerS) < 1e-9, "one send per step of a");
  t.true(b.messagesInPerS > 80, "b receives what a sends");
  t.is(b.computeCoreUsPerStep, 5, "the counter's add does 5 core-µs");
  t.true(b.stepLatencyUsP99 > 0);
  const edge = observation.talk.find((entry) => entry.from === "counter/a" && entry.to === "counter/b");
  t.true(edge !== undefined && edge.messagesPerS > 80, "a talks to b");
  t.is(a.placement.darqNode, cluster.metadata!.automata["counter/a"]!.darqNode);
  const vms = observation.nodes.filter((node) => node.kind === "vm");
  t.true(vms.some((node) => node.utilisation > 0), "work shows as VM utilisation");
  t.deepEqual(observation.pools.map((pool) => [pool.name, pool.count]).sort(), [["darq", 2], ["vm", 2]]);
});

test("an automaton that stops is idle since its last step; idle automata take no work per event", (t) => {
  const { cluster, monitor } = setUp();
  cluster.runFor(4_500_000);
  const observation = monitor.observe();
  const c = observation.automata.find((automaton) => automaton.id === "counter/c")!;
  t.is(c.stepsPerS, 0);
  t.true(c.idleSinceUs !== null && c.idleSinceUs < 100_000, `c idle since ${c.idleSinceUs}`);
  const a = observation.automata.find((automaton) => automaton.id === "counter/a")!;
  t.is(a.stepsPerS, 0, "the window (2 s) has moved past a's traffic");
  t.not(a.idleSinceUs, null);
  t.is(observation.talk.length, 0, "quiet edges give their slot back");
  // c stepped once (its add sends nothing); slots exist only for automata that stepped or got sends.
  t.is(monitor.automata.size, 3);
  t.deepEqual(monitor.dropped, { automata: 0, talk: 0 });
});
