// The random stream of one step: a small PRNG (sfc32) seeded from the automaton id and the LSN of
// the input the step consumes, nothing else.
//
// Why this is enough for determinism: a step is a function of (state before it, its input
// message, its time, its random draws). After a crash the host rebuilds exactly the committed
// state (DESIGN §3 property 7) and the uncommitted input is redelivered with the same LSN
// (property 3: LSNs are log positions and recovery never renumbers them), so a re-executed step
// sees the same state, the same message and the same seed, and draws the same numbers. Each LSN
// of a logical DARQ is consumed by at most one committed step (property 2), so no two committed
// steps of one automaton share a stream; the id keeps automata whose inputs happen to carry equal
// LSNs (on different physical DARQs, or after a migration) apart. Nothing else is mixed in on
// purpose: the processor's incarnation or a wall clock would change across a restart.
//
// sfc32 (Chris Doty-Humphrey's small fast counting generator) passes PractRand, needs four 32-bit
// words of state and only integer ops, so seeding it per step costs a few dozen instructions.

import { assert } from "../io/assert.ts";

/** FNV-1a over UTF-16 code units: a stable 32-bit hash of an automaton id. */
export function idHash32(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const two32 = 0x1_0000_0000;
const warmupRounds = 12;

export class StepRandom {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /** Restarts the stream for the step of automaton `idHash` that consumes `lsn`. */
  seed(idHash: number, lsn: number): void {
    assert(Number.isSafeInteger(lsn) && lsn >= 0, `lsn ${lsn} is a non-negative safe integer`);
    this.a = idHash >>> 0;
    this.b = lsn >>> 0;
    this.c = Math.floor(lsn / two32) >>> 0;
    this.d = 1; // sfc32's counter word
    for (let i = 0; i < warmupRounds; i++) this.next32();
  }

  /** Uniform 32-bit unsigned integer. */
  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  float(): number {
    const high = this.next32() >>> 5; // 27 bits
    const low = this.next32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform integer in [0, maxExclusive), without modulo bias. */
  int(maxExclusive: number): number {
    assert(Number.isSafeInteger(maxExclusive) && maxExclusive > 0 && maxExclusive <= two32,
      `maxExclusive ${maxExclusive} is an integer in [1, 2^32]`);
    const limit = two32 - (two32 % maxExclusive);
    for (;;) {
      const draw = this.next32();
      if (draw < limit) return draw % maxExclusive;
    }
  }
}
