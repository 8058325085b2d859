// RandomAlea: the seeded Random seam, on seedrandom's alea (fast, 32-bit output, a
// small capturable state). Streams are named: `fork(name)` seeds the child from
// `${parentSeed}/${name}` alone, so adding a consumer, or drawing more values in one, never
// shifts another consumer's values (DESIGN §6). The simulator uses it as RandomSim; live runs as
// RandomNode, seeded from the OS when no seed is given. `state()`/`restore()` capture and rewind a
// stream, e.g. to checkpoint a run or to replay a fault schedule from the middle.

import seedrandom from "seedrandom";
import { assert } from "./assert.ts";
import type { Random } from "./random.ts";

export type AleaState = seedrandom.State.Alea;

/** A captured stream: its seed (for printing and forks) and alea's internal state. */
export type RandomAleaState = { readonly seed: string; readonly alea: AleaState };

const twoPow32 = 4294967296;

export class RandomAlea implements Random {
  private prng: seedrandom.StatefulPRNG<AleaState>;
  private readonly seedText: string;

  constructor(seed: string) {
    assert(typeof seed === "string", "RandomAlea needs a string seed");
    this.seedText = seed;
    this.prng = seedrandom.alea(seed, { state: true });
  }

  /** Rebuilds a stream exactly where `state()` left it. */
  static fromState(state: RandomAleaState): RandomAlea {
    const random = new RandomAlea(state.seed);
    random.restore(state);
    return random;
  }

  get seed(): string {
    return this.seedText;
  }

  float(): number {
    return this.prng();
  }

  int(maxExclusive: number): number {
    if (!(Number.isSafeInteger(maxExclusive) && maxExclusive > 0)) {
      assert(false, `int(maxExclusive) needs a positive safe integer, got ${maxExclusive}`);
    }
    // alea's main output has 32 bits; wider ranges take the 53-bit double.
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

  fork(name: string): RandomAlea {
    assert(name.length > 0, "fork needs a non-empty stream name");
    return new RandomAlea(`${this.seedText}/${name}`);
  }

  /** A copy of the stream's position; drawing more values does not change it. */
  state(): RandomAleaState {
    return { seed: this.seedText, alea: { ...this.prng.state() } };
  }

  /** Rewinds (or forwards) this stream to a position captured by `state()` on the same seed. */
  restore(state: RandomAleaState): void {
    assert(state.seed === this.seedText,
      `restore: state is of stream '${state.seed}', this stream is '${this.seedText}'`);
    this.prng = seedrandom.alea("", { state: { ...state.alea } });
  }
}
