// Policies by the names experiment configs use (experiments/schema.ts: placement.policy,
// optimizer.policy, autoscaler.policy). The runner looks a policy up once per run and calls it on
// its cadence with (observation, params, random, context). Unknown names are config errors that
// list the known ones.

import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import { autoscalerPoolVertical } from "./autoscaler/pool-vertical.ts";
import { autoscalerTargetUtilization } from "./autoscaler/target-utilization.ts";
import { optimizerColocation } from "./optimizer/colocation.ts";
import { optimizerDeactivation } from "./optimizer/deactivation.ts";
import { optimizerFailover } from "./optimizer/failover.ts";
import { optimizerGreedyCost } from "./optimizer/greedy-cost.ts";
import { optimizerMerge } from "./optimizer/merge.ts";
import { optimizerScaleCompute } from "./optimizer/scale-compute.ts";
import { optimizerScaleStorage } from "./optimizer/scale-storage.ts";
import { optimizerServerlessSwitch } from "./optimizer/serverless-switch.ts";
import { optimizerStandby } from "./optimizer/standby.ts";
import { pipelineOf } from "./pipeline.ts";
import { placementLeastLoaded } from "./placement/least-loaded.ts";
import { placementRandom } from "./placement/random.ts";
import { placementRoundRobin } from "./placement/round-robin.ts";
import { placementStatic } from "./placement/static.ts";
import type { Policy } from "./policy.ts";

export type PolicyRole = "placement" | "optimizer" | "autoscaler";

export const placementPolicies: Readonly<Record<string, Policy>> = Object.freeze({
  "static": placementStatic,
  "random": placementRandom,
  "round-robin": placementRoundRobin,
  "least-loaded": placementLeastLoaded,
});

const optimizerStages: Readonly<Record<string, Policy>> = Object.freeze({
  "none": () => [],
  "failover": optimizerFailover,
  "standby": optimizerStandby,
  "deactivation": optimizerDeactivation,
  "colocation": optimizerColocation,
  "merge": optimizerMerge,
  "serverless-switch": optimizerServerlessSwitch,
  "scale-compute": optimizerScaleCompute,
  "scale-storage": optimizerScaleStorage,
  "greedy-cost": optimizerGreedyCost,
});

/** The manager's default optimizer pipeline: safety first, then savings, then the search. */
export const optimizerPipelineDefault = "failover,standby,deactivation,colocation,greedy-cost";

export const optimizerPolicies: Readonly<Record<string, Policy>> = Object.freeze({
  ...optimizerStages,
  pipeline: pipelineOf(optimizerStages, optimizerPipelineDefault, "optimizer.params"),
});

const autoscalerStages: Readonly<Record<string, Policy>> = Object.freeze({
  "none": () => [],
  "target-utilization": autoscalerTargetUtilization,
  "pool-vertical": autoscalerPoolVertical,
});

export const autoscalerPolicies: Readonly<Record<string, Policy>> = Object.freeze({
  ...autoscalerStages,
  pipeline: pipelineOf(autoscalerStages, "target-utilization,pool-vertical", "autoscaler.params"),
});

const byRole: Readonly<Record<PolicyRole, Readonly<Record<string, Policy>>>> = {
  placement: placementPolicies,
  optimizer: optimizerPolicies,
  autoscaler: autoscalerPolicies,
};

/** The policy a config names; an unknown name is a config error listing the known ones. */
export function policyNamed(role: PolicyRole, name: string): Policy {
  const policies = byRole[role];
  if (Object.hasOwn(policies, name)) return policies[name]!;
  throw new SsmsError(ErrorCode.configInvalid, `${role}.policy: unknown policy '${name}' (known: ${Object.keys(policies).join(", ")})`);
}
