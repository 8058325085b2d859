// RandomSim: the simulator's Random seam is the seeded alea stream of engine/io/random-alea.ts
// (forkable by name, state capturable), so live and simulated runs draw identical values from
// identical seeds.

export { RandomAlea as RandomSim, type RandomAleaState as RandomSimState, type AleaState } from "../engine/io/random-alea.ts";
