// Tests of switching between serverless and provisioned compute: a trickle alone on a VM goes
// serverless (its VM costs 146 USD/month, serverless well under 1); a busy automaton on serverless
// comes back to a VM; rates between the thresholds stay put; a latency bound the cold start would
// break blocks the switch.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { busyAutomaton, darqNode, decisionProblems, observationOf, serverlessNode, vmNode } from "../observation.fixtures.ts";
import { policyContextDefault } from "../policy.ts";
import { optimizerServerlessSwitch, provisionedUsdPerMonth, serverlessUsdPerMonth } from "./serverless-switch.ts";
import { costModelFromObservation } from "../cost-model.ts";
import { observationIndex } from "../observation.ts";

const random = new RandomNode("serverless-switch");
const nodes = [vmNode("vm-1"), darqNode("d-1"), serverlessNode("fn")];

test("the comparison's numbers: 1 step/s of 1 ms at 1 GB vs a whole vm4", (t) => {
  const observation = observationOf({ nodes, automata: [busyAutomaton("a/0", "vm-1", "d-1", 1, { computeCoreUsPerStep: 1000 })] });
  const automaton = observation.automata[0]!;
  const model = costModelFromObservation(observation);
  const serverless = serverlessUsdPerMonth(observation, model, automaton, 1);
  t.true(Math.abs(serverless - (2e-7 + 0.001 * 1.6667e-5) * 730 * 3600) < 1e-9);
  t.is(provisionedUsdPerMonth(observation, observationIndex(observation), automaton, observation.nodes[0]!, 0), 146, "alone: the whole VM");
  t.true(Math.abs(provisionedUsdPerMonth(observation, observationIndex(observation), automaton, observation.nodes[0]!, 0.003) - 36.5) < 1e-9, "a quarter of the busy cores: a quarter of the VM");
});

test("a trickle alone on a VM switches to serverless", (t) => {
  const observation = observationOf({ nodes, automata: [busyAutomaton("a/0", "vm-1", "d-1", 1, { computeCoreUsPerStep: 1000 })] });
  const decisions = optimizerServerlessSwitch(observation, {}, random, policyContextDefault);
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.deepEqual(decisions.map((decision) => decision.kind === "switchServerless" ? [decision.toServerless, decision.computeNode] : []), [[true, "fn"]]);
});

test("a busy automaton on serverless comes back to a VM", (t) => {
  // 1000 steps/s × 1 ms: about 569 USD/month on serverless, one idle vm4 is 146.
  const observation = observationOf({ nodes, automata: [busyAutomaton("a/0", "fn", "d-1", 1000, { computeCoreUsPerStep: 1000 })] });
  const decisions = optimizerServerlessSwitch(observation, {}, random, policyContextDefault);
  t.deepEqual(decisions.map((decision) => decision.kind === "switchServerless" ? [decision.toServerless, decision.computeNode] : []), [[false, "vm-1"]]);
});

test("inside the band nothing switches; a latency bound the cold start would break blocks the switch", (t) => {
  // On serverless at 250 steps/s × 1 ms ≈ 142 USD/month against a 146 USD VM: within 25%.
  const middle = observationOf({ nodes, automata: [busyAutomaton("a/0", "fn", "d-1", 250, { computeCoreUsPerStep: 1000 })] });
  t.deepEqual(optimizerServerlessSwitch(middle, {}, random, policyContextDefault), []);
  // One step per 1000 s with instances expiring after 600 s idle: most steps start cold (0.2 s).
  const rare = observationOf({ nodes, automata: [busyAutomaton("a/0", "vm-1", "d-1", 0.001, { computeCoreUsPerStep: 1000 })] });
  const strict = { ...policyContextDefault, objective: { kind: "min-cost-p99", params: { latencyUsP99Max: 10_000 } } as const };
  t.deepEqual(optimizerServerlessSwitch(rare, {}, random, strict), []);
  const costOnly = { ...policyContextDefault, objective: { kind: "weighted", params: { costWeight: 1, throughputWeight: 0, latencyWeight: 0 } } as const };
  t.is(optimizerServerlessSwitch(rare, {}, random, costOnly).length, 1, "with no latency constraint the cold starts are acceptable");
});
