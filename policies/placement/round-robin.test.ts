// Tests of round-robin placement: pending automata take the up nodes in turn, and the turn
// continues from the automata already placed, so successive calls keep spreading.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { automatonAt, darqNode, decisionProblems, observationOf, vmNode } from "../observation.fixtures.ts";
import { placementRoundRobin } from "./round-robin.ts";

const nodes = [vmNode("vm-1"), vmNode("vm-2"), vmNode("vm-3"), darqNode("d-1"), darqNode("d-2")];
const random = new RandomNode("round-robin");

test("pending automata take the nodes in turn", (t) => {
  const observation = observationOf({ nodes, automata: ["a/1", "a/2", "a/3", "a/4"].map((id) => automatonAt(id, null, null, { pending: true })) });
  const decisions = placementRoundRobin(observation, {}, random);
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.deepEqual(decisions.map((decision) => decision.kind === "place" ? [decision.computeNode, decision.darqNode] : []),
    [["vm-1", "d-1"], ["vm-2", "d-2"], ["vm-3", "d-1"], ["vm-1", "d-2"]]);
});

test("the turn continues after the automata already placed", (t) => {
  const observation = observationOf({ nodes, automata: [automatonAt("a/0", "vm-1", "d-1"), automatonAt("b/1", null, null, { pending: true })] });
  const [decision] = placementRoundRobin(observation, {}, random);
  t.true(decision?.kind === "place" && decision.computeNode === "vm-2" && decision.darqNode === "d-2");
});

test("no up DARQ node: nothing placed", (t) => {
  const observation = observationOf({ nodes: [vmNode("vm-1")], automata: [automatonAt("a/1", null, null, { pending: true })] });
  t.deepEqual(placementRoundRobin(observation, {}, random), []);
});
