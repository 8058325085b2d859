// What a run's PointResult says about its management layer: the objective score of the run as
// measured (the same scalar the policies minimise, from the measured throughput, p99 and USD/month:
// lower is better), and the manager's counts (policy runs, decisions, invalid, requested, refused,
// nodes added and removed) and the time to resume after crashes, so a table can set policies side
// by side.

import { objectiveDefault, objectiveScore, type Objective } from "../../policies/objective.ts";
import type { ManagerSetup } from "./manager-setup.ts";

export type MeasuredRun = { readonly throughputPerS: number; readonly latencyUsP99: number; readonly costUsdPerMonth: number };

/** The run's objective score as measured (lower is better). */
export function measuredScore(objective: Objective | undefined, run: MeasuredRun): number {
  return objectiveScore(objective ?? objectiveDefault, {
    costUsdPerMonth: run.costUsdPerMonth, throughputStepsPerS: run.throughputPerS, latencyUsP99: run.latencyUsP99,
  });
}

export function managerMetrics(setup: ManagerSetup, objective: Objective | undefined, run: MeasuredRun): Record<string, number> {
  const stats = setup.manager?.stats;
  return {
    objectiveScore: measuredScore(objective, run),
    managerRuns: stats?.runs ?? 0,
    managerDecisions: stats?.decisions ?? 0,
    managerInvalid: stats?.invalid ?? 0,
    managerRequested: stats?.requested ?? 0,
    managerRefused: stats?.refused ?? 0,
    poolNodesAdded: setup.actuators?.pools.stats.added ?? 0,
    poolNodesRemoved: setup.actuators?.pools.stats.removed ?? 0,
    ...(setup.resume?.metrics() ?? {}),
  };
}
