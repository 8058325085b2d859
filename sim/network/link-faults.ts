// Link faults: loss and duplication probabilities and a reordering jitter, network-wide or on
// the links of chosen hosts, changed at run time by the fault injector.
//
// The rate a message sees is the largest that applies to it: the configured base, a network-wide
// fault, or a fault on its sending or receiving host. Setting a rate back to 0 ends the fault.
// Per-host values live in typed arrays indexed by host, so the lookup is a few array reads.

import { assert } from "../../engine/io/assert.ts";

export const LinkFaultKind = { loss: 0, duplicate: 1, reorderJitterUs: 2 } as const;
export type LinkFaultKind = (typeof LinkFaultKind)[keyof typeof LinkFaultKind];

export class LinkFaults {
  /** Configured base per kind (never changed by faults). */
  private readonly base: Float64Array;
  /** Network-wide fault per kind. */
  private readonly global = new Float64Array(3);
  /** Per-host fault per kind. */
  private perHost: [Float64Array, Float64Array, Float64Array] = [new Float64Array(16), new Float64Array(16), new Float64Array(16)];
  /** Hosts with a non-zero per-host value per kind: lets the common case skip the arrays. */
  private readonly hostsFaulty = new Int32Array(3);

  constructor(lossRate: number, duplicateRate: number, reorderJitterUs: number) {
    checkRate(lossRate, "lossRate");
    checkRate(duplicateRate, "duplicateRate");
    checkJitter(reorderJitterUs);
    this.base = Float64Array.of(lossRate, duplicateRate, reorderJitterUs);
  }

  /** Sets a fault value on the given host indices, or network-wide when `hosts` is empty. */
  set(kind: LinkFaultKind, hosts: readonly number[], value: number): void {
    if (kind === LinkFaultKind.reorderJitterUs) checkJitter(value);
    else checkRate(value, kind === LinkFaultKind.loss ? "loss rate" : "duplicate rate");
    if (hosts.length === 0) {
      this.global[kind] = value;
      return;
    }
    for (const host of hosts) {
      let values = this.perHost[kind];
      if (host >= values.length) {
        values = growTo(values, 2 * host + 1);
        this.perHost[kind] = values;
      }
      const was = values[host]!;
      values[host] = value;
      if (was === 0 && value !== 0) this.hostsFaulty[kind]! += 1;
      if (was !== 0 && value === 0) this.hostsFaulty[kind]! -= 1;
    }
  }

  /** The value a message from `fromHost` to `toHost` sees. */
  value(kind: LinkFaultKind, fromHost: number, toHost: number): number {
    const base = this.base[kind]!;
    const global = this.global[kind]!;
    let value = base > global ? base : global;
    if (this.hostsFaulty[kind] === 0) return value;
    const values = this.perHost[kind];
    const fromValue = fromHost < values.length ? values[fromHost]! : 0;
    const toValue = toHost < values.length ? values[toHost]! : 0;
    if (fromValue > value) value = fromValue;
    if (toValue > value) value = toValue;
    return value;
  }
}

function growTo(values: Float64Array, length: number): Float64Array {
  const next = new Float64Array(length);
  next.set(values);
  return next;
}

function checkRate(rate: number, what: string): void {
  assert(rate >= 0 && rate <= 1, `${what} must be a probability in [0, 1], got ${rate}`);
}

function checkJitter(jitterUs: number): void {
  assert(Number.isInteger(jitterUs) && jitterUs >= 0, `reorder jitter must be an integer ≥ 0 µs, got ${jitterUs}`);
}
