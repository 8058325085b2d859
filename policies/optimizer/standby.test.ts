// Tests of standby replicas: automata on failure-prone, spot or draining nodes get a standby on
// another machine (another zone first); standbys on down nodes or no longer needed are removed;
// serverless automata get none.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { automatonAt, darqNode, decisionProblems, observationOf, serverlessNode, vmNode } from "../observation.fixtures.ts";
import { optimizerStandby } from "./standby.ts";

const random = new RandomNode("standby");
const nodes = [
  vmNode("vm-flaky", { failuresPerHour: 2 }), vmNode("vm-spot", { spot: true }), vmNode("vm-draining", { state: "draining" }),
  vmNode("vm-safe", { utilisation: 0.1 }), vmNode("vm-far", { zone: "z2", utilisation: 0.5 }), vmNode("vm-down", { state: "down" }),
  darqNode("d-1"), serverlessNode("fn"),
];

test("failure-prone, spot and draining primaries get a standby, preferring another zone", (t) => {
  const observation = observationOf({
    nodes,
    automata: [automatonAt("a/flaky", "vm-flaky", "d-1"), automatonAt("a/spot", "vm-spot", "d-1"), automatonAt("a/draining", "vm-draining", "d-1"), automatonAt("a/safe", "vm-safe", "d-1"), automatonAt("a/fn", "fn", "d-1")],
  });
  const decisions = optimizerStandby(observation, {}, random);
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.deepEqual(decisions.map((decision) => decision.kind === "addStandby" ? `${decision.automaton}@${decision.computeNode}` : decision.kind),
    ["a/draining@vm-far", "a/flaky@vm-far", "a/spot@vm-far"]);
  t.regex(decisions[1]!.reason, /fails 2\/h/);
});

test("standbys on down nodes are replaced; unneeded ones are removed", (t) => {
  const observation = observationOf({
    nodes,
    automata: [automatonAt("a/flaky", "vm-flaky", "d-1", { standbys: ["vm-down"] }), automatonAt("a/safe", "vm-safe", "d-1", { standbys: ["vm-far"] })],
  });
  const decisions = optimizerStandby(observation, {}, random);
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.deepEqual(decisions.map((decision) => `${decision.kind} ${"computeNode" in decision ? decision.computeNode : ""}`),
    ["removeStandby vm-down", "addStandby vm-far", "removeStandby vm-far"]);
});

test("the wanted count is kept and not exceeded", (t) => {
  const observation = observationOf({ nodes, automata: [automatonAt("a/spot", "vm-spot", "d-1", { standbys: ["vm-far"] })] });
  t.deepEqual(optimizerStandby(observation, {}, random), []);
  const two = optimizerStandby(observation, { standbys: 2 }, random);
  t.true(two.length === 1 && two[0]!.kind === "addStandby" && two[0]!.computeNode !== "vm-far" && two[0]!.computeNode !== "vm-spot");
});
