// Tests of merging into a super automaton: fine-grained automata that talk constantly are merged
// onto one DARQ and the spare cores of its machine; coarse-grained ones, already merged ones, and
// quiet ones are not.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { busyAutomaton, darqNode, decisionProblems, edge, observationOf, spareNode, vmNode } from "../observation.fixtures.ts";
import { policyContextDefault } from "../policy.ts";
import { optimizerMerge } from "./merge.ts";

const random = new RandomNode("merge");

function chatty(computeCoreUsPerStep: number, messagesPerS = 5000, mergedInto: string | null = null) {
  return observationOf({
    nodes: [vmNode("vm-1"), darqNode("d-1"), darqNode("d-2"), spareNode("spare-1", "d-1")],
    automata: [
      busyAutomaton("f/0", "vm-1", "d-1", messagesPerS, { computeCoreUsPerStep, mergedInto }),
      busyAutomaton("f/1", "vm-1", "d-2", messagesPerS, { computeCoreUsPerStep, mergedInto }),
    ],
    talk: [edge("f/0", "f/1", messagesPerS), edge("f/1", "f/0", messagesPerS)],
  });
}

test("fine-grained automata that talk constantly merge onto one DARQ and its spare cores", (t) => {
  const observation = chatty(5);
  const decisions = optimizerMerge(observation, {}, random, policyContextDefault);
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.deepEqual(decisions.map((decision) => decision.kind === "merge" ? [decision.automata, decision.darqNode, decision.computeNode] : []),
    [[["f/0", "f/1"], "d-1", "spare-1"]]);
  t.regex(decisions[0]!.reason, /super automaton: 10000 msg\/s/);
});

test("coarse-grained, already merged, or quiet automata are not merged", (t) => {
  t.deepEqual(optimizerMerge(chatty(5000), {}, random, policyContextDefault), [], "5000 core-µs per step is not fine-grained");
  t.deepEqual(optimizerMerge(chatty(5, 5000, "f/super"), {}, random, policyContextDefault), [], "already merged");
  t.deepEqual(optimizerMerge(chatty(5, 100), {}, random, policyContextDefault), [], "200 msg/s < 1000");
});
