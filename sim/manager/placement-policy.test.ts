// The policies/placement policies as the engine's Placement: a burst of activations between two
// observations spreads (the per-automaton tie-breaker), down nodes are never chosen, an override
// steers one activation (to nodes, or to a pool: serverless on demand) and is used once, and when
// the policy accepts no node the activation goes to an up serverless node rather than waiting.

import test from "ava";
import type { Pools } from "../../engine/runtime/placement.ts";
import { serverlessNode, testPrices, vmNode, darqNode } from "../../policies/observation.fixtures.ts";
import { placementLeastLoaded } from "../../policies/placement/least-loaded.ts";
import { placementStatic } from "../../policies/placement/static.ts";
import { RandomSim } from "../random-sim.ts";
import { placementOfPolicy, PlacementOverrides } from "./placement-policy.ts";

const nodes = [vmNode("vm-0"), vmNode("vm-1"), darqNode("d-0"), serverlessNode("fn")];
const view = { nodes: () => nodes, prices: testPrices, nowUs: () => 1_000 };
const pools = (down: readonly string[] = []): Pools => ({
  compute: ["vm-0", "vm-1", "fn"].map((id) => ({
    id, kind: id === "fn" ? "serverless" as const : "vm" as const, pool: id === "fn" ? "functions" : "vms", zone: "z1", cores: 4, darqNode: null, up: !down.includes(id),
  })),
  darq: [{ id: "d-0", tier: "hot-replicated", pool: "darqs", zone: "z1", up: true }],
});

test("a burst spreads over the nodes; down nodes are not chosen", (t) => {
  const placement = placementOfPolicy(placementLeastLoaded, {}, new RandomSim("p"), view, new PlacementOverrides());
  const counts: Record<string, number> = {};
  const chosen: string[] = [];
  for (const id of ["a/1", "a/2", "a/3", "a/4"]) {
    const choice = placement(id, "a", pools(), { placedCount: chosen.length, automataByNode: counts })!;
    chosen.push(choice.computeNode);
    counts[choice.computeNode] = (counts[choice.computeNode] ?? 0) + 1;
  }
  t.deepEqual(chosen, ["vm-0", "vm-1", "vm-0", "vm-1"]);
  const choice = placement("a/5", "a", pools(["vm-0"]), { placedCount: 4, automataByNode: {} });
  t.is(choice?.computeNode, "vm-1");
});

test("overrides steer one activation each: to nodes, or to a pool on demand", (t) => {
  const overrides = new PlacementOverrides();
  const placement = placementOfPolicy(placementLeastLoaded, {}, new RandomSim("p"), view, overrides);
  const load = { placedCount: 0, automataByNode: {} };
  overrides.set("a/1", { kind: "nodes", computeNode: "vm-1", darqNode: "d-0" });
  overrides.set("a/2", { kind: "pool", computePool: "functions" });
  t.deepEqual(placement("a/1", "a", pools(), load), { computeNode: "vm-1", darqNode: "d-0" });
  t.deepEqual(placement("a/2", "a", pools(), load), { computeNode: "fn", darqNode: "d-0" });
  t.is(overrides.size, 0, "used once");
  t.is(placement("a/1", "a", pools(), load)?.computeNode, "vm-0", "the policy again after that");
});

test("when the policy accepts no node, an up serverless node takes the activation", (t) => {
  const placement = placementOfPolicy(placementStatic, { computePool: "gone" }, new RandomSim("p"), view, new PlacementOverrides());
  t.deepEqual(placement("a/1", "a", pools(), { placedCount: 0, automataByNode: {} }), { computeNode: "fn", darqNode: "d-0" });
  t.is(placement("a/1", "a", pools(["fn"]), { placedCount: 0, automataByNode: {} }), null, "no serverless either: the workflow waits");
});
