// Tests of static placement: each type goes to the pools its config names, the same automaton
// lands on the same node every time, an automaton keeping a DARQ stays on it, and a pool with no
// up node leaves the automaton pending rather than improvising.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { automatonAt, darqNode, decisionProblems, observationOf, vmNode } from "../observation.fixtures.ts";
import { placementStatic } from "./static.ts";

const nodes = [
  vmNode("vm-a1", { pool: "big" }), vmNode("vm-a2", { pool: "big" }), vmNode("vm-b1", { pool: "small" }),
  darqNode("d-fast", { pool: "fast" }), darqNode("d-slow", { pool: "slow", storageTier: "disk" }),
];
const random = new RandomNode("static");

test("types go to their configured pools; others to the defaults", (t) => {
  const observation = observationOf({
    nodes,
    automata: [automatonAt("pi/1", null, null, { pending: true }), automatonAt("log/1", null, null, { pending: true })],
  });
  const params = { "computePool": "small", "darqPool": "slow", "pi.computePool": "big", "pi.darqPool": "fast" };
  const decisions = placementStatic(observation, params, random);
  t.deepEqual(decisionProblems(observation, decisions), []);
  const byAutomaton = new Map(decisions.map((decision) => [decision.kind === "place" ? decision.automaton : "", decision]));
  const pi = byAutomaton.get("pi/1");
  const log = byAutomaton.get("log/1");
  t.true(pi?.kind === "place" && pi.computeNode.startsWith("vm-a") && pi.darqNode === "d-fast");
  t.true(log?.kind === "place" && log.computeNode === "vm-b1" && log.darqNode === "d-slow");
});

test("the same automaton lands on the same node on every call; a kept DARQ is kept", (t) => {
  const observation = observationOf({ nodes, automata: [automatonAt("pi/7", null, "d-slow", { pending: true })] });
  const first = placementStatic(observation, { computePool: "big" }, random);
  const second = placementStatic(observation, { computePool: "big" }, random);
  t.deepEqual(first, second);
  t.true(first[0]?.kind === "place" && first[0].darqNode === "d-slow");
});

test("a pool with no up node leaves the automaton pending; unknown params are config errors", (t) => {
  const observation = observationOf({ nodes, automata: [automatonAt("pi/1", null, null, { pending: true })] });
  t.deepEqual(placementStatic(observation, { computePool: "gpu" }, random), []);
  t.throws(() => placementStatic(observation, { computePol: "big" }, random), { message: /SSMS_ERR_CONFIG_INVALID.*computePol: unknown parameter/ });
  t.throws(() => placementStatic(observation, { computePool: 3 }, random), { message: /must be a pool name/ });
});

test("automata that are placed or not pending get no decision", (t) => {
  const observation = observationOf({ nodes, automata: [automatonAt("pi/1", "vm-a1", "d-fast"), automatonAt("pi/2", null, null)] });
  t.deepEqual(placementStatic(observation, {}, random), []);
});
