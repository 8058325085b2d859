// Where an LSN sits in a run of ascending LSNs: the one search behind both unconsumed-entry
// queues (entry-queue.ts, self-queue.ts), which differ only in how they store bodies.

import type { Lsn } from "./entry.ts";

/** The index of `lsn` in `lsns[low..high]` (ascending), or -1. The last entry is checked first:
 *  it is the usual answer (a step consuming the message just before it). */
export function lsnIndex(lsns: ArrayLike<Lsn>, low: number, high: number, lsn: Lsn): number {
  if (high >= low && lsns[high] === lsn) return high;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = lsns[middle]!;
    if (at < lsn) low = middle + 1;
    else if (at > lsn) high = middle - 1;
    else return middle;
  }
  return -1;
}
