// Run ids come from the config hash, the seed and the shard, never the clock: the same inputs give
// the same id, an existing directory gets the next counter, and odd seed characters are made safe.

import test from "ava";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../runner/runner-fixtures.ts";
import { createRunDir, runIdBase, seedSlug } from "./run-dir.ts";

const hash = "0123456789abcdef0123456789abcdef";

test("the run id is hash prefix, seed and shard; seeds become safe path segments", (t) => {
  t.is(runIdBase(hash, "42"), "0123456789ab-s42");
  t.is(runIdBase(hash, "42/r1", { index: 2, count: 4 }), "0123456789ab-s42_r1-shard2of4");
  t.is(runIdBase(hash, "42", { index: 1, count: 1 }), "0123456789ab-s42");
  t.is(seedSlug("../../etc"), ".._.._etc");
  t.is(seedSlug("/"), "_");
  t.is(seedSlug("x".repeat(100)).length, 40);
});

test("an existing run directory gets the next counter", (t) => {
  const root = tempDir("run-dir");
  const first = createRunDir(root, "exp", "abc-s1");
  const second = createRunDir(root, "exp", "abc-s1");
  const third = createRunDir(root, "exp", "abc-s1");
  t.deepEqual([first.runId, second.runId, third.runId], ["abc-s1", "abc-s1-2", "abc-s1-3"]);
  t.true(existsSync(join(root, "exp", "abc-s1-3")));
});
