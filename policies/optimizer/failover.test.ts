// Tests of failover: a crashed compute node's automata re-route to an up standby (in the DARQ's
// zone first); without one they are recovered on the least utilised up node; a draining node is
// left early only by automata that have a standby.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { automatonAt, darqNode, decisionProblems, observationOf, serverlessNode, vmNode } from "../observation.fixtures.ts";
import { optimizerFailover } from "./failover.ts";

const random = new RandomNode("failover");
const nodes = [
  vmNode("vm-crashed", { state: "down" }), vmNode("vm-draining", { state: "draining" }),
  vmNode("vm-near", { utilisation: 0.7 }), vmNode("vm-far", { zone: "z2", utilisation: 0.1 }), vmNode("vm-idle", { utilisation: 0.05 }),
  darqNode("d-1"), serverlessNode("fn"),
];

test("node crash observed: fail over to the standby in the DARQ's zone", (t) => {
  const observation = observationOf({ nodes, automata: [automatonAt("a/1", "vm-crashed", "d-1", { standbys: ["vm-far", "vm-near"] })] });
  const decisions = optimizerFailover(observation, {}, random);
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.deepEqual(decisions.map((decision) => decision.kind === "failover" ? decision.standby : decision.kind), ["vm-near"]);
  t.regex(decisions[0]!.reason, /vm-crashed is down: re-route to standby vm-near/);
});

test("no up standby: recover on the least utilised provisioned node", (t) => {
  const observation = observationOf({ nodes, automata: [automatonAt("a/1", "vm-crashed", "d-1", { standbys: ["vm-draining"] })] });
  const decisions = optimizerFailover(observation, {}, random);
  t.deepEqual(decisions.map((decision) => decision.kind === "moveCompute" ? decision.computeNode : decision.kind), ["vm-idle"]);
});

test("draining: leave early only with a standby; healthy nodes: nothing", (t) => {
  const observation = observationOf({
    nodes,
    automata: [automatonAt("a/1", "vm-draining", "d-1", { standbys: ["vm-idle"] }), automatonAt("a/2", "vm-draining", "d-1"), automatonAt("a/3", "vm-near", "d-1")],
  });
  t.deepEqual(optimizerFailover(observation, {}, random).map((decision) => decision.kind === "failover" ? `${decision.automaton}→${decision.standby}` : decision.kind), ["a/1→vm-idle"]);
  t.deepEqual(optimizerFailover(observation, { failoverOnDraining: false }, random), []);
});
