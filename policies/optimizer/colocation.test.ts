// Tests of communication-graph co-location: two heavy talkers on different DARQs end up on one
// DARQ with their processors on its spare cores; light talkers stay apart; when the spare cores
// are too small only the logical DARQs move; and a move whose pauses outweigh its savings is not
// taken.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { busyAutomaton, darqNode, decisionProblems, edge, observationOf, spareNode, vmNode } from "../observation.fixtures.ts";
import { policyContextDefault } from "../policy.ts";
import { optimizerColocation } from "./colocation.ts";

const random = new RandomNode("colocation");

function talkers(messagesPerS: number, spareCores = 2, logBytes = 10_000) {
  return observationOf({
    nodes: [vmNode("vm-1"), vmNode("vm-2"), darqNode("d-1"), darqNode("d-2"), spareNode("spare-1", "d-1", { cores: spareCores })],
    automata: [busyAutomaton("a/0", "vm-1", "d-1", 1000, { logBytes }), busyAutomaton("b/0", "vm-2", "d-2", 500, { logBytes })],
    talk: [edge("a/0", "b/0", messagesPerS), edge("b/0", "a/0", messagesPerS)],
  });
}

test("heavy talkers on different DARQs: the lighter one joins the busier one's DARQ, both run on its spare cores", (t) => {
  const observation = talkers(1000);
  const decisions = optimizerColocation(observation, {}, random, policyContextDefault);
  t.deepEqual(decisionProblems(observation, decisions), []);
  const summary = decisions.map((decision) => decision.kind === "migrate" ? `migrate ${decision.automaton} ${decision.darqNode}`
    : decision.kind === "moveCompute" ? `compute ${decision.automaton} ${decision.computeNode}` : decision.kind);
  t.deepEqual(summary.sort(), ["compute a/0 spare-1", "compute b/0 spare-1", "migrate b/0 d-1"]);
  t.regex(decisions[0]!.reason, /co-location: 2000 msg\/s among \[a\/0, b\/0\]/);
});

test("talkers below the threshold stay where they are", (t) => {
  t.deepEqual(optimizerColocation(talkers(40), {}, random, policyContextDefault), [], "80 msg/s < 100");
  const lowered = optimizerColocation(talkers(40), { messagesPerSMin: 50, colocateCompute: false }, random, policyContextDefault);
  t.deepEqual(lowered.map((decision) => decision.kind), ["migrate"], "a lower threshold makes them heavy; a 2 ms migration pays");
});

test("spare cores too small for both processors: only the logical DARQ moves", (t) => {
  // 1500 steps/s × 100 core-µs = 0.15 cores; 0.1 spare cores cannot take them.
  const decisions = optimizerColocation(talkers(1000, 0.1), {}, random, policyContextDefault);
  t.deepEqual(decisions.map((decision) => decision.kind), ["migrate"]);
});

test("a move whose pauses cost more than the latency it saves is not taken", (t) => {
  // 1e10 live bytes: an 8 s migration pause for 500 steps/s.
  t.deepEqual(optimizerColocation(talkers(1000, 2, 1e10), {}, random, policyContextDefault), []);
});

test("group size is capped", (t) => {
  const automata = ["x/0", "x/1", "x/2"].map((id, index) => busyAutomaton(id, "vm-1", `d-${index}`, 100));
  const observation = observationOf({
    nodes: [vmNode("vm-1"), darqNode("d-0"), darqNode("d-1"), darqNode("d-2")],
    automata,
    talk: [edge("x/0", "x/1", 900), edge("x/1", "x/2", 800), edge("x/0", "x/2", 700)],
  });
  const decisions = optimizerColocation(observation, { groupAutomataMax: 2, colocateCompute: false }, random, policyContextDefault);
  t.deepEqual(decisions.map((decision) => decision.kind === "migrate" ? `${decision.automaton}→${decision.darqNode}` : decision.kind), ["x/1→d-0"]);
});
