// RandomNode: the Random seam for live runs. Seeded, it is the same alea stream as the
// simulator's (a live run can reproduce a policy's random choices); unseeded, it draws a seed
// from the OS (crypto.randomBytes) and exposes it as `seed`, so even a live run can print the
// seed it used. Forks follow the seam's rule: the child seed is `${seed}/${name}`.

import { randomBytes } from "node:crypto";
import { RandomAlea } from "../random-alea.ts";

export class RandomNode extends RandomAlea {
  /** With no seed, one is drawn from the OS. */
  constructor(seed?: string) {
    super(seed ?? randomBytes(16).toString("hex"));
  }
}
