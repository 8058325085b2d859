// Refining the cost model from observations (paper §3.4: "the cost model relies both on
// hard-coded rules and observation of active deployments"). Each predicted term has a factor,
// 1 at first. After a window, the model predicts the observed placement with no correction (the
// raw prediction); for every term the observation measures, the factor moves toward
// observed ÷ raw by exponential smoothing: f ← (1 − α)·f + α·(observed ÷ raw). Factors stay
// within [factorMin, factorMax], so one odd window cannot wreck the model.
//
// What is measured: latency p50/p99 (the step-weighted mixture of the automata's observed
// quantiles), compute and storage cost (the spend the monitor measured, or else the nodes'
// billed rates), serverless and network cost (only from measured spend), and throughput. The
// throughput factor learns only from windows the raw model calls saturated (headroom < 1): below
// saturation the observed rate is the offered rate, which says nothing about capacity.

import { assert } from "../engine/io/assert.ts";
import type { Prediction } from "./cost-model.ts";
import type { Observation } from "./observation.ts";
import { mixtureAdd, mixtureCreate, mixtureQuantile } from "./stats.ts";

export type Calibration = {
  readonly throughput: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
  readonly costCompute: number;
  readonly costStorage: number;
  readonly costServerless: number;
  readonly costNetwork: number;
};

export const calibrationIdentity: Calibration = Object.freeze({
  throughput: 1, latencyP50: 1, latencyP99: 1, costCompute: 1, costStorage: 1, costServerless: 1, costNetwork: 1,
});

export const factorMin = 0.1;
export const factorMax = 10;

/** What a window measured, per term; null where it measured nothing. */
export type ObservedTerms = { readonly [K in keyof Calibration]: number | null };

function stepWeightedQuantile(observation: Observation, q: 0.5 | 0.99): number | null {
  const mixture = mixtureCreate(observation.automata.length);
  for (const automaton of observation.automata) {
    if (automaton.stepsPerS > 0 && automaton.stepLatencyUsP50 > 0) {
      mixtureAdd(mixture, automaton.stepsPerS, automaton.stepLatencyUsP50, automaton.stepLatencyUsP99);
    }
  }
  return mixture.count === 0 ? null : mixtureQuantile(mixture, q);
}

function billedUsdPerMonth(observation: Observation, darq: boolean): number | null {
  let total = 0;
  let count = 0;
  for (const node of observation.nodes) {
    if ((node.kind === "darq") !== darq || node.state === "down") continue;
    total += node.costUsdPerHour;
    count++;
  }
  return count === 0 ? null : total * observation.prices.hoursPerMonth;
}

/** The terms an observation measures. */
export function observedTerms(observation: Observation): ObservedTerms {
  const spend = observation.spend;
  let throughput = 0;
  for (const automaton of observation.automata) throughput += automaton.stepsPerS;
  return {
    throughput,
    latencyP50: stepWeightedQuantile(observation, 0.5),
    latencyP99: stepWeightedQuantile(observation, 0.99),
    costCompute: spend?.computeUsdPerMonth ?? billedUsdPerMonth(observation, false),
    costStorage: spend?.storageUsdPerMonth ?? billedUsdPerMonth(observation, true),
    costServerless: spend?.serverlessUsdPerMonth ?? null,
    costNetwork: spend?.networkUsdPerMonth ?? null,
  };
}

/** The raw prediction's value of each term (same keys as Calibration). */
function rawTerms(raw: Prediction): Calibration {
  return {
    throughput: raw.throughputStepsPerS,
    latencyP50: raw.latencyUsP50,
    latencyP99: raw.latencyUsP99,
    costCompute: raw.cost.computeUsdPerMonth,
    costStorage: raw.cost.storageCapacityUsdPerMonth + raw.cost.storageOperationsUsdPerMonth,
    costServerless: raw.cost.serverlessUsdPerMonth,
    costNetwork: raw.cost.networkUsdPerMonth,
  };
}

/**
 * The calibration after one more window. `raw` must be predicted for the observed placement with
 * calibrationIdentity; `smoothing` α in (0, 1] is the weight of this window.
 */
export function calibrationRefine(calibration: Calibration, raw: Prediction, observed: ObservedTerms, smoothing = 0.2): Calibration {
  assert(smoothing > 0 && smoothing <= 1, `smoothing must be in (0, 1], got ${smoothing}`);
  const predicted = rawTerms(raw);
  const next: Record<keyof Calibration, number> = { ...calibration };
  for (const term of Object.keys(calibrationIdentity) as (keyof Calibration)[]) {
    const measured = observed[term];
    const model = predicted[term];
    if (measured === null || !(measured > 0) || !(model > 0) || !Number.isFinite(model)) continue;
    if (term === "throughput" && !(raw.headroom < 1)) continue;
    const blended = (1 - smoothing) * calibration[term] + smoothing * (measured / model);
    next[term] = Math.min(factorMax, Math.max(factorMin, blended));
  }
  return next;
}
