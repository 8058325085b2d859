// The autoscaler for pool sizes (paper §3.4): provisioned pools are resized so their mean
// utilisation moves toward targetUtilisation. It runs on a slower cadence than the optimizer
// (context.periodUs, default minutePeriodUs) so the optimizer settles the placement before the
// infrastructure shifts under it; when not due it returns no decisions.
//
// Rule per vm or darq pool: mean utilisation u over its up nodes; desired count =
// ⌈count × u ÷ target⌉, clamped to [countMin, countMax] and to at most stepMax nodes of change per
// run. Nothing happens while u is within `band` of the target (hysteresis), and a pool shrinks
// only by nodes that are empty (no automaton's compute or logical DARQ on them), so a scale-in
// never forces a migration; the optimizer's consolidation empties nodes first. Serverless pools
// scale themselves, and darq-spare pools follow their DARQ pools.

import type { Random } from "../../engine/io/random.ts";
import { decide, type Decision } from "../decision.ts";
import { observationIndex, type Observation, type ObservationIndex, type PoolObservation } from "../observation.ts";
import { cadenceDue, paramsResolve, policyContextDefault, type PolicyContext, type PolicyParams, type Resolved } from "../policy.ts";

/** The cadence when the runner gives none: once a minute of virtual time. */
export const minutePeriodUs = 60_000_000;

export const autoscalerTargetUtilizationSpec = {
  targetUtilisation: { default: 0.6, min: 0.05, max: 1, doc: "mean utilisation the pools aim at" },
  band: { default: 0.15, min: 0, max: 1, doc: "no resize while utilisation is within this of the target" },
  countMin: { default: 1, min: 0, max: 10_000, integer: true, doc: "nodes a pool keeps at least" },
  countMax: { default: 64, min: 1, max: 10_000, integer: true, doc: "nodes a pool has at most" },
  stepMax: { default: 4, min: 1, max: 10_000, integer: true, doc: "nodes added or removed per run at most" },
} as const;

type Params = Resolved<typeof autoscalerTargetUtilizationSpec>;

function poolDecision(pool: PoolObservation, observation: Observation, index: ObservationIndex, params: Params): Decision | null {
  const nodes = observation.nodes.filter((node) => node.pool === pool.name && node.state === "up");
  if (nodes.length === 0) {
    return pool.count < params.countMin ? decide.resizePool(pool.name, params.countMin, `no up node: restore ${params.countMin}`) : null;
  }
  const utilisation = nodes.reduce((sum, node) => sum + node.utilisation, 0) / nodes.length;
  const percent = (utilisation * 100).toFixed(0);
  if (Math.abs(utilisation - params.targetUtilisation) <= params.band) return null;
  const wanted = Math.ceil((pool.count * utilisation) / params.targetUtilisation);
  let count = Math.min(params.countMax, Math.max(params.countMin, wanted));
  count = Math.min(pool.count + params.stepMax, Math.max(pool.count - params.stepMax, count));
  if (count < pool.count) {
    // Only empty nodes may go.
    const empty = nodes.filter((node) => (index.automataOnCompute.get(node.id)?.length ?? 0) === 0 && (index.automataOnDarq.get(node.id)?.length ?? 0) === 0).length;
    count = Math.max(count, pool.count - empty);
  }
  if (count === pool.count) return null;
  return decide.resizePool(pool.name, count, `mean utilisation ${percent}% vs target ${(params.targetUtilisation * 100).toFixed(0)}%: ${pool.count} → ${count} nodes`);
}

export function autoscalerTargetUtilization(observation: Observation, params: PolicyParams, _random?: Random, context: PolicyContext = policyContextDefault): Decision[] {
  const config = paramsResolve(autoscalerTargetUtilizationSpec, params, "autoscaler.params");
  const periodUs = context.periodUs > 0 ? context.periodUs : minutePeriodUs;
  if (!cadenceDue(observation.windowEndUs, context.lastRunUs, periodUs)) return [];
  const index = observationIndex(observation);
  const decisions: Decision[] = [];
  const pools = [...observation.pools].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const pool of pools) {
    if (pool.kind !== "vm" && pool.kind !== "darq") continue;
    const decision = poolDecision(pool, observation, index, config);
    if (decision !== null) decisions.push(decision);
  }
  return decisions;
}
