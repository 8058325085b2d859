// Tests of random placement: draws are uniform over up nodes only, reproducible from the seed,
// and respect the pool params.

import test from "ava";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { automatonAt, darqNode, decisionProblems, observationOf, vmNode } from "../observation.fixtures.ts";
import { placementRandom } from "./random.ts";

const nodes = [vmNode("vm-1"), vmNode("vm-2"), vmNode("vm-3", { state: "down" }), vmNode("vm-4", { pool: "other" }), darqNode("d-1"), darqNode("d-2")];
const automata = Array.from({ length: 400 }, (_, index) => automatonAt(`a/${index}`, null, null, { pending: true }));
const observation = observationOf({ nodes, automata });

test("same seed, same placement; only up nodes; roughly uniform", (t) => {
  const first = placementRandom(observation, {}, new RandomNode("seed-1"));
  const again = placementRandom(observation, {}, new RandomNode("seed-1"));
  t.deepEqual(first, again);
  t.deepEqual(decisionProblems(observation, first), []);
  const counts = new Map<string, number>();
  for (const decision of first) if (decision.kind === "place") counts.set(decision.computeNode, (counts.get(decision.computeNode) ?? 0) + 1);
  t.false(counts.has("vm-3"), "down nodes never drawn");
  for (const id of ["vm-1", "vm-2", "vm-4"]) t.true((counts.get(id) ?? 0) > 80, `${id} drawn ${counts.get(id)} of 400`);
  t.notDeepEqual(first, placementRandom(observation, {}, new RandomNode("seed-2")));
});

test("the pool params restrict the draw", (t) => {
  const decisions = placementRandom(observation, { computePool: "other" }, new RandomNode("seed-3"));
  t.true(decisions.every((decision) => decision.kind === "place" && decision.computeNode === "vm-4"));
});
