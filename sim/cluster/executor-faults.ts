// The point executor's faults: the schedule the runner passed (a faults.schedule file, or the
// schedule a recorded run applied, for replay), else one drawn from the config's seeded fault
// model (sim/faults/fault-model.ts, from the run's "faults" random stream), applied to the
// SimCluster through a FaultInjector; every applied fault is recorded, in order, for the run's
// fault schedule file. Replaying that record with the same seed gives the same run.
//
// The config's rates map onto the simulator's fault vocabulary: nodeCrash → crash (+ restart),
// processPause → pause (+ resume), networkPartition → networkPartition (+ heal), spotPreemption →
// spotPreempt (+ restart), tornWrite → diskTornWrite on a DARQ node (+ restart). durationUsMean
// is the mean downtime, pause and partition length. zoneOutage has no model here and is refused.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Random } from "../../engine/io/random.ts";
import type { FaultRecord } from "../../experiments/results/fault-schedule.ts";
import type { Experiment } from "../../experiments/schema.ts";
import { faultCheck, type Fault } from "../faults/fault.ts";
import { faultSchedule, type FaultRates } from "../faults/fault-model.ts";
import { FaultInjector } from "../faults/injector.ts";
import { ClusterFaultTarget } from "./cluster-faults.ts";
import type { ClusterLayout } from "./executor-cluster.ts";
import type { SimCluster } from "./sim-cluster.ts";

/** Checks records from a file or a manifest; each problem names the record's index. */
export function faultsOfRecords(records: readonly FaultRecord[]): Fault[] {
  const problems: string[] = [];
  const faults: Fault[] = [];
  records.forEach((record, index) => {
    const checked = faultCheck({ timeUs: record.timeUs, fault: record.fault, targets: record.targets, params: record.params ?? {} });
    if (checked.fault === null) problems.push(...checked.problems.map((problem) => `fault ${index} (${record.fault} at ${record.timeUs} us): ${problem}`));
    else faults.push(checked.fault);
  });
  if (problems.length > 0) throw new SsmsError(ErrorCode.configInvalid, `the fault schedule does not fit the simulator: ${problems.join("; ")}`, { problems });
  return faults;
}

/** The faults the config's seeded model draws for this cluster, in time order. */
export function faultsOfModel(config: Experiment, layout: ClusterLayout, random: Random, durationUs: number): Fault[] {
  const model = config.faults?.model;
  if (model === undefined) return [];
  const rates = model.ratesPerHour;
  if ((rates.zoneOutage ?? 0) > 0) {
    throw new SsmsError(ErrorCode.configInvalid, "/faults/model/ratesPerHour/zoneOutage: the simulated cluster has no zone-outage model; use nodeCrash or a fault schedule that crashes a zone's nodes");
  }
  const simRates: FaultRates = {
    crash: rates.nodeCrash ?? 0, pause: rates.processPause ?? 0, networkPartition: rates.networkPartition ?? 0,
    spotPreempt: layout.spotNodes.length > 0 ? rates.spotPreemption ?? 0 : 0,
  };
  const nodes = [...layout.darqNodes, ...layout.computeNodes];
  const lengthUs = model.durationUsMean;
  const common = {
    durationUs, nodes, hosts: nodes, spotNodes: layout.spotNodes,
    ...(lengthUs === undefined ? {} : { downtimeUsMean: lengthUs, pauseUsMean: lengthUs, partitionUsMean: lengthUs }),
  };
  const faults = faultSchedule(random, { ...common, rates: simRates });
  // Torn writes hit DARQ nodes only (compute nodes have no log device): a stream of their own.
  const torn = rates.tornWrite ?? 0;
  if (torn > 0) faults.push(...faultSchedule(random.fork("torn"), { ...common, nodes: layout.darqNodes, rates: { diskTornWrite: torn } }));
  return faults.sort((a, b) => a.timeUs - b.timeUs);
}

/**
 * Schedules `faults` (times relative to the measured run, which starts at `startUs`) on the
 * cluster; the returned array fills with each fault as it is applied, in relative times again.
 */
export function faultsApply(cluster: SimCluster, faults: readonly Fault[], startUs: number): Fault[] {
  const applied: Fault[] = [];
  if (faults.length === 0) return applied;
  const injector = new FaultInjector({
    clock: cluster.sim.clock, target: new ClusterFaultTarget(cluster),
    onApplied: (fault) => {
      applied.push({ ...fault, timeUs: fault.timeUs - startUs });
      cluster.sim.fingerprintMixString(fault.fault);
    },
  });
  injector.schedule(faults.map((fault) => ({ ...fault, timeUs: fault.timeUs + startUs })));
  return applied;
}
