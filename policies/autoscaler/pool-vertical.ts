// The autoscaler's vertical knob (paper §3.4: it "controls the size and composition of DARQ and
// compute pools"): when a pool cannot grow or shrink by count any further, change what its nodes
// are. A vm pool at countMax and hotter than utilisationHigh moves to the next larger VM size of
// its family (by vCPUs); one at countMin and cooler than utilisationLow to the next smaller. A
// DARQ pool on a managed disk tier hotter than utilisationHigh moves to the next tier by flush
// capacity; cooler than utilisationLow, to the next smaller one (a cheaper disk). Tiers of other
// kinds change only by migration (scale-storage). Same cadence rule as target-utilization: not
// due → no decisions.

import type { Random } from "../../engine/io/random.ts";
import { decide, type Decision } from "../decision.ts";
import type { Observation, PoolObservation } from "../observation.ts";
import { cadenceDue, paramsResolve, policyContextDefault, type PolicyContext, type PolicyParams, type Resolved } from "../policy.ts";
import { vmPriceNamed, type PriceBook } from "../price-book.ts";
import { minutePeriodUs } from "./target-utilization.ts";

export const autoscalerPoolVerticalSpec = {
  utilisationHigh: { default: 0.8, min: 0.01, max: 1, doc: "pool utilisation that calls for bigger nodes" },
  utilisationLow: { default: 0.2, min: 0, max: 1, doc: "pool utilisation that calls for smaller nodes" },
  countMin: { default: 1, min: 0, max: 10_000, integer: true, doc: "the count below which the pool resizes by count instead" },
  countMax: { default: 64, min: 1, max: 10_000, integer: true, doc: "the count above which the pool resizes by count instead" },
} as const;

type Params = Resolved<typeof autoscalerPoolVerticalSpec>;

/** The next VM size of the same family, larger (+1) or smaller (-1) by vCPUs. */
export function vmSizeNext(prices: PriceBook, size: string, direction: 1 | -1): string | undefined {
  const current = vmPriceNamed(prices, size);
  if (current === undefined) return undefined;
  const family = Object.entries(prices.vmSizes).filter(([, vm]) => vm.family === current.family)
    .sort(([nameA, a], [nameB, b]) => a.vcpu - b.vcpu || (nameA < nameB ? -1 : 1));
  const position = family.findIndex(([, vm]) => vm.vcpu === current.vcpu && vm.usdPerHour === current.usdPerHour);
  return family[position + direction]?.[0];
}

/** The next managed-disk tier by flush capacity, larger (+1) or smaller (-1). */
export function diskTierNext(prices: PriceBook, tier: string, direction: 1 | -1): string | undefined {
  const current = prices.storageTiers[tier];
  if (current === undefined || current.kind !== "managedDisk") return undefined;
  const disks = Object.entries(prices.storageTiers).filter(([, other]) => other.kind === "managedDisk")
    .sort(([nameA, a], [nameB, b]) => (a.flushesPerSMax ?? 0) - (b.flushesPerSMax ?? 0) || a.usdPerMonth - b.usdPerMonth || (nameA < nameB ? -1 : 1));
  return disks[disks.findIndex(([name]) => name === tier) + direction]?.[0];
}

function poolDecision(pool: PoolObservation, observation: Observation, params: Params): Decision | null {
  const nodes = observation.nodes.filter((node) => node.pool === pool.name && node.state === "up");
  if (nodes.length === 0) return null;
  const utilisation = nodes.reduce((sum, node) => sum + node.utilisation, 0) / nodes.length;
  const direction = utilisation > params.utilisationHigh && pool.count >= params.countMax ? 1
    : utilisation < params.utilisationLow && pool.count <= params.countMin ? -1 : 0;
  if (direction === 0) return null;
  const percent = `${(utilisation * 100).toFixed(0)}%`;
  if (pool.kind === "vm" && pool.size !== null) {
    const size = vmSizeNext(observation.prices, pool.size, direction);
    return size === undefined ? null : decide.scaleCompute(pool.name, { size }, `utilisation ${percent} at ${pool.count} nodes: ${pool.size} → ${size}`);
  }
  if (pool.kind === "darq" && pool.storageTier !== null) {
    const tier = diskTierNext(observation.prices, pool.storageTier, direction);
    return tier === undefined ? null : decide.scaleStorage(pool.name, tier, `storage utilisation ${percent}: ${pool.storageTier} → ${tier}`);
  }
  return null;
}

export function autoscalerPoolVertical(observation: Observation, params: PolicyParams, _random?: Random, context: PolicyContext = policyContextDefault): Decision[] {
  const config = paramsResolve(autoscalerPoolVerticalSpec, params, "autoscaler.params");
  const periodUs = context.periodUs > 0 ? context.periodUs : minutePeriodUs;
  if (!cadenceDue(observation.windowEndUs, context.lastRunUs, periodUs)) return [];
  const decisions: Decision[] = [];
  for (const pool of [...observation.pools].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const decision = poolDecision(pool, observation, config);
    if (decision !== null) decisions.push(decision);
  }
  return decisions;
}
