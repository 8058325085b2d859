// How an experiment config becomes a live cluster on this machine (mode "live"): the same
// workload with the same driver, on node processes laid out from the config's pools.
//
// - DARQ pools: one node process per DARQ node (n1, n2, …), whatever the tier: live, every DARQ is
//   a file log with fdatasync group commit on this machine's disk.
// - darq-spare compute pools: the spare compute of those processes (always there).
// - vm and serverless pools: one compute-only process per node (c1, c2, …), sizes ignored (a
//   process is one event loop, so one core).
// - placement: the simulation executor's policies with the same meaning: "groups" places by the
//   workload's co-location groups and `colocation` (group-placement.ts), "hash" and
//   "round-robin" are the engine's.
// The cloud profile, prices and the optimizer/autoscaler do not apply to a live run on one
// machine; the result says so rather than pretending (costUsdPerMonth 0, `costPriced` 0).

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { ClusterSpec } from "./cluster-spec.ts";
import type { Experiment } from "../../experiments/schema.ts";
import type { ClusterUpOptions } from "./launcher.ts";

export type LiveLayout = Omit<ClusterUpOptions, "beforeNodes">;

/** Node processes a host of this many cores can run without each starving the others to a halt. */
export const liveNodesMax = 16;

export function liveLayoutOf(config: Experiment, seed: string, links: boolean): LiveLayout {
  const darqNodes = config.cluster.darq.reduce((sum, pool) => sum + pool.count, 0);
  const computeNodes = config.cluster.compute.filter((pool) => pool.kind !== "darq-spare").reduce((sum, pool) => sum + pool.count, 0);
  if (darqNodes + computeNodes > liveNodesMax) {
    throw new SsmsError(ErrorCode.configInvalid,
      `/cluster: a live run on one machine starts one process per node; ${darqNodes} DARQ and ${computeNodes} compute nodes exceed ${liveNodesMax}`);
  }
  return {
    darqNodes, computeNodes, placement: placementOfConfig(config), seed, links,
    workloads: [{ workload: config.workload }],
    // A live run's output should not wait on a slow first retry after a crash.
    detector: { heartbeatUs: 200_000, downAfterUs: 1_500_000 },
  };
}

/** The config's placement as the live cluster applies it (the simulation executor's policies). */
function placementOfConfig(config: Experiment): ClusterSpec["placement"] {
  const { policy, colocation = "none" } = config.placement;
  if (policy === "groups") return { policy, colocation };
  if (policy !== "hash" && policy !== "round-robin") {
    throw new SsmsError(ErrorCode.configInvalid, `/placement/policy: '${policy}' is not a placement policy a live cluster runs (groups, round-robin, hash)`);
  }
  if (colocation !== "none") {
    throw new SsmsError(ErrorCode.configInvalid, `/placement/colocation: colocation '${colocation}' needs placement policy "groups" (the ${policy} policy ignores co-location groups)`);
  }
  return { policy };
}
