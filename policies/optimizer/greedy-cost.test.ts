// Tests of the greedy cost-based optimizer: it fixes a broken latency bound by moving storage to a
// faster tier, leaves a placement alone once it is good (and does not move back: no flapping),
// respects the cooldown, and does not take a move whose pause costs more over the horizon than
// the move gains.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import type { Objective } from "../objective.ts";
import { busyAutomaton, darqNode, decisionProblems, edge, observationOf, vmNode } from "../observation.fixtures.ts";
import { policyContextDefault, type PolicyContext } from "../policy.ts";
import { optimizerGreedyCost } from "./greedy-cost.ts";

const random = new RandomNode("greedy");
const withObjective = (objective: Objective): PolicyContext => ({ ...policyContextDefault, objective });
const p99Under20ms = withObjective({ kind: "min-cost-p99", params: { latencyUsP99Max: 20_000 } });

function onDarq(darq: string, placedAtUs = 0) {
  return observationOf({
    nodes: [vmNode("vm-1"), darqNode("d-blob", { storageTier: "blob", size: null }), darqNode("d-mem")],
    automata: [busyAutomaton("a/0", "vm-1", darq, 100, { placedAtUs })],
  });
}

test("a p99 bound broken by blob storage (30 ms flushes) is fixed by migrating to the memory tier", (t) => {
  const observation = onDarq("d-blob");
  const decisions = optimizerGreedyCost(observation, {}, random, p99Under20ms);
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.is(decisions.length, 1);
  const [decision] = decisions;
  t.true(decision?.kind === "migrate" && decision.darqNode === "d-mem", JSON.stringify(decision));
  t.regex(decision!.reason, /^greedy-cost: score .* over 60 s, pause/);
});

test("once the placement is good nothing moves, and it does not move back", (t) => {
  t.deepEqual(optimizerGreedyCost(onDarq("d-mem"), {}, random, p99Under20ms), []);
});

test("an automaton placed within the cooldown stays put", (t) => {
  const observation = onDarq("d-blob", 590_000_000);
  t.deepEqual(optimizerGreedyCost(observation, { cooldownUs: 30_000_000 }, random, p99Under20ms), []);
  t.is(optimizerGreedyCost(observation, { cooldownUs: 0 }, random, p99Under20ms).length, 1);
});

function crossZone(logBytes: number) {
  return observationOf({
    nodes: [vmNode("vm-1"), vmNode("vm-2", { zone: "z2" }), darqNode("d-1"), darqNode("d-2", { zone: "z2" })],
    automata: [busyAutomaton("a/0", "vm-1", "d-1", 100, { logBytes }), busyAutomaton("b/0", "vm-2", "d-2", 100, { logBytes })],
    talk: [edge("a/0", "b/0", 100, 1e7), edge("b/0", "a/0", 100, 1e7)],
  });
}

// Weighted: 1 per USD/month, 10 per step/s. Cross-zone talk costs 2e7 B/s × 0.02 USD/GB over the
// month ≈ 1051 USD; moving one DARQ across removes it. A pause is paid in steps lost over 60 s.
const costAndThroughput = withObjective({ kind: "weighted", params: { costWeight: 1, throughputWeight: 10, latencyWeight: 0 } });

test("a cheap move that removes cross-zone traffic is taken", (t) => {
  const observation = crossZone(10_000);
  const decisions = optimizerGreedyCost(observation, {}, random, costAndThroughput);
  t.deepEqual(decisionProblems(observation, decisions), []);
  const migrate = decisions.find((decision) => decision.kind === "migrate");
  t.truthy(migrate, JSON.stringify(decisions));
});

test("a move whose pause costs more than its gain over the horizon is not taken", (t) => {
  // 1e11 live bytes at 1.25 GB/s: an 80 s pause, longer than the 60 s horizon.
  t.deepEqual(optimizerGreedyCost(crossZone(1e11), {}, random, costAndThroughput), []);
  t.true(optimizerGreedyCost(crossZone(1e11), { horizonS: 3600 }, random, costAndThroughput).length > 0, "a long horizon pays for it");
});

test("movesMax 0 means no moves; unknown params are config errors", (t) => {
  t.deepEqual(optimizerGreedyCost(onDarq("d-blob"), { movesMax: 0 }, random, p99Under20ms), []);
  t.throws(() => optimizerGreedyCost(onDarq("d-blob"), { moves: 3 }, random, p99Under20ms), { message: /optimizer\.params\.moves: unknown parameter/ });
});
