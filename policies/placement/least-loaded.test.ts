// Tests of least-loaded placement: a new automaton goes to the compute node least utilised with
// it added and to the least utilised DARQ; loads update within one call so a burst spreads;
// serverless pools are left out unless asked for.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { automatonAt, darqNode, decisionProblems, observationOf, serverlessNode, vmNode } from "../observation.fixtures.ts";
import { placementLeastLoaded } from "./least-loaded.ts";

const random = new RandomNode("least-loaded");

test("the least utilised nodes win, and a burst spreads over them", (t) => {
  const nodes = [
    vmNode("vm-busy", { utilisation: 0.9 }), vmNode("vm-1", { utilisation: 0.2 }), vmNode("vm-2", { utilisation: 0.35 }),
    darqNode("d-busy", { utilisation: 0.7 }), darqNode("d-idle", { utilisation: 0.05 }), serverlessNode("fn"),
  ];
  // Each new automaton expects 2000 msg/s × 200 core-µs = 0.4 cores = 10% of a vm4.
  const automata = ["a/1", "a/2", "a/3"].map((id) => automatonAt(id, null, null, { pending: true, messagesInPerS: 2000, computeCoreUsPerStep: 200 }));
  const observation = observationOf({ nodes, automata });
  const decisions = placementLeastLoaded(observation, {}, random);
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.deepEqual(decisions.map((decision) => decision.kind === "place" ? decision.computeNode : ""), ["vm-1", "vm-1", "vm-2"],
    "vm-1 0.3 < vm-2 0.45; vm-1 0.4 < 0.45; then vm-1 would reach 0.5 > vm-2's 0.45");
  t.true(decisions.every((decision) => decision.kind === "place" && decision.darqNode === "d-idle"), "DARQ utilisation dominates");
  t.false(decisions.some((decision) => decision.kind === "place" && decision.computeNode === "fn"));
});

test("serverless is a candidate when asked for", (t) => {
  const observation = observationOf({
    nodes: [vmNode("vm-1", { utilisation: 0.5 }), darqNode("d-1"), serverlessNode("fn")],
    automata: [automatonAt("a/1", null, null, { pending: true })],
  });
  const [decision] = placementLeastLoaded(observation, { includeServerless: true }, random);
  t.true(decision?.kind === "place" && decision.computeNode === "fn");
});
