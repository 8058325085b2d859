// The registry of workloads by the `kind` an experiment config names
// (experiments/schema-workload.ts): kind → the function that builds its WorkloadDriver. The
// executor calls `workloadDriverOf(config.workload, context)` once per run and gets either a
// driver or an error that says what is missing.
//
// Tuning that the config does not carry (ring size of a pi chain, service shards, frame size, …)
// has defaults documented with each driver; `tuning` overrides them per kind.

import { ErrorCode } from "../engine/io/errors.ts";
import { err, ok, type Result } from "../engine/io/result.ts";
import type { Workload, WorkloadKind } from "../experiments/schema-workload.ts";
import type { WorkloadContext, WorkloadDriver } from "./driver.ts";
import { monitoringDriver, type MonitoringDriverOptions } from "./monitoring/monitoring-driver.ts";
import { piChainDriver, type PiChainDriverOptions } from "./pi-chain/pi-chain-driver.ts";
import { streamPipelineDriver, type StreamPipelineDriverOptions } from "./stream-pipeline/stream-driver.ts";
import { syntheticDriver, type SyntheticDriverOptions } from "./synthetic.ts";
import { travelSagaDriver, type TravelSagaDriverOptions } from "./travel-saga/saga-driver.ts";

export type { ArrivalSource, Completion, MessageCost, PlacementHint, WorkloadContext, WorkloadDriver } from "./driver.ts";
export { sagaInvariantProblems } from "./travel-saga/saga-invariant.ts";

export type WorkloadTuning = {
  readonly "pi-chain"?: PiChainDriverOptions;
  readonly "travel-saga"?: TravelSagaDriverOptions;
  readonly "stream-pipeline"?: StreamPipelineDriverOptions;
  readonly monitoring?: MonitoringDriverOptions;
  readonly synthetic?: SyntheticDriverOptions;
};

type Builders = {
  readonly [Kind in WorkloadKind]?: (config: Extract<Workload, { kind: Kind }>, context: WorkloadContext, tuning: WorkloadTuning) => WorkloadDriver;
};

const builders: Builders = {
  "pi-chain": (config, context, tuning) => piChainDriver(config, context, tuning["pi-chain"]),
  "travel-saga": (config, context, tuning) => travelSagaDriver(config, context, tuning["travel-saga"]),
  "stream-pipeline": (config, context, tuning) => streamPipelineDriver(config, context, tuning["stream-pipeline"]),
  monitoring: (config, context, tuning) => monitoringDriver(config, context, tuning.monitoring),
  synthetic: (config, context, tuning) => syntheticDriver(config, context, tuning.synthetic),
};

/** The kinds that have a driver, in a fixed order. */
export function workloadKindsWithDriver(): WorkloadKind[] {
  return Object.keys(builders) as WorkloadKind[];
}

/**
 * The driver of a validated workload config. Fails with configInvalid when the kind has no
 * driver, or when the arrival process replays a trace and the runner passed no parsed times.
 */
export function workloadDriverOf(workload: Workload, context: WorkloadContext, tuning: WorkloadTuning = {}): Result<WorkloadDriver> {
  const build = builders[workload.kind] as ((config: Workload, context: WorkloadContext, tuning: WorkloadTuning) => WorkloadDriver) | undefined;
  if (build === undefined) {
    return err(ErrorCode.configInvalid,
      `/workload/kind: the workload kind '${workload.kind}' has no driver; the kinds that run are ${workloadKindsWithDriver().join(", ")}`);
  }
  if (workload.arrival?.kind === "trace" && context.traceTimesUs === undefined) {
    return err(ErrorCode.configInvalid,
      `/workload/arrival: the trace '${workload.arrival.path}' must be read and parsed (parseArrivalTrace) and passed as traceTimesUs`);
  }
  return ok(build(workload, context, tuning));
}
