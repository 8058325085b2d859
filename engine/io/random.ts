// The Random seam: the only source of randomness for engine, simulator, policies and workloads.
//
// Contract (checked by random.contract.ts):
// - Same seed, same sequence of calls → same values, on any machine.
// - `fork(name)` returns an independent stream derived from this stream's seed and `name` only
//   (not from how many values were drawn), so adding a consumer does not shift the others.
// Implementations: RandomSim (sim/, seedrandom alea, state capturable) and RandomNode
// (engine/io/node/, seeded or from the OS).

export interface Random {
  /** Uniform float in [0, 1). */
  float(): number;
  /** Uniform integer in [0, maxExclusive); `maxExclusive` is a positive integer. */
  int(maxExclusive: number): number;
  /** Uniform integer in [min, max], both inclusive. */
  intRange(min: number, max: number): number;
  /** True with probability `p` (0 ≤ p ≤ 1). */
  chance(p: number): boolean;
  /** An independent, named child stream. */
  fork(name: string): Random;
  /** The seed this stream was created from (for printing and replay). */
  readonly seed: string;
}
