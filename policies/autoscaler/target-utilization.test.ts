// Tests of the pool-size autoscaler: an over-utilised pool grows toward the target utilisation
// (bounded per run and by countMax); an under-utilised one shrinks only by its empty nodes; inside
// the band nothing changes; and it runs only on its slower cadence.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { busyAutomaton, darqNode, decisionProblems, observationOf, serverlessNode, vmNode } from "../observation.fixtures.ts";
import { policyContextDefault, type PolicyContext } from "../policy.ts";
import { autoscalerTargetUtilization } from "./target-utilization.ts";

const random = new RandomNode("autoscaler");
const due: PolicyContext = { ...policyContextDefault, periodUs: 60_000_000, lastRunUs: null };
const resizes = (decisions: ReturnType<typeof autoscalerTargetUtilization>) =>
  decisions.map((decision) => decision.kind === "resizePool" ? `${decision.pool}:${decision.count}` : decision.kind);

test("over-utilised pool → scale up: 2 nodes at 90% toward 60% need 3", (t) => {
  const observation = observationOf({
    nodes: [vmNode("vm-1", { utilisation: 0.9 }), vmNode("vm-2", { utilisation: 0.9 }), darqNode("d-1", { utilisation: 0.6 }), serverlessNode("fn", { utilisation: 0.99 })],
    automata: [busyAutomaton("a/1", "vm-1", "d-1", 10)],
  });
  const decisions = autoscalerTargetUtilization(observation, {}, random, due);
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.deepEqual(resizes(decisions), ["vms:3"], "the DARQ pool is on target; serverless scales itself");
  t.regex(decisions[0]!.reason, /mean utilisation 90% vs target 60%: 2 → 3 nodes/);
});

test("growth is bounded by stepMax and countMax", (t) => {
  const nodes = Array.from({ length: 4 }, (_, index) => vmNode(`vm-${index}`, { utilisation: 1 }));
  const observation = observationOf({ nodes: [...nodes, darqNode("d-1", { utilisation: 0.1 })], automata: [] });
  t.deepEqual(resizes(autoscalerTargetUtilization(observation, { targetUtilisation: 0.1 }, random, due)), ["vms:8"], "wanted 40: 4 + stepMax 4");
  t.deepEqual(resizes(autoscalerTargetUtilization(observation, { targetUtilisation: 0.1, countMax: 5 }, random, due)), ["vms:5"]);
});

test("under-utilised pool → scale down by its empty nodes only", (t) => {
  const observation = observationOf({
    nodes: [vmNode("vm-1", { utilisation: 0.1 }), vmNode("vm-2", { utilisation: 0 }), vmNode("vm-3", { utilisation: 0 }), darqNode("d-1", { utilisation: 0.6 })],
    automata: [busyAutomaton("a/1", "vm-1", "d-1", 10)],
  });
  // Wanted: ⌈3 × 0.033 ÷ 0.6⌉ = 1; two nodes are empty, so 3 → 1 is allowed.
  t.deepEqual(resizes(autoscalerTargetUtilization(observation, {}, random, due)), ["vms:1"]);
  const busy = observationOf({
    nodes: [vmNode("vm-1", { utilisation: 0.1 }), vmNode("vm-2", { utilisation: 0.1 }), darqNode("d-1", { utilisation: 0.6 })],
    automata: [busyAutomaton("a/1", "vm-1", "d-1", 10), busyAutomaton("a/2", "vm-2", "d-1", 10)],
  });
  t.deepEqual(autoscalerTargetUtilization(busy, {}, random, due), [], "no empty node: no scale-in (the optimizer empties nodes first)");
});

test("inside the band nothing changes; it runs only on its cadence", (t) => {
  const onTarget = observationOf({ nodes: [vmNode("vm-1", { utilisation: 0.65 }), vmNode("vm-2", { utilisation: 0.55 }), darqNode("d-1", { utilisation: 0.6 })], automata: [] });
  t.deepEqual(autoscalerTargetUtilization(onTarget, {}, random, due), [], "mean 60%");
  const hot = observationOf({ nodes: [vmNode("vm-1", { utilisation: 0.9 }), darqNode("d-1", { utilisation: 0.6 })], automata: [], windowEndUs: 600_000_000 });
  t.deepEqual(autoscalerTargetUtilization(hot, {}, random, { ...due, lastRunUs: 590_000_000 }), [], "ran 10 s ago, period 60 s");
  t.deepEqual(resizes(autoscalerTargetUtilization(hot, {}, random, { ...due, lastRunUs: 540_000_000 })), ["vms:2"], "due again after 60 s");
});
