// The experiment that compares this machine live and simulated: the pi chain on two DARQ node
// processes with their spare compute, placed by co-location groups, on the calibrated profile.
// The calibration fits the idle hop with it (calibrate-command.ts) and bench/live-vs-sim.ts runs
// it both ways at each compute scale.

import type { PointOptions } from "../../experiments/runner/point.ts";
import type { Experiment } from "../../experiments/schema.ts";
import { calibratedProfileName, calibratedTier, calibratedVmSize } from "./calibrate-profile.ts";

export type CalibratedExperimentOptions = {
  readonly mode: "sim" | "live";
  readonly computeScale: number;
  readonly seconds: number;
  readonly chains: number;
  readonly colocation: "none" | "darq" | "darq-and-compute";
};

export function calibratedExperiment(options: CalibratedExperimentOptions): Experiment {
  const { mode, computeScale, seconds, chains, colocation } = options;
  return {
    name: "live-vs-sim", seed: 11, mode, durationS: seconds,
    workload: { kind: "pi-chain", chainCount: chains, computeScale },
    cluster: {
      profile: calibratedProfileName,
      compute: [{ name: "spare", kind: "darq-spare", count: 2 }],
      darq: [{ name: "darq", tier: "ssd", ssdTier: calibratedTier, count: 2 }],
    },
    placement: { policy: "groups", colocation, params: { darqVmSize: calibratedVmSize } },
    outputs: { timeseriesIntervalUs: 1_000_000 },
  } as Experiment;
}

/** How both run it: one point, no trace, a sample a second. */
export const calibratedPointOptions: PointOptions = {
  pointIndex: 0, replication: 0, baseDir: process.cwd(), trace: false, timeseriesIntervalUs: 1_000_000,
};
