// Tests of automatic deactivation: an automaton idle past the threshold gives up its compute and
// is started on demand on the serverless pool; idle past the longer threshold with nothing
// unconsumed it gives up its logical DARQ too; a backlog keeps the DARQ; a busy or recently idle
// automaton is left alone.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { automatonAt, busyAutomaton, darqNode, decisionProblems, observationOf, serverlessNode, vmNode } from "../observation.fixtures.ts";
import { optimizerDeactivation } from "./deactivation.ts";

const random = new RandomNode("deactivation");
const nowUs = 600_000_000;
const nodes = [vmNode("vm-1"), vmNode("vm-2"), darqNode("d-1"), serverlessNode("fn")];

function describe(idleUs: number, backlogMessages = 0, computeNode: string | null = "vm-1") {
  const observation = observationOf({
    nodes,
    windowEndUs: nowUs,
    automata: [automatonAt("idle/1", computeNode, "d-1", { idleSinceUs: nowUs - idleUs, backlogMessages, standbys: computeNode === null ? [] : ["vm-2"] }), busyAutomaton("busy/1", "vm-1", "d-1", 10)],
  });
  const decisions = optimizerDeactivation(observation, {}, random);
  return { problems: decisionProblems(observation, decisions), kinds: decisions.map((decision) => decision.kind === "deactivate" ? `deactivate:${decision.release}` : decision.kind) };
}

test("idle for longer than the threshold: compute released, standby dropped, serverless on demand", (t) => {
  const { problems, kinds } = describe(120_000_000);
  t.deepEqual(problems, []);
  t.deepEqual(kinds, ["deactivate:compute", "removeStandby", "activateOnDemand"]);
});

test("idle past the DARQ threshold with no unconsumed messages: the logical DARQ goes too", (t) => {
  t.deepEqual(describe(700_000_000).kinds, ["deactivate:computeAndDarq", "removeStandby", "activateOnDemand"]);
  t.deepEqual(describe(700_000_000, 0, null).kinds, ["deactivate:computeAndDarq"], "compute already released earlier");
});

test("a backlog keeps the DARQ; a short idle stretch or a busy automaton keeps everything", (t) => {
  t.deepEqual(describe(700_000_000, 5).kinds, ["deactivate:compute", "removeStandby", "activateOnDemand"]);
  t.deepEqual(describe(30_000_000).kinds, []);
  t.deepEqual(describe(120_000_000, 0, null).kinds, [], "nothing left to release before the DARQ threshold");
});
