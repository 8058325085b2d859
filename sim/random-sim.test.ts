// Runs the Random contract against RandomSim, and checks what only RandomSim offers: capturing
// and restoring a stream's position, and that it yields the very stream RandomNode yields for the
// same seed (a live run can reproduce a simulated run's random choices).

import test from "ava";
import { randomContract } from "../engine/io/random.contract.ts";
import { RandomNode } from "../engine/io/node/random-node.ts";
import { RandomSim } from "./random-sim.ts";

randomContract(test, "RandomSim", (seed) => new RandomSim(seed));

test("state() captures a position that restore() and fromState() return to", (t) => {
  const random = new RandomSim("capture");
  for (let index = 0; index < 17; index++) random.float();
  const state = random.state();
  const next = [random.float(), random.int(100), random.float()];
  random.restore(state);
  t.deepEqual([random.float(), random.int(100), random.float()], next);
  const copy = RandomSim.fromState(state);
  t.deepEqual([copy.float(), copy.int(100), copy.float()], next);
  t.is(copy.seed, "capture");
});

test("a captured state is a copy: drawing afterwards does not change it", (t) => {
  const random = new RandomSim("copy");
  const state = random.state();
  const before = JSON.stringify(state);
  random.float();
  t.is(JSON.stringify(state), before);
  t.true(JSON.parse(JSON.stringify(state)).alea.s0 !== undefined, "the state is plain JSON data");
});

test("restore refuses a state captured from another stream", (t) => {
  const state = new RandomSim("one").state();
  t.throws(() => new RandomSim("two").restore(state), { message: /stream 'one'/ });
});

test("RandomSim and a seeded RandomNode give the same values, forks included", (t) => {
  const sim = new RandomSim("shared");
  const node = new RandomNode("shared");
  const simValues = [sim.float(), sim.int(1e6), sim.fork("x").float()];
  const nodeValues = [node.float(), node.int(1e6), node.fork("x").float()];
  t.deepEqual(simValues, nodeValues);
});
