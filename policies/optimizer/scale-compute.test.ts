// Tests of compute scaling: an over-utilised node sheds its biggest automaton to a faster node with
// room until it is under the threshold; an under-utilised node is emptied into the busiest node
// that has room; a node that cannot be emptied keeps its automata; the cooldown holds.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { busyAutomaton, darqNode, decisionProblems, observationOf, vmNode } from "../observation.fixtures.ts";
import { optimizerScaleCompute } from "./scale-compute.ts";

const random = new RandomNode("scale-compute");
const summary = (decisions: ReturnType<typeof optimizerScaleCompute>) =>
  decisions.map((decision) => decision.kind === "moveCompute" ? `${decision.automaton}→${decision.computeNode}` : decision.kind);

test("over-utilised pool → scale up: the biggest automaton moves to the faster node with room", (t) => {
  // vm-hot: 2 + 1 + 0.8 = 3.8 of 4 cores busy (95%).
  const observation = observationOf({
    nodes: [vmNode("vm-hot", { utilisation: 0.95 }), vmNode("vm-cool", { utilisation: 0.5 }), vmNode("fast-1", { size: "fast4", utilisation: 0.5 }), darqNode("d-1")],
    automata: [
      busyAutomaton("a/1", "vm-hot", "d-1", 1000, { computeCoreUsPerStep: 2000 }),
      busyAutomaton("a/2", "vm-hot", "d-1", 1000, { computeCoreUsPerStep: 1000 }),
      busyAutomaton("a/3", "vm-hot", "d-1", 1000, { computeCoreUsPerStep: 800 }),
      busyAutomaton("b/1", "vm-cool", "d-1", 1000, { computeCoreUsPerStep: 2000 }),
      busyAutomaton("c/1", "fast-1", "d-1", 1000, { computeCoreUsPerStep: 4000 }),
    ],
  });
  const decisions = optimizerScaleCompute(observation, {}, random);
  t.deepEqual(decisionProblems(observation, decisions), []);
  // On fast-1 (speed 2) a/1 needs 1 core: 2 + 1 = 3 of 4 = 75%; vm-hot drops to 45%.
  t.deepEqual(summary(decisions), ["a/1→fast-1"]);
  t.regex(decisions[0]!.reason, /scale up compute: vm-hot at 95%/);
});

test("under-utilised node → scale down: emptied into the busiest node with room", (t) => {
  const observation = observationOf({
    nodes: [vmNode("vm-low", { utilisation: 0.05 }), vmNode("vm-mid", { utilisation: 0.5 }), vmNode("vm-light", { utilisation: 0.3 }), darqNode("d-1")],
    automata: [
      busyAutomaton("a/1", "vm-low", "d-1", 1000, { computeCoreUsPerStep: 200 }),
      busyAutomaton("b/1", "vm-mid", "d-1", 1000, { computeCoreUsPerStep: 2000 }),
      busyAutomaton("c/1", "vm-light", "d-1", 1000, { computeCoreUsPerStep: 1200 }),
    ],
  });
  const decisions = optimizerScaleCompute(observation, {}, random);
  t.deepEqual(decisionProblems(observation, decisions), []);
  t.deepEqual(summary(decisions), ["a/1→vm-mid"]);
  t.regex(decisions[0]!.reason, /scale down compute: empty vm-low/);
});

test("a node whose automata do not all fit elsewhere keeps them; recently placed automata stay", (t) => {
  const full = observationOf({
    nodes: [vmNode("vm-low", { utilisation: 0.15 }), vmNode("vm-full", { utilisation: 0.8 }), darqNode("d-1")],
    automata: [
      busyAutomaton("a/1", "vm-low", "d-1", 1000, { computeCoreUsPerStep: 300 }),
      busyAutomaton("a/2", "vm-low", "d-1", 1000, { computeCoreUsPerStep: 300 }),
      busyAutomaton("b/1", "vm-full", "d-1", 1000, { computeCoreUsPerStep: 3200 }),
    ],
  });
  t.deepEqual(optimizerScaleCompute(full, {}, random), [], "0.6 more cores would take vm-full past 85%");
  const recent = observationOf({
    nodes: [vmNode("vm-low", { utilisation: 0.05 }), vmNode("vm-mid", { utilisation: 0.5 }), darqNode("d-1")],
    automata: [busyAutomaton("a/1", "vm-low", "d-1", 1000, { computeCoreUsPerStep: 200, placedAtUs: 595_000_000 }), busyAutomaton("b/1", "vm-mid", "d-1", 1000, { computeCoreUsPerStep: 2000 })],
  });
  t.deepEqual(optimizerScaleCompute(recent, {}, random), []);
});
