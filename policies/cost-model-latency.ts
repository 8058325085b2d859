// Hop latency per automaton and for the whole system (rules in cost-model.ts). Runs after
// loadsCompute has filled the per-node commit and queue figures; writes per-automaton p50, p99,
// mean and storage share into the scratch arrays and returns the system's mixture quantiles.

import type { Assignment, CostModelOptions } from "./cost-model.ts";
import { kindCode, type CompiledModel } from "./cost-model-input.ts";
import { linkClassOf, linkCode, overloadUs, type Scratch } from "./cost-model-load.ts";
import { quantilesAt } from "./price-book.ts";
import { lognormalSigma, mixtureAdd, mixtureQuantile, mmcWaitQuantile } from "./stats.ts";

/** The inbound part of a hop (reused: latencyCompute allocates nothing per automaton). */
const inbound = { p50Us: 0, p99Us: 0, storageP50Us: 0 };

/** Network from the senders' DARQs plus the IN commit, averaged over senders by message rate. */
function inboundOf(model: CompiledModel, assignment: Assignment, scratch: Scratch, index: number, darq: number): void {
  const external = model.externalIn[index]!;
  let total = external;
  let remote = external;
  let netP50 = external * model.linkP50Us[linkCode.sameZone]!;
  let netP99 = external * model.linkP99Us[linkCode.sameZone]!;
  for (let position = model.inEdgeStart[index]!; position < model.inEdgeStart[index + 1]!; position++) {
    const edge = model.inEdgeList[position]!;
    const weight = model.edgeMessages[edge]!;
    const source = assignment.darq[model.edgeFrom[edge]!]!;
    total += weight;
    // Same physical DARQ: no network hop, and the sender's OUT record is already durable here.
    if (source === darq) continue;
    const link = linkClassOf(model, source, darq);
    remote += weight;
    netP50 += weight * model.linkP50Us[link]!;
    netP99 += weight * model.linkP99Us[link]!;
  }
  if (total === 0) {
    // A self-driven automaton: count one client hop.
    total = remote = 1;
    netP50 = model.linkP50Us[linkCode.sameZone]!;
    netP99 = model.linkP99Us[linkCode.sameZone]!;
  }
  const remoteShare = remote / total;
  inbound.p50Us = netP50 / total + remoteShare * scratch.commitP50[darq]!;
  inbound.p99Us = netP99 / total + remoteShare * scratch.commitP99[darq]!;
  inbound.storageP50Us = remoteShare * scratch.commitP50[darq]!;
}

/** Adds the cold-start tail to a quantile: chance `coldChance` of paying a cold start. */
function withColdStart(model: CompiledModel, valueUs: number, q: number, coldChance: number): number {
  if (coldChance <= 1 - q) return valueUs;
  const coldQ = Math.min(0.999999, Math.max(1e-6, 1 - (1 - q) / coldChance));
  return valueUs + quantilesAt(model.prices.serverless.coldStart, coldQ);
}

/** Latency of one automaton's hop; fills its scratch entries. */
function automatonLatency(model: CompiledModel, assignment: Assignment, options: CostModelOptions, scratch: Scratch, index: number): void {
  const darq = assignment.darq[index]!;
  const compute = assignment.compute[index]!;
  const steps = model.steps[index]! * scratch.scale;
  inboundOf(model, assignment, scratch, index, darq);
  const serverless = compute < 0 || model.kind[compute] === kindCode.serverless;
  const speed = compute < 0 ? model.prices.serverless.speedFactor : model.speed[compute]!;
  const serviceUs = model.workUs[index]! / speed;
  let waitP50 = 0;
  let waitP99 = 0;
  if (serverless) {
    // One sequential instance per automaton: M/M/1 at its own utilisation.
    const rho = (steps * serviceUs) / 1e6;
    const load = Math.min(rho, options.utilisationMax);
    waitP50 = mmcWaitQuantile(1, load, serviceUs, 0.5) + overloadUs(rho, 0.5, options);
    waitP99 = mmcWaitQuantile(1, load, serviceUs, 0.99) + overloadUs(rho, 0.99, options);
  } else {
    waitP50 = scratch.waitP50[compute]!;
    waitP99 = scratch.waitP99[compute]!;
  }
  const link = compute < 0 ? linkCode.sameZone : linkClassOf(model, darq, compute);
  const linkP50 = 2 * model.linkP50Us[link]!;
  const linkP99 = 2 * model.linkP99Us[link]!;
  const commitP50 = scratch.commitP50[darq]!;
  const commitP99 = scratch.commitP99[darq]!;
  const p50 = inbound.p50Us + linkP50 + waitP50 + serviceUs + commitP50;
  const tail = Math.hypot(inbound.p99Us - inbound.p50Us, linkP99 - linkP50, waitP99 - waitP50, commitP99 - commitP50);
  let p99 = p50 + tail;
  let median = p50;
  if (serverless) {
    const coldChance = Math.exp(-steps * (model.prices.serverless.idleExpiryUs / 1e6));
    median = withColdStart(model, p50, 0.5, coldChance);
    p99 = withColdStart(model, p99, 0.99, coldChance);
  }
  const sigma = lognormalSigma(median, p99);
  scratch.automatonP50[index] = median;
  scratch.automatonP99[index] = Math.max(p99, median);
  scratch.automatonMean[index] = median * Math.exp((sigma * sigma) / 2);
  scratch.automatonStorageP50[index] = inbound.storageP50Us + commitP50;
}

export type LatencySummary = { readonly p50Us: number; readonly p99Us: number; readonly meanUs: number };

/** Per-automaton hop latencies and the system's step-weighted mixture quantiles. */
export function latencyCompute(model: CompiledModel, assignment: Assignment, scale: number, options: CostModelOptions, scratch: Scratch): LatencySummary {
  const mixture = scratch.mixture;
  mixture.count = 0;
  let weightTotal = 0;
  let meanSum = 0;
  for (let index = 0; index < model.automatonIds.length; index++) {
    if (assignment.darq[index]! < 0) {
      scratch.automatonP50[index] = 0;
      scratch.automatonP99[index] = 0;
      scratch.automatonMean[index] = 0;
      scratch.automatonStorageP50[index] = 0;
      continue;
    }
    automatonLatency(model, assignment, options, scratch, index);
    const weight = model.steps[index]! * scale;
    if (weight <= 0) continue;
    mixtureAdd(mixture, weight, scratch.automatonP50[index]!, scratch.automatonP99[index]!);
    weightTotal += weight;
    meanSum += weight * scratch.automatonMean[index]!;
  }
  if (weightTotal === 0) return { p50Us: 0, p99Us: 0, meanUs: 0 };
  return { p50Us: mixtureQuantile(mixture, 0.5), p99Us: mixtureQuantile(mixture, 0.99), meanUs: meanSum / weightTotal };
}
