// Tests of observation checking: the hand-built fixtures pass; a bad observation is refused with
// every problem named by its path (bad numbers, unknown nodes, wrong roles, missing prices,
// duplicate ids, a window that runs backwards).

import test from "ava";
import { observationCheck } from "./observation-check.ts";
import { automatonAt, busyAutomaton, darqNode, edge, observationOf, spareNode, vmNode } from "./observation.fixtures.ts";

test("a consistent observation passes unchanged", (t) => {
  const observation = observationOf({
    nodes: [vmNode("vm-1"), darqNode("d-1"), spareNode("s-1", "d-1")],
    automata: [busyAutomaton("a/1", "vm-1", "d-1", 10, { standbys: ["s-1"] }), automatonAt("a/2", null, null)],
    talk: [edge("a/1", "outside/service", 3)],
  });
  const result = observationCheck(observation);
  t.true(result.ok);
  if (result.ok) t.is(result.value, observation);
});

test("every problem is named with its path", (t) => {
  const observation = {
    ...observationOf({
      nodes: [vmNode("vm-1", { size: "vm99" }), vmNode("vm-1"), darqNode("d-1", { storageTier: "tape" }), spareNode("s-1", "vm-1")],
      automata: [busyAutomaton("a/1", "d-1", "vm-1", Number.NaN, { standbys: ["ghost"] })],
      talk: [edge("a/1", "a/2", -1)],
    }),
    windowStartUs: 10,
    windowEndUs: 5,
  };
  const result = observationCheck(observation);
  t.false(result.ok);
  if (result.ok) return;
  t.is(result.code, "SSMS_ERR_ARGUMENT_INVALID");
  for (const expected of [
    /windowEndUs \(5\) must be after windowStartUs \(10\)/,
    /nodes: id 'vm-1' appears twice/,
    /nodes\[0\] \(vm-1\)\.size: 'vm99' is not a VM size of price book test-book/,
    /nodes\[2\] \(d-1\)\.storageTier: 'tape' is not a storage tier/,
    /nodes\[3\] \(s-1\)\.hostNode: a darq-spare node needs its DARQ node/,
    /automata\[0\] \(a\/1\)\.stepsPerS must be a finite number ≥ 0, got NaN/,
    /automata\[0\] \(a\/1\)\.placement\.computeNode: 'd-1' is not a known compute node/,
    /automata\[0\] \(a\/1\)\.placement\.darqNode: 'vm-1' is not a known DARQ node/,
    /automata\[0\] \(a\/1\)\.standbys\[0\]: 'ghost' is not a known compute node/,
    /talk\[0\]\.messagesPerS must be a finite number ≥ 0, got -1/,
  ]) t.regex(result.reason, expected);
});
