// Loads and capacities of the cost model (rules in cost-model.ts): what each node carries under
// an assignment, its group-commit behaviour, its queueing delay, and the headroom of the tightest
// resource. All per-node figures live in reused typed arrays (Scratch), reset per prediction.

import type { CostModelOptions, Assignment } from "./cost-model.ts";
import { kindCode, type CompiledModel } from "./cost-model-input.ts";
import { mixtureCreate, mmcWaitQuantile, type Mixture } from "./stats.ts";

/** Link classes by code, in the order of price-book linkClasses. */
export const linkCode = { sameProcess: 0, sameVm: 1, sameZone: 2, crossZone: 3 } as const;

export type Scratch = {
  /** loadScale of the prediction in progress. */
  scale: number;
  offered: number;
  unplaced: number;
  // Per node.
  readonly busyCores: Float64Array;
  readonly stepRate: Float64Array;
  readonly records: Float64Array;
  readonly bytes: Float64Array;
  readonly darqSteps: Float64Array;
  readonly stored: Float64Array;
  readonly nicBytes: Float64Array;
  readonly members: Float64Array;
  readonly flushes: Float64Array;
  readonly commitP50: Float64Array;
  readonly commitP99: Float64Array;
  readonly waitP50: Float64Array;
  readonly waitP99: Float64Array;
  readonly utilisation: Float64Array;
  // Per automaton.
  readonly automatonP50: Float64Array;
  readonly automatonP99: Float64Array;
  readonly automatonMean: Float64Array;
  readonly automatonStorageP50: Float64Array;
  readonly mixture: Mixture;
};

export function scratchCreate(model: CompiledModel): Scratch {
  const nodes = model.nodeIds.length;
  const automata = model.automatonIds.length;
  const perNode = () => new Float64Array(nodes);
  const perAutomaton = () => new Float64Array(automata);
  return {
    scale: 1, offered: 0, unplaced: 0,
    busyCores: perNode(), stepRate: perNode(), records: perNode(), bytes: perNode(), darqSteps: perNode(),
    stored: perNode(), nicBytes: perNode(), members: perNode(), flushes: perNode(), commitP50: perNode(),
    commitP99: perNode(), waitP50: perNode(), waitP99: perNode(), utilisation: perNode(),
    automatonP50: perAutomaton(), automatonP99: perAutomaton(), automatonMean: perAutomaton(),
    automatonStorageP50: perAutomaton(), mixture: mixtureCreate(automata),
  };
}

/** The machine a node runs on: its host for darq-spare, itself otherwise. */
function machineOf(model: CompiledModel, node: number): number {
  return model.kind[node] === kindCode["darq-spare"] ? model.host[node]! : node;
}

/** Link class code between two nodes (see linkCode); -1 for a missing node means a client. */
export function linkClassOf(model: CompiledModel, source: number, target: number): number {
  if (source < 0 || target < 0) return linkCode.sameZone;
  if (source === target) return linkCode.sameProcess;
  const sourceMachine = machineOf(model, source);
  const targetMachine = machineOf(model, target);
  if (sourceMachine === targetMachine) {
    // Spare cores run inside the DARQ's process; two spare nodes of one host are two processes.
    return sourceMachine === source || targetMachine === target ? linkCode.sameProcess : linkCode.sameVm;
  }
  return model.zone[source] === model.zone[target] ? linkCode.sameZone : linkCode.crossZone;
}

/** Extra delay (µs) at quantile q of a queue at utilisation rho: growth over the horizon. */
export function overloadUs(rho: number, q: number, options: CostModelOptions): number {
  return rho > 1 ? (Math.min(rho, 1e3) - 1) * q * options.horizonS * 1e6 : 0;
}

function resetLoads(scratch: Scratch): void {
  scratch.offered = 0;
  scratch.unplaced = 0;
  for (const array of [scratch.busyCores, scratch.stepRate, scratch.records, scratch.bytes, scratch.darqSteps,
    scratch.stored, scratch.nicBytes, scratch.members, scratch.flushes, scratch.utilisation]) array.fill(0);
}

/** Accumulates per-node loads of `assignment` at `scale` × the input rates. */
export function loadsCompute(model: CompiledModel, assignment: Assignment, scale: number, options: CostModelOptions, scratch: Scratch): void {
  resetLoads(scratch);
  scratch.scale = scale;
  const count = model.automatonIds.length;
  for (let index = 0; index < count; index++) {
    const compute = assignment.compute[index]!;
    const darq = assignment.darq[index]!;
    const steps = model.steps[index]! * scale;
    if (darq < 0) {
      scratch.unplaced += steps;
      continue;
    }
    scratch.offered += steps;
    scratch.records[darq]! += (model.messagesIn[index]! + model.messagesOut[index]!) * scale + 2 * steps;
    scratch.bytes[darq]! += model.logBytesPerS[index]! * scale;
    scratch.darqSteps[darq]! += steps;
    scratch.stored[darq]! += model.logBytes[index]!;
    scratch.members[darq]! += 1;
    if (compute < 0) continue;
    scratch.busyCores[compute]! += (steps * model.workUs[index]!) / (model.speed[compute]! * 1e6);
    scratch.stepRate[compute]! += steps;
    scratch.members[compute]! += 1;
    if (model.host[compute]! >= 0) scratch.members[model.host[compute]!]! += 1;
    if (linkClassOf(model, compute, darq) >= linkCode.sameZone) {
      scratch.nicBytes[compute]! += model.logBytesPerS[index]! * scale;
      scratch.nicBytes[darq]! += model.logBytesPerS[index]! * scale;
    }
  }
  for (let edge = 0; edge < model.edgeFrom.length; edge++) {
    const source = assignment.darq[model.edgeFrom[edge]!]!;
    const target = assignment.darq[model.edgeTo[edge]!]!;
    if (source < 0 || target < 0 || linkClassOf(model, source, target) < linkCode.sameZone) continue;
    scratch.nicBytes[source]! += model.edgeBytes[edge]! * scale;
    scratch.nicBytes[target]! += model.edgeBytes[edge]! * scale;
  }
  commitCompute(model, options, scratch);
  queueCompute(model, options, scratch);
}

/** Group commit per DARQ node: flushes/s, batch wait and flush latency, device utilisation. */
function commitCompute(model: CompiledModel, options: CostModelOptions, scratch: Scratch): void {
  const periodS = options.commitPeriodUs / 1e6;
  for (let node = 0; node < model.nodeIds.length; node++) {
    if (model.kind[node] !== kindCode.darq) continue;
    const records = scratch.records[node]!;
    const bytes = scratch.bytes[node]!;
    const flushes = records > 0
      ? Math.max(records / (1 + records * periodS), records / options.batchRecordsMax, bytes / options.batchBytesMax)
      : 0;
    scratch.flushes[node] = flushes;
    // The device's busy fraction slows each flush (queueing at the device); the sequencer's
    // only counts toward overload.
    const deviceRho = Math.max(flushes / model.flushesPerSMax[node]!, bytes / model.bytesPerSMax[node]!);
    const rho = Math.max(deviceRho, scratch.darqSteps[node]! / options.darqStepsPerSMax);
    scratch.utilisation[node] = rho;
    const fillS = records > 0 ? options.batchRecordsMax / records : Number.POSITIVE_INFINITY;
    const waitMeanS = records > 0 ? Math.min((periodS * (1 + (records * periodS) / 2)) / (1 + records * periodS), fillS / 2) : periodS;
    const inflation = 1 / (1 - Math.min(deviceRho, options.utilisationMax));
    scratch.commitP50[node] = waitMeanS * 1e6 + model.flushP50Us[node]! * inflation + overloadUs(rho, 0.5, options);
    scratch.commitP99[node] = Math.min(periodS, fillS) * 1e6 + model.flushP99Us[node]! * inflation + overloadUs(rho, 0.99, options);
  }
}

/** M/M/c waiting time per provisioned compute node (serverless instances: cost-model-latency). */
function queueCompute(model: CompiledModel, options: CostModelOptions, scratch: Scratch): void {
  for (let node = 0; node < model.nodeIds.length; node++) {
    const kind = model.kind[node]!;
    scratch.waitP50[node] = 0;
    scratch.waitP99[node] = 0;
    if (kind === kindCode.darq) continue;
    const busy = scratch.busyCores[node]!;
    const cores = model.cores[node]!;
    const rho = cores > 0 ? busy / cores : busy > 0 ? 1e3 : 0;
    scratch.utilisation[node] = rho;
    if (kind === kindCode.serverless || busy === 0) continue;
    const serviceMeanUs = (busy * 1e6) / scratch.stepRate[node]!;
    const load = Math.min(busy, options.utilisationMax * Math.max(1, Math.floor(cores)));
    scratch.waitP50[node] = mmcWaitQuantile(cores, load, serviceMeanUs, 0.5) + overloadUs(rho, 0.5, options);
    scratch.waitP99[node] = mmcWaitQuantile(cores, load, serviceMeanUs, 0.99) + overloadUs(rho, 0.99, options);
  }
}

/**
 * The load factor k at which the flush rate F(k) = max(kR ÷ (1 + kRT), kR ÷ batchRecordsMax,
 * kB ÷ batchBytesMax) reaches the device's flush cap; each term is solved on its own. The first
 * (timer-sealed batches) never reaches a cap of at least 1 ÷ T: then only full batches count.
 */
export function flushHeadroom(flushesPerSMax: number, records: number, bytes: number, options: CostModelOptions): number {
  if (!Number.isFinite(flushesPerSMax)) return Number.POSITIVE_INFINITY;
  const periodS = options.commitPeriodUs / 1e6;
  const timerBound = flushesPerSMax * periodS >= 1 ? Number.POSITIVE_INFINITY : flushesPerSMax / (records * (1 - flushesPerSMax * periodS));
  const recordsBound = (flushesPerSMax * options.batchRecordsMax) / records;
  const bytesBound = bytes > 0 ? (flushesPerSMax * options.batchBytesMax) / bytes : Number.POSITIVE_INFINITY;
  return Math.min(timerBound, recordsBound, bytesBound);
}

export type Capacity = { readonly headroom: number; readonly bottleneck: string };

/** Headroom (capacity ÷ demand) of the tightest resource, and its name. */
export function capacityCompute(model: CompiledModel, assignment: Assignment, options: CostModelOptions, scratch: Scratch): Capacity {
  let headroom = Number.POSITIVE_INFINITY;
  let bottleneck = "none";
  const consider = (value: number, name: () => string): void => {
    if (value < headroom) {
      headroom = value;
      bottleneck = name();
    }
  };
  const bandwidth = model.prices.links.sameZone.bandwidthBytesPerS;
  for (let node = 0; node < model.nodeIds.length; node++) {
    const id = model.nodeIds[node]!;
    if (model.kind[node] === kindCode.darq) {
      const records = scratch.records[node]!;
      if (records > 0) consider(flushHeadroom(model.flushesPerSMax[node]!, records, scratch.bytes[node]!, options), () => `darq ${id} flushes`);
      if (scratch.bytes[node]! > 0) consider(model.bytesPerSMax[node]! / scratch.bytes[node]!, () => `darq ${id} bytes`);
      if (scratch.darqSteps[node]! > 0) consider(options.darqStepsPerSMax / scratch.darqSteps[node]!, () => `darq ${id} sequencer`);
    } else if (scratch.busyCores[node]! > 0) {
      consider(model.cores[node]! / scratch.busyCores[node]!, () => `compute ${id}`);
    }
    if (bandwidth !== null && scratch.nicBytes[node]! > 0) consider(bandwidth / scratch.nicBytes[node]!, () => `network ${id}`);
  }
  // A serverless automaton runs on one instance at a time: its own busy fraction must stay < 1.
  for (let index = 0; index < model.automatonIds.length; index++) {
    const compute = assignment.compute[index]!;
    if (assignment.darq[index]! < 0 || (compute >= 0 && model.kind[compute] !== kindCode.serverless)) continue;
    const busy = (model.steps[index]! * scratch.scale * model.workUs[index]!) / (model.prices.serverless.speedFactor * 1e6);
    if (busy > 0) consider(1 / busy, () => `serverless ${model.automatonIds[index]!}`);
  }
  return { headroom, bottleneck };
}
