// Tests of the vertical autoscaler: a hot vm pool at its count limit moves to the next larger size
// of its family, a cold one at its floor to the next smaller; a hot disk pool moves to the next
// disk tier; pools that can still resize by count, or are inside the band, are left alone; it
// runs only on its cadence.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { darqNode, decisionProblems, observationOf, testPrices, vmNode } from "../observation.fixtures.ts";
import { policyContextDefault, type PolicyContext } from "../policy.ts";
import { autoscalerPoolVertical, diskTierNext, vmSizeNext } from "./pool-vertical.ts";

const random = new RandomNode("pool-vertical");
const due: PolicyContext = { ...policyContextDefault, periodUs: 60_000_000, lastRunUs: null };
const kinds = (decisions: ReturnType<typeof autoscalerPoolVertical>) => decisions.map((decision) =>
  decision.kind === "scaleCompute" ? `${decision.pool}:${decision.size}` : decision.kind === "scaleStorage" ? `${decision.pool}:${decision.tier}` : decision.kind);

test("sizes and tiers step within their family", (t) => {
  t.is(vmSizeNext(testPrices, "vm4", 1), "vm8");
  t.is(vmSizeNext(testPrices, "vm4", -1), "vm2");
  t.is(vmSizeNext(testPrices, "vm8", 1), undefined, "largest of its family");
  t.is(vmSizeNext(testPrices, "fast4", 1), undefined, "another family");
  t.is(diskTierNext(testPrices, "disk", 1), "fastdisk");
  t.is(diskTierNext(testPrices, "mem", 1), undefined, "not a managed disk");
});

test("a hot vm pool at countMax scales up its size; a hot disk pool its tier", (t) => {
  const observation = observationOf({
    nodes: [vmNode("vm-1", { utilisation: 0.9 }), vmNode("vm-2", { utilisation: 0.95 }), darqNode("d-1", { storageTier: "disk", utilisation: 0.9 })],
    automata: [],
  });
  const decisions = autoscalerPoolVertical(observation, { countMax: 1 }, random, due);
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.deepEqual(kinds(decisions), ["darqs:fastdisk", "vms:vm8"]);
  t.deepEqual(autoscalerPoolVertical(observation, { countMax: 3 }, random, due), [], "below countMax the count autoscaler acts instead");
  t.deepEqual(kinds(autoscalerPoolVertical(observation, { countMax: 2 }, random, due)), ["vms:vm8"], "the vm pool is at 2, the disk pool at 1");
});

test("a cold pool at its floor scales down; inside the band or not due, nothing", (t) => {
  const cold = observationOf({ nodes: [vmNode("vm-1", { utilisation: 0.05 }), darqNode("d-1", { utilisation: 0.5 })], automata: [] });
  t.deepEqual(kinds(autoscalerPoolVertical(cold, {}, random, due)), ["vms:vm2"]);
  t.deepEqual(autoscalerPoolVertical(cold, {}, random, { ...due, lastRunUs: 599_000_000 }), []);
  const fine = observationOf({ nodes: [vmNode("vm-1", { utilisation: 0.5 }), darqNode("d-1", { utilisation: 0.5 })], automata: [] });
  t.deepEqual(autoscalerPoolVertical(fine, {}, random, due), []);
});
