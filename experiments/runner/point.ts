// The contract between the runner and whatever runs one point of an experiment: the simulated
// cluster (mode "sim") or a live cluster (mode "live"). The runner validates the config, expands
// the sweep, reads input files, farms points out to worker threads and writes the results; an
// executor turns one frozen single-run config into one PointResult and knows nothing of sweeps,
// files or threads. Executors are registered per mode in executors.ts.
//
// Determinism: a sim executor must derive everything from (config, seed, options): same inputs,
// same PointResult, same fingerprint, on any machine and in any worker. `ssms replay` relies on
// it. PointResult must be structured-clone data (it crosses a worker boundary): plain objects,
// arrays, numbers, strings, typed arrays.

import type { Experiment } from "../schema.ts";
import type { FaultRecord } from "../results/fault-schedule.ts";
import type { TraceEvent } from "../results/trace-writer.ts";

export type { FaultRecord } from "../results/fault-schedule.ts";
export type { TraceEvent, TraceMessage, TraceStep } from "../results/trace-writer.ts";

export type RunMode = Experiment["mode"];

/** One sample of the time series: its time and metrics by name (throughputPerS, latencyUsP99, ...). */
export type TimeseriesSample = { readonly timeUs: number; readonly [metric: string]: number };

export type PointOptions = {
  /** Grid point index (0-based) and replication, for names and messages. */
  readonly pointIndex: number;
  readonly replication: number;
  /** Directory of the experiment file; relative paths in the config resolve against it. */
  readonly baseDir: string;
  /** Collect PointResult.trace (config outputs.trace). */
  readonly trace: boolean;
  /** Time-series sampling interval, µs (outputs.timeseriesIntervalUs, default min(1 s, duration)). */
  readonly timeseriesIntervalUs: number;
  /** Parsed arrival times (µs) when workload.arrival.kind is "trace"; the runner read the file. */
  readonly arrivalTimesUs?: Float64Array;
  /**
   * Faults to apply instead of drawing them from config.faults.model: the file named by
   * faults.schedule, or the schedule a recorded run applied (replay). Absent: use the model.
   */
  readonly faultSchedule?: readonly FaultRecord[];
};

export type PointResult = {
  /** Determinism proof: the run fingerprint (sim: Simulator.fingerprint(), 16 hex digits). */
  readonly fingerprint: string;
  readonly eventsProcessed: number;
  /** Time the run covered, µs (virtual time in sim mode). */
  readonly durationUs: number;
  /** Completed work per second: pi-chain steps, or completed requests/events of other workloads. */
  readonly throughputPerS: number;
  /** End-to-end latency percentiles of completed work, µs (NaN when nothing completed). */
  readonly latencyUsP50: number;
  readonly latencyUsP95: number;
  readonly latencyUsP99: number;
  /** The configuration's cost extrapolated to a month (sim: priced from the usage ledger). */
  readonly costUsdPerMonth: number;
  /** Samples every timeseriesIntervalUs; any metric names, timeUs increasing. */
  readonly timeseries: readonly TimeseriesSample[];
  /** The faults actually applied, in time order (written as the run's fault schedule). */
  readonly faultsApplied: readonly FaultRecord[];
  /** Steps and messages, when options.trace was set. */
  readonly trace?: readonly TraceEvent[];
  /** Further scalar metrics; each becomes a column of points.csv (e.g. costUsdRun, messagesSent). */
  readonly metrics?: Readonly<Record<string, number>>;
};

/** Runs one point. Sim executors are synchronous; live executors may return a promise. */
export type PointExecutor = (config: Experiment, seed: string, options: PointOptions) => PointResult | Promise<PointResult>;

/** The outcome of one point as the runner records it. */
export type PointOutcome =
  | { readonly ok: true; readonly result: PointResult }
  | { readonly ok: false; readonly error: { readonly code?: string; readonly message: string; readonly stack?: string } };

/** Names of the scalar metrics every PointResult carries, in points.csv column order. */
export const pointMetricNames = ["throughputPerS", "latencyUsP50", "latencyUsP95", "latencyUsP99", "costUsdPerMonth", "eventsProcessed", "durationUs"] as const;
export type PointMetricName = (typeof pointMetricNames)[number];

/** What is wrong with a value an executor returned, or undefined when it is a PointResult. */
export function pointResultProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "it is not an object";
  const result = value as Record<string, unknown>;
  if (typeof result["fingerprint"] !== "string" || result["fingerprint"] === "") return "fingerprint must be a non-empty string";
  for (const name of pointMetricNames) {
    const metric = result[name];
    // Latency percentiles may be NaN (nothing completed); everything else must be finite.
    const allowNaN = name.startsWith("latency");
    if (typeof metric !== "number" || !(Number.isFinite(metric) || (allowNaN && Number.isNaN(metric)))) return `${name} must be a finite number, got ${String(metric)}`;
  }
  if (!Array.isArray(result["timeseries"])) return "timeseries must be an array of samples";
  for (const sample of result["timeseries"] as unknown[]) {
    if (typeof sample !== "object" || sample === null || typeof (sample as Record<string, unknown>)["timeUs"] !== "number") return "every timeseries sample needs a numeric timeUs";
  }
  if (!Array.isArray(result["faultsApplied"])) return "faultsApplied must be an array (empty when no fault was applied)";
  const metrics = result["metrics"];
  if (metrics !== undefined && (typeof metrics !== "object" || metrics === null || Object.values(metrics).some((metric) => typeof metric !== "number"))) return "metrics must map names to numbers";
  if (metrics !== undefined && Object.keys(metrics).some((key) => (pointMetricNames as readonly string[]).includes(key))) return "metrics must not repeat a standard metric name";
  return undefined;
}
