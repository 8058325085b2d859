// Tests of storage scaling: a DARQ over its flush capacity sheds automata to a faster tier with
// room; an automaton whose p99 breaks the bound because of slow storage moves to a faster tier;
// a nearly idle DARQ is emptied when the latency bound allows; compute never moves.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import type { Objective } from "../objective.ts";
import { busyAutomaton, darqNode, decisionProblems, observationOf, vmNode } from "../observation.fixtures.ts";
import { policyContextDefault } from "../policy.ts";
import { optimizerScaleStorage } from "./scale-storage.ts";

const random = new RandomNode("scale-storage");
const withBound = (latencyUsP99Max: number) => ({ ...policyContextDefault, objective: { kind: "min-cost-p99", params: { latencyUsP99Max } } as Objective });
const summary = (decisions: ReturnType<typeof optimizerScaleStorage>) =>
  decisions.map((decision) => decision.kind === "migrate" ? `${decision.automaton}→${decision.darqNode}` : decision.kind);

test("a disk over its flush capacity sheds its busiest automaton to the fastest node with room", (t) => {
  // Two automata at 150 steps/s write 600 records/s each on one 500-IOPS disk (1 ms period:
  // saturates at 1000 records/s); one moves to the fast disk.
  const observation = observationOf({
    nodes: [vmNode("vm-1", { size: "vm8", cores: 8 }), darqNode("disk-1", { storageTier: "disk" }), darqNode("fast-1", { storageTier: "fastdisk" })],
    automata: [busyAutomaton("w/1", "vm-1", "disk-1", 150), busyAutomaton("w/2", "vm-1", "disk-1", 160)],
  });
  const decisions = optimizerScaleStorage(observation, {}, random, withBound(1e9));
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.deepEqual(summary(decisions), ["w/2→fast-1"]);
  t.regex(decisions[0]!.reason, /scale up storage: disk-1 over 85%/);
});

test("p99 over the bound with the time in storage: move to a faster tier that meets it", (t) => {
  const observation = observationOf({
    nodes: [vmNode("vm-1"), darqNode("blob-1", { storageTier: "blob", size: null }), darqNode("mem-1", { utilisation: 0.5 }), darqNode("disk-1", { storageTier: "disk" })],
    automata: [busyAutomaton("a/1", "vm-1", "blob-1", 10), busyAutomaton("b/1", "vm-1", "mem-1", 10)],
  });
  const decisions = optimizerScaleStorage(observation, { utilisationLow: 0 }, random, withBound(20_000));
  t.deepEqual(summary(decisions), ["a/1→mem-1"], "memory flushes in 0.1 ms, the disk in 1 ms: fastest first");
  t.deepEqual(optimizerScaleStorage(observation, { utilisationLow: 0 }, random, withBound(1e9)), [], "no bound broken: no move");
});

test("a nearly idle DARQ is emptied when the bound allows, not when it does not", (t) => {
  const observation = observationOf({
    nodes: [vmNode("vm-1"), darqNode("mem-1"), darqNode("mem-2"), darqNode("blob-1", { storageTier: "blob", size: null })],
    automata: [busyAutomaton("a/1", "vm-1", "mem-1", 10), busyAutomaton("b/1", "vm-1", "mem-2", 10)],
  });
  const decisions = optimizerScaleStorage(observation, {}, random, withBound(20_000));
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.deepEqual(summary(decisions), ["a/1→mem-2"], "onto the other memory DARQ, not onto blob (30 ms flushes break 20 ms)");
  t.true(decisions.every((decision) => decision.kind === "migrate"), "compute never moves");
});
