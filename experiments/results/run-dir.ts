// Where a run's results go: results/<experiment>/<run-id>/. The run id is derived from the config
// hash and the seed (and the shard), never from the wall clock, so rerunning the same experiment
// lands next to the first run under a predictable name: the same base with a counter, "-2", "-3",
// when the directory already exists. The directory is created with a non-recursive mkdir, which
// fails if it exists, so two runs started at once cannot share a directory.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";

/** How many same-named runs may sit side by side before the user is asked to clean up. */
export const runCounterMax = 999;

/** A seed as a path segment: safe characters only, bounded length. */
export function seedSlug(seed: string): string {
  const slug = seed.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 40);
  return slug === "" ? "_" : slug;
}

/** The run id before any counter: `<config hash, 12 hex>-s<seed>[-shard<i>of<n>]`. */
export function runIdBase(configHash: string, seed: string, shard?: { readonly index: number; readonly count: number }): string {
  const shardPart = shard === undefined || shard.count === 1 ? "" : `-shard${shard.index}of${shard.count}`;
  return `${configHash.slice(0, 12)}-s${seedSlug(seed)}${shardPart}`;
}

/** Creates and returns `<outRoot>/<experiment>/<run id>`, adding a counter if needed. */
export function createRunDir(outRoot: string, experiment: string, base: string): { runId: string; runDir: string } {
  const parent = join(outRoot, experiment);
  mkdirSync(parent, { recursive: true });
  for (let counter = 1; counter <= runCounterMax; counter++) {
    const runId = counter === 1 ? base : `${base}-${counter}`;
    const runDir = join(parent, runId);
    try {
      mkdirSync(runDir);
      return { runId, runDir };
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== "EEXIST") throw cause;
    }
  }
  throw new SsmsError(ErrorCode.limitExceeded, `${parent} already holds ${runCounterMax} runs named ${base}[-N]; remove old runs or pass --out`);
}
