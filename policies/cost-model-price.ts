// USD per month of an assignment (rules in cost-model.ts). Runs after loadsCompute (it reads the
// per-node flushes, bytes, stored bytes and members). Provisioned lines are paid all month;
// usage lines are per second × seconds per month × usageFraction. Each group is multiplied by its
// calibration factor.

import type { Assignment, CostModelOptions } from "./cost-model.ts";
import { kindCode, type CompiledModel } from "./cost-model-input.ts";
import { linkClassOf, type Scratch } from "./cost-model-load.ts";

export type CostBreakdown = {
  readonly computeUsdPerMonth: number;
  readonly serverlessUsdPerMonth: number;
  readonly storageCapacityUsdPerMonth: number;
  readonly storageOperationsUsdPerMonth: number;
  readonly networkUsdPerMonth: number;
};

/** USD per step of an automaton on serverless: one invocation plus its billed GB-seconds. */
export function serverlessUsdPerStep(model: CompiledModel, workUs: number, speed: number): number {
  const plan = model.prices.serverless;
  const serviceUs = workUs / speed;
  const billedUs = Math.max(plan.billedDurationMinUs, Math.ceil(serviceUs / plan.billedDurationStepUs) * plan.billedDurationStepUs);
  const gb = plan.memoryMb / plan.mbPerGb;
  return plan.usdPerInvocation + (billedUs / 1e6) * gb * plan.usdPerGbSecond;
}

function provisionedUsdPerMonth(model: CompiledModel, options: CostModelOptions, scratch: Scratch): { compute: number; storage: number } {
  let compute = 0;
  let storage = 0;
  const gbPerByte = 1 / model.prices.bytesPerGb;
  for (let node = 0; node < model.nodeIds.length; node++) {
    if (model.up[node] === 0) continue;
    const kind = model.kind[node]!;
    const billed = options.idleProvisionedNodesBilled || scratch.members[node]! > 0;
    if (kind === kindCode.vm && billed) compute += model.fixedUsdPerMonth[node]!;
    if (kind !== kindCode.darq) continue;
    if (billed) storage += model.fixedUsdPerMonth[node]!;
    storage += scratch.stored[node]! * gbPerByte * model.usdPerGbMonth[node]!;
  }
  return { compute, storage };
}

function usageUsdPerS(model: CompiledModel, assignment: Assignment, scratch: Scratch): { serverless: number; storage: number; network: number } {
  const gbPerByte = 1 / model.prices.bytesPerGb;
  let storage = 0;
  for (let node = 0; node < model.nodeIds.length; node++) {
    if (model.kind[node] !== kindCode.darq) continue;
    storage += scratch.flushes[node]! * model.usdPerWrite[node]! + scratch.bytes[node]! * gbPerByte * model.usdPerGbWritten[node]!;
  }
  let serverless = 0;
  let network = 0;
  for (let index = 0; index < model.automatonIds.length; index++) {
    const darq = assignment.darq[index]!;
    if (darq < 0) continue;
    const compute = assignment.compute[index]!;
    const steps = model.steps[index]! * scratch.scale;
    if (compute < 0 || model.kind[compute] === kindCode.serverless) {
      const speed = compute < 0 ? model.prices.serverless.speedFactor : model.speed[compute]!;
      serverless += steps * serverlessUsdPerStep(model, model.workUs[index]!, speed);
    }
    const link = linkClassOf(model, compute, darq);
    network += model.logBytesPerS[index]! * scratch.scale * gbPerByte * model.linkUsdPerGb[link]!;
  }
  for (let edge = 0; edge < model.edgeFrom.length; edge++) {
    const source = assignment.darq[model.edgeFrom[edge]!]!;
    const target = assignment.darq[model.edgeTo[edge]!]!;
    if (source < 0 || target < 0 || source === target) continue;
    network += model.edgeBytes[edge]! * scratch.scale * gbPerByte * model.linkUsdPerGb[linkClassOf(model, source, target)]!;
  }
  return { serverless, storage, network };
}

export function priceCompute(model: CompiledModel, assignment: Assignment, options: CostModelOptions, scratch: Scratch): CostBreakdown {
  const secondsPerMonth = model.prices.hoursPerMonth * 3600 * options.usageFraction;
  const provisioned = provisionedUsdPerMonth(model, options, scratch);
  const usage = usageUsdPerS(model, assignment, scratch);
  const calibration = options.calibration;
  return {
    computeUsdPerMonth: provisioned.compute * calibration.costCompute,
    serverlessUsdPerMonth: usage.serverless * secondsPerMonth * calibration.costServerless,
    storageCapacityUsdPerMonth: provisioned.storage * calibration.costStorage,
    storageOperationsUsdPerMonth: usage.storage * secondsPerMonth * calibration.costStorage,
    networkUsdPerMonth: usage.network * secondsPerMonth * calibration.costNetwork,
  };
}
