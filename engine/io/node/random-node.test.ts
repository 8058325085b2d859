// Runs the Random contract against a seeded RandomNode, and checks that an unseeded one draws a
// fresh seed from the OS and reports it (so it can be printed and replayed).

import test from "ava";
import { randomContract } from "../random.contract.ts";
import { RandomNode } from "./random-node.ts";

randomContract(test, "RandomNode", (seed) => new RandomNode(seed));

test("an unseeded RandomNode picks a fresh OS seed and replays from it", (t) => {
  const first = new RandomNode();
  const second = new RandomNode();
  t.regex(first.seed, /^[0-9a-f]{32}$/);
  t.not(first.seed, second.seed);
  const values = [first.float(), first.float()];
  const replay = new RandomNode(first.seed);
  t.deepEqual([replay.float(), replay.float()], values);
});
