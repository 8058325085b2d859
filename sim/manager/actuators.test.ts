// The actuators on a running SimCluster (placed by least-loaded through the placement adapter): a
// place decision pins the activation to its nodes; a
// migrate and a moveCompute of one automaton become one migrate workflow that takes the processor
// along; a vm pool shrinks only by empty nodes (and a removed VM stops being billed) and grows by
// new nodes that placement then uses; decisions the cluster cannot carry out are refused with the
// reason and counted, never dropped.

import test from "ava";
import { counter } from "../../engine/runtime/example-counter.ts";
import { decide } from "../../policies/decision.ts";
import type { SimClusterConfig } from "../cluster/cluster-config.ts";
import { SimCluster } from "../cluster/sim-cluster.ts";
import { DecisionActuators } from "./actuators.ts";
import { PoolRegistry } from "./actuators-pools.ts";
import { placementOfPolicy, PlacementOverrides } from "./placement-policy.ts";
import { NodeMonitor } from "./monitor-nodes.ts";
import { placementLeastLoaded } from "../../policies/placement/least-loaded.ts";
import { priceBookFromProfile } from "../../policies/price-book.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import { RandomSim } from "../random-sim.ts";

const config: SimClusterConfig = {
  seed: "actuators", profile: "azure-2024",
  darqNodes: [{ name: "darq-0", tier: "hot-replicated", zone: "z1" }, { name: "darq-1", tier: "hot-replicated", zone: "z1" }],
  computeNodes: [{ name: "vm-0", kind: "vm", size: "D4s_v3", zone: "z1" }, { name: "vm-1", kind: "vm", size: "D4s_v3", zone: "z1" }],
  placement: { policy: "round-robin" },
};

function setUp() {
  const overrides = new PlacementOverrides();
  let nodes: NodeMonitor | null = null;
  const prices = priceBookFromProfile(loadCloudProfile("azure-2024"));
  const view = { nodes: () => nodes?.observe() ?? [], prices, nowUs: () => 0 };
  const placement = placementOfPolicy(placementLeastLoaded, {}, new RandomSim("placement"), view, overrides);
  const cluster = new SimCluster(config, [counter], placement);
  nodes = new NodeMonitor(cluster, prices, (node) => node.replace(/-\d+$/, ""));
  const registry = new PoolRegistry([
    { name: "vm", kind: "vm", size: "D4s_v3", zones: ["z1"], nodes: ["vm-0", "vm-1"] },
    { name: "darq", kind: "darq", zones: ["z1"], nodes: ["darq-0", "darq-1"] },
  ]);
  return { cluster, overrides, actuators: new DecisionActuators(cluster, overrides, registry) };
}

test("a migrate with a moveCompute of the same automaton is one migrate workflow", (t) => {
  const { cluster, actuators } = setUp();
  cluster.client("c").send(counter.ref("a"), { type: "add", amount: 1 });
  cluster.runFor(500_000);
  const before = cluster.metadata!.automata["counter/a"]!;
  const darq = before.darqNode === "darq-0" ? "darq-1" : "darq-0";
  const compute = before.computeNode === "vm-0" ? "vm-1" : "vm-0";
  const outcomes = actuators.applyAll([decide.migrate("counter/a", darq, "test"), decide.moveCompute("counter/a", compute, "test")]);
  t.deepEqual(outcomes, [null, null]);
  cluster.runFor(1_000_000);
  const after = cluster.metadata!.automata["counter/a"]!;
  t.deepEqual([after.darqNode, after.computeNode], [darq, compute]);
  t.is(cluster.metadata!.opsFinished.migrate, 1);
  t.is(cluster.metadata!.opsFinished.moveCompute, 0);
  cluster.client("c").send(counter.ref("a"), { type: "add", amount: 2 });
  cluster.runFor(500_000);
  t.is(cluster.stateOf(counter, "a")?.count, 3, "the state moved with it");
});

test("pools shrink by empty nodes only, stop their billing, and grow by nodes placement uses", (t) => {
  const { cluster, actuators, overrides } = setUp();
  t.is(actuators.apply(decide.place("counter/a", "vm-1", "darq-1", "test")), null);
  cluster.runFor(500_000);
  const a = cluster.metadata!.automata["counter/a"]!;
  t.deepEqual([a.computeNode, a.darqNode], ["vm-1", "darq-1"], "the place decision pinned the activation (least-loaded would take vm-0)");
  t.regex(actuators.apply(decide.resizePool("vm", 0, "test")) ?? "", /1 of its nodes to remove still run automata/);
  t.deepEqual([...cluster.computeMachines.keys()], ["vm-1"], "the empty vm-0 was given back");
  const removedAtUs = cluster.nowUs();
  t.is(actuators.apply(decide.resizePool("vm", 2, "test")), null);
  t.deepEqual([...cluster.computeMachines.keys()], ["vm-1", "vm-2"]);
  cluster.runFor(200_000);
  cluster.client("c").send(counter.ref("b"), { type: "add", amount: 1 });
  cluster.runFor(500_000);
  t.is(cluster.metadata!.automata["counter/b"]!.computeNode, "vm-2", "the new, empty node takes the next automaton");
  const vm0 = cluster.ledger.toData().vms.find((vm) => vm.id === "vm-0")!;
  t.true(vm0.segmentsUs.every(([, endUs]) => endUs <= removedAtUs), "vm-0 is billed only until it was given back");
  t.is(actuators.pools.stats.added, 1);
  t.is(actuators.pools.stats.removed, 1);
});

test("what the cluster cannot do is refused with the reason and counted", (t) => {
  const { actuators } = setUp();
  t.regex(actuators.apply(decide.resizePool("darq", 3, "test")) ?? "", /only vm pools change size/);
  t.regex(actuators.apply(decide.resizePool("nowhere", 3, "test")) ?? "", /pool nowhere is not a pool of this cluster/);
  t.regex(actuators.apply(decide.scaleStorage("vm", "ssd", "test")) ?? "", /only DARQ pools change storage tier/);
  t.is(actuators.apply(decide.removeStandby("counter/a", "vm-1", "test")), null, "the workflow has the operation");
  t.is(actuators.refusedCount, 3);
  t.is(actuators.log.filter((entry) => entry.outcome === "refused").length, 3);
});
