// Objectives: the user's weighting function that rolls a prediction into one scalar (paper §3.4).
// LOWER IS BETTER for every objective, so optimizers always minimise.
//
// The shapes are those of the experiment config's `objective` section (experiments/schema.ts),
// so the runner passes the validated config through unchanged:
// - weighted: costWeight·USD/month − throughputWeight·steps/s + latencyWeight·p99 ms.
// - min-cost-p99: USD/month while p99 ≤ latencyUsP99Max; otherwise infeasible.
// - max-throughput-budget: −steps/s while USD/month ≤ costUsdPerMonthMax; otherwise infeasible.
// An infeasible configuration scores penaltyBase·(1 + violation) plus its own term, where
// violation is relative (p99 ÷ bound − 1, cost ÷ budget − 1). penaltyBase is far above any
// feasible score, so every feasible configuration beats every infeasible one; and the penalty
// grows with the violation, so among infeasible ones the optimizer still sees which way is
// better (a gradient toward feasibility).

import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import type { Prediction } from "./cost-model.ts";

export type Objective =
  | { readonly kind: "weighted"; readonly params: { readonly costWeight: number; readonly throughputWeight: number; readonly latencyWeight: number } }
  | { readonly kind: "min-cost-p99"; readonly params: { readonly latencyUsP99Max: number } }
  | { readonly kind: "max-throughput-budget"; readonly params: { readonly costUsdPerMonthMax: number } };

/** What an objective reads of a prediction. */
export type Scored = Pick<Prediction, "costUsdPerMonth" | "throughputStepsPerS" | "latencyUsP99">;

/** Above any feasible score (budgets and costs in this testbed stay below 10^9 USD/month). */
export const penaltyBase = 1e12;

/** The default when a config names none: cheapest configuration whose p99 stays under 50 ms. */
export const objectiveDefault: Objective = Object.freeze({ kind: "min-cost-p99", params: Object.freeze({ latencyUsP99Max: 50_000 }) });

function penalty(violation: number): number {
  return penaltyBase * (1 + Math.min(violation, 1e6));
}

/** One scalar per configuration; lower is better. */
export function objectiveScore(objective: Objective, scored: Scored): number {
  switch (objective.kind) {
    case "weighted": {
      const { costWeight, throughputWeight, latencyWeight } = objective.params;
      return costWeight * scored.costUsdPerMonth - throughputWeight * scored.throughputStepsPerS + latencyWeight * (scored.latencyUsP99 / 1000);
    }
    case "min-cost-p99": {
      const bound = objective.params.latencyUsP99Max;
      if (scored.latencyUsP99 <= bound) return scored.costUsdPerMonth;
      return penalty(scored.latencyUsP99 / bound - 1) + scored.costUsdPerMonth;
    }
    case "max-throughput-budget": {
      const budget = objective.params.costUsdPerMonthMax;
      if (scored.costUsdPerMonth <= budget) return -scored.throughputStepsPerS;
      return penalty(scored.costUsdPerMonth / budget - 1) - scored.throughputStepsPerS;
    }
  }
}

/** True when the prediction meets the objective's constraint (weighted has none). */
export function objectiveFeasible(objective: Objective, scored: Scored): boolean {
  switch (objective.kind) {
    case "weighted":
      return true;
    case "min-cost-p99":
      return scored.latencyUsP99 <= objective.params.latencyUsP99Max;
    case "max-throughput-budget":
      return scored.costUsdPerMonth <= objective.params.costUsdPerMonthMax;
  }
}

function positive(value: unknown, path: string, problems: string[]): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) problems.push(`${path} must be a finite number > 0, got ${String(value)}`);
  return value as number;
}

function nonNegative(value: unknown, path: string, problems: string[]): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) problems.push(`${path} must be a finite number ≥ 0, got ${String(value)}`);
  return value as number;
}

/**
 * Checks an objective given as data (the experiment schema already does this for configs; this
 * guards other callers). Throws SsmsError(configInvalid) naming every problem with its path.
 */
export function objectiveParse(value: unknown, where = "objective"): Objective {
  const problems: string[] = [];
  const record = (typeof value === "object" && value !== null ? value : {}) as { kind?: unknown; params?: Record<string, unknown> };
  const params = record.params ?? {};
  const known: Record<string, readonly string[]> = {
    "weighted": ["costWeight", "throughputWeight", "latencyWeight"],
    "min-cost-p99": ["latencyUsP99Max"],
    "max-throughput-budget": ["costUsdPerMonthMax"],
  };
  const names = typeof record.kind === "string" ? known[record.kind] : undefined;
  if (names === undefined) {
    throw new SsmsError(ErrorCode.configInvalid, `${where}.kind must be one of ${Object.keys(known).join(", ")}, got ${String(record.kind)}`);
  }
  for (const key of Object.keys(params)) if (!names.includes(key)) problems.push(`${where}.params.${key}: unknown key (known: ${names.join(", ")})`);
  let objective: Objective;
  if (record.kind === "weighted") {
    const check = (name: string) => nonNegative(params[name], `${where}.params.${name}`, problems);
    objective = { kind: "weighted", params: { costWeight: check("costWeight"), throughputWeight: check("throughputWeight"), latencyWeight: check("latencyWeight") } };
  } else if (record.kind === "min-cost-p99") {
    objective = { kind: "min-cost-p99", params: { latencyUsP99Max: positive(params["latencyUsP99Max"], `${where}.params.latencyUsP99Max`, problems) } };
  } else {
    objective = { kind: "max-throughput-budget", params: { costUsdPerMonthMax: positive(params["costUsdPerMonthMax"], `${where}.params.costUsdPerMonthMax`, problems) } };
  }
  if (problems.length > 0) throw new SsmsError(ErrorCode.configInvalid, problems.join("; "));
  return objective;
}
