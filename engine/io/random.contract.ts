// The Random contract (engine/io/random.ts), written once and run against every seeded
// implementation (STYLE 14): RandomSim in sim/random-sim.test.ts, RandomNode in
// engine/io/node/random-node.test.ts. All checks use fixed seeds, so statistical checks are
// deterministic: a bound that holds for these seeds holds on every run and machine.

import type { ExecutionContext, TestFn } from "ava";
import type { Random } from "./random.ts";

type Check = (t: ExecutionContext, create: (seed: string) => Random) => void;

const drawCount = 10_000;

/** A mixed sequence of every kind of draw, so any divergence shows. */
function draws(random: Random): number[] {
  const values: number[] = [];
  for (let index = 0; index < 250; index++) {
    values.push(random.float(), random.int(1000), random.intRange(-5, 5), random.chance(0.3) ? 1 : 0);
  }
  return values;
}

const reproducible: Check = (t, create) => {
  t.deepEqual(draws(create("alpha")), draws(create("alpha")));
  t.notDeepEqual(draws(create("alpha")), draws(create("beta")));
  t.is(create("alpha").seed, "alpha");
};

const inRange: Check = (t, create) => {
  const random = create("ranges");
  const seenRange = new Set<number>();
  let outside = 0;
  for (let index = 0; index < drawCount; index++) {
    const u = random.float();
    const value = random.int(7);
    if (!(u >= 0 && u < 1) || !(Number.isInteger(value) && value >= 0 && value < 7)) outside++;
    seenRange.add(random.intRange(3, 6));
  }
  t.is(outside, 0, "float() in [0, 1) and int(7) in {0..6}");
  t.deepEqual([...seenRange].sort(), [3, 4, 5, 6]);
  const wide = random.int(2 ** 40);
  t.true(Number.isInteger(wide) && wide >= 0 && wide < 2 ** 40);
  t.is(random.int(1), 0);
  t.is(random.intRange(9, 9), 9);
};

const chances: Check = (t, create) => {
  const random = create("chance");
  let hits = 0;
  let wrong = 0;
  for (let index = 0; index < drawCount; index++) {
    if (random.chance(0) || !random.chance(1)) wrong++;
    if (random.chance(0.25)) hits++;
  }
  t.is(wrong, 0, "chance(0) is never true and chance(1) always");
  t.true(Math.abs(hits / drawCount - 0.25) < 0.02, `chance(0.25) hit ${hits} of ${drawCount}`);
};

const uniform: Check = (t, create) => {
  const random = create("uniform");
  const counts = new Array<number>(10).fill(0);
  for (let index = 0; index < drawCount; index++) counts[random.int(10)]!++;
  const expected = drawCount / 10;
  const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
  t.true(chiSquare < 33.7, `chi-square ${chiSquare.toFixed(1)} for counts ${counts.join(",")}`);
};

const forks: Check = (t, create) => {
  const fresh = create("root");
  const used = create("root");
  for (let index = 0; index < 100; index++) used.float();
  const network = draws(fresh.fork("network"));
  t.deepEqual(draws(used.fork("network")), network, "draws on the parent do not shift a fork");
  t.deepEqual(draws(fresh.fork("network")), network, "forking twice by one name gives one stream");
  t.notDeepEqual(draws(fresh.fork("storage")), network, "names give distinct streams");
  t.notDeepEqual(draws(create("other-root").fork("network")), network, "parent seeds give distinct streams");
  t.notDeepEqual(draws(create("root")), network, "a fork differs from its parent");
  t.not(fresh.fork("network").seed, fresh.seed);
};

const domain: Check = (t, create) => {
  const random = create("domain");
  t.throws(() => random.int(0));
  t.throws(() => random.int(2.5));
  t.throws(() => random.intRange(5, 4));
  t.throws(() => random.chance(1.5));
  t.throws(() => random.chance(Number.NaN));
};

const checks: ReadonlyArray<readonly [string, Check]> = [
  ["the same seed gives the same values; another seed other values", reproducible],
  ["values stay in range and both ends of an inclusive range occur", inRange],
  ["chance(0) is never true, chance(1) always, chance(0.25) about a quarter", chances],
  ["int is uniform: chi-square over 10 buckets stays below the 1e-4 critical value", uniform],
  ["fork depends only on the parent's seed and the name", forks],
  ["arguments outside the documented domain are programmer errors", domain],
];

/** Registers one ava test per contract clause for `implementation`, built from a seed. */
export function randomContract(test: TestFn, implementation: string, create: (seed: string) => Random): void {
  for (const [what, check] of checks) {
    test(`${implementation} satisfies the Random contract: ${what}`, (t) => check(t, create));
  }
}
