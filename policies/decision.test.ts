// Tests of decisions as data: they survive JSON unchanged, describe themselves in one line, name
// the automata and pools they touch, and decisionCheck refuses the ones that do not fit the
// observation (unknown or down nodes, wrong roles, releasing a DARQ that still holds messages).

import test from "ava";
import { decisionCheck } from "./decision-check.ts";
import { decide, decisionAutomata, decisionDescribe, decisionPool, type Decision } from "./decision.ts";
import { automatonAt, darqNode, observationOf, serverlessNode, vmNode } from "./observation.fixtures.ts";
import { observationIndex } from "./observation.ts";

const observation = observationOf({
  nodes: [vmNode("vm-1"), vmNode("vm-down", { state: "down" }), darqNode("darq-1"), serverlessNode("fn")],
  automata: [
    automatonAt("a/1", "vm-1", "darq-1", { standbys: ["vm-down"] }),
    automatonAt("a/2", "vm-1", "darq-1", { backlogMessages: 3 }),
  ],
});
const index = observationIndex(observation);

const every: Decision[] = [
  decide.place("a/1", "vm-1", "darq-1", "why"),
  decide.migrate("a/1", "darq-1", "why"),
  decide.moveCompute("a/1", "vm-1", "why"),
  decide.scaleCompute("vms", { size: "vm8" }, "why"),
  decide.scaleStorage("darqs", "disk", "why"),
  decide.resizePool("vms", 3, "why"),
  decide.deactivate("a/1", "computeAndDarq", "why"),
  decide.activateOnDemand("a/1", "functions", "why"),
  decide.addStandby("a/2", "vm-1", "why"),
  decide.removeStandby("a/1", "vm-down", "why"),
  decide.failover("a/1", "vm-1", "why"),
  decide.switchServerless("a/1", true, "fn", "why"),
  decide.merge(["a/1", "a/2"], "darq-1", "vm-1", "why"),
];

test("every kind round-trips through JSON and describes itself with its reason", (t) => {
  t.deepEqual(JSON.parse(JSON.stringify(every)), every);
  for (const decision of every) t.regex(decisionDescribe(decision), new RegExp(`^${decision.kind} .*\\(why\\)$`));
});

test("decisions name the automata or the pool they act on", (t) => {
  t.deepEqual(decisionAutomata(decide.merge(["x", "y"], "d", "c", "r")), ["x", "y"]);
  t.deepEqual(decisionAutomata(decide.resizePool("p", 1, "r")), []);
  t.is(decisionPool(decide.scaleStorage("p", "t", "r")), "p");
  t.is(decisionPool(decide.migrate("x", "d", "r")), null);
});

test("decisionCheck accepts decisions consistent with the observation", (t) => {
  const failover = decide.failover("a/1", "vm-1", "why");
  // vm-1 is not a standby of a/1 in the observation; its standby is vm-down.
  const valid = every.filter((decision) => decision !== every[10] && decision !== every[9]);
  for (const decision of valid) t.true(decisionCheck(index, decision).ok, decisionDescribe(decision));
  t.false(decisionCheck(index, failover).ok);
});

test("decisionCheck names what is wrong", (t) => {
  const reason = (decision: Decision) => {
    const result = decisionCheck(index, decision);
    return result.ok ? "" : result.reason;
  };
  t.regex(reason(decide.moveCompute("a/1", "vm-down", "r")), /'vm-down' is down/);
  t.regex(reason(decide.migrate("a/1", "vm-1", "r")), /'vm-1' is a vm node, not a DARQ node/);
  t.regex(reason(decide.place("ghost/1", "vm-1", "darq-1", "r")), /automaton 'ghost\/1' is not in the observation/);
  t.regex(reason(decide.deactivate("a/2", "computeAndDarq", "r")), /3 unconsumed messages/);
  t.regex(reason(decide.failover("a/1", "vm-down", "r")), /is down/);
  t.regex(reason(decide.resizePool("vms", -1, "r")), /count must be an integer ≥ 0/);
  t.regex(reason(decide.scaleCompute("darqs", { size: "vm8" }, "r")), /a darq pool, not a compute pool/);
  t.regex(reason(decide.merge(["a/1"], "darq-1", "vm-1", "r")), /at least two automata/);
  t.regex(reason(decide.addStandby("a/1", "vm-down", "r")), /is down/);
  const result = decisionCheck(index, decide.migrate("a/1", "nowhere", "r"));
  t.false(result.ok);
  if (!result.ok) t.is(result.code, "SSMS_ERR_ARGUMENT_INVALID");
});
