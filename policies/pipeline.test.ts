// Tests of the registry and pipelines: config names resolve to policies (unknown ones are config
// errors listing the known), a pipeline runs its stages in order with their prefixed params, and a
// later stage cannot act on an automaton an earlier stage already decided about.

import test from "ava";
import { RandomNode } from "../engine/io/node/random-node.ts";
import { automatonAt, busyAutomaton, darqNode, decisionProblems, observationOf, serverlessNode, vmNode } from "./observation.fixtures.ts";
import { policyContextDefault } from "./policy.ts";
import { optimizerPolicies, policyNamed } from "./registry.ts";

const random = new RandomNode("pipeline");

test("names from experiment configs resolve; unknown names list the known ones", (t) => {
  t.is(policyNamed("optimizer", "greedy-cost"), optimizerPolicies["greedy-cost"]!);
  t.truthy(policyNamed("placement", "least-loaded"));
  t.truthy(policyNamed("autoscaler", "target-utilization"));
  t.throws(() => policyNamed("placement", "best"), { message: /SSMS_ERR_CONFIG_INVALID: placement\.policy: unknown policy 'best' \(known: static, random, round-robin, least-loaded\)/ });
});

test("the first stage to decide about an automaton wins; params reach their stage", (t) => {
  // a/1's node crashed (failover moves it) and it has been idle long (deactivation would release it).
  const observation = observationOf({
    nodes: [vmNode("vm-down", { state: "down" }), vmNode("vm-1"), darqNode("d-1"), serverlessNode("fn")],
    automata: [
      automatonAt("a/1", "vm-down", "d-1", { idleSinceUs: 0 }),
      automatonAt("b/1", "vm-1", "d-1", { idleSinceUs: 500_000_000 }),
      busyAutomaton("c/1", "vm-1", "d-1", 10),
    ],
  });
  const pipeline = policyNamed("optimizer", "pipeline");
  const decisions = pipeline(observation, { "stages": "failover,deactivation", "deactivation.idleUsMin": 60_000_000 }, random, policyContextDefault);
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.deepEqual(decisions.map((decision) => `${decision.kind} ${"automaton" in decision ? decision.automaton : ""}`),
    ["moveCompute a/1", "deactivate b/1", "activateOnDemand b/1"]);
  const strict = pipeline(observation, { "stages": "failover,deactivation", "deactivation.idleUsMin": 200_000_000 }, random, policyContextDefault);
  t.deepEqual(strict.map((decision) => decision.kind), ["moveCompute"], "b/1 idle 100 s < 200 s");
});

test("bad pipeline params are config errors with paths", (t) => {
  const observation = observationOf({ nodes: [vmNode("vm-1"), darqNode("d-1")], automata: [] });
  const pipeline = policyNamed("optimizer", "pipeline");
  t.throws(() => pipeline(observation, { stages: "failover,teleport" }, random, policyContextDefault), { message: /optimizer\.params\.stages: unknown policy 'teleport'/ });
  t.throws(() => pipeline(observation, { stages: "failover", "colocation.messagesPerSMin": 3 }, random, policyContextDefault), { message: /not '<stage>\.<param>' for a listed stage/ });
  t.throws(() => pipeline(observation, { "stages": "deactivation", "deactivation.idle": 3 }, random, policyContextDefault), { message: /optimizer\.params\.idle: unknown parameter/ });
});

test("default pipelines: a quiet, well-placed cluster needs no optimizer move; its idle VM pool shrinks in size", (t) => {
  const observation = observationOf({ nodes: [vmNode("vm-1"), darqNode("d-1")], automata: [busyAutomaton("c/1", "vm-1", "d-1", 10)] });
  t.deepEqual(policyNamed("optimizer", "pipeline")(observation, {}, random, policyContextDefault), []);
  const autoscaled = policyNamed("autoscaler", "pipeline")(observation, {}, random, { ...policyContextDefault, periodUs: 1 });
  t.deepEqual(autoscaled.map((decision) => decision.kind === "scaleCompute" ? `${decision.pool}:${decision.size}` : decision.kind), ["vms:vm2"],
    "one node at countMin: target-utilization cannot shrink it, pool-vertical picks a smaller VM");
});
