// RandomNode: the Random seam for live runs. Seeded, it is the same alea stream as the
// simulator's (a live run can reproduce a policy's random choices); unseeded, it draws a seed
// from the OS (crypto.randomBytes) and exposes it as `seed`, so even a live run can print the
// seed it used. Forks follow the seam's rule: the child seed is `${seed}/${name}`.

import { randomBytes } from "node:crypto";
import seedrandom from "seedrandom";
import { assert } from "../assert.ts";
import type { Random } from "../random.ts";

const twoPow32 = 4294967296;

export class RandomNode implements Random {
  readonly seed: string;
  private readonly prng: seedrandom.PRNG;

  /** With no seed, one is drawn from the OS. */
  constructor(seed?: string) {
    this.seed = seed ?? randomBytes(16).toString("hex");
    this.prng = seedrandom.alea(this.seed);
  }

  float(): number {
    return this.prng();
  }

  int(maxExclusive: number): number {
    if (!(Number.isSafeInteger(maxExclusive) && maxExclusive > 0)) {
      assert(false, `int(maxExclusive) needs a positive safe integer, got ${maxExclusive}`);
    }
    const u = maxExclusive <= twoPow32 ? this.prng() : this.prng.double();
    return Math.floor(u * maxExclusive);
  }

  intRange(min: number, max: number): number {
    if (!(Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max)) {
      assert(false, `intRange(min, max) needs safe integers with min ≤ max, got ${min}, ${max}`);
    }
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    if (!(p >= 0 && p <= 1)) assert(false, `chance(p) needs 0 ≤ p ≤ 1, got ${p}`);
    return this.prng() < p;
  }

  fork(name: string): RandomNode {
    assert(name.length > 0, "fork needs a non-empty stream name");
    return new RandomNode(`${this.seed}/${name}`);
  }
}
