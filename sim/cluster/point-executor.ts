// executePointSim: the PointExecutor of mode "sim" (experiments/runner/point.ts). One frozen
// experiment config and a seed become one run of a whole simulated SSMS deployment (SimCluster)
// and one PointResult:
//
//   1. the cluster: pools → DARQ and compute nodes (executor-cluster.ts); the placement keeps or
//      splits the workload's co-location groups as placement.colocation says (executor-placement.ts)
//   2. the workload: its driver (workloads/index.ts) gives the automaton definitions, the arrival
//      sources (injected lazily through one Client each: executor-arrivals.ts) and what counts as
//      finished work
//   3. warm-up: the automata the driver lists are activated first (executor-warmup.ts); the
//      measured run of durationS starts when they are placed, and its times count from there
//   4. measuring: every message a committed step sends goes through the meter (executor-meter.ts):
//      throughput = items of the throughput outcomes per second of the run; latency = commit time −
//      the work's start, percentiles from a log histogram; a sample every timeseriesIntervalUs
//   5. faults: the runner's schedule, else the config's seeded model (executor-faults.ts)
//   6. cost: the measured run's usage priced per month at pricing.utilisation (default 1), plus at peak
//      and at 10% as metrics (executor-sampler.ts)
//
// Deterministic: everything comes from (config, seed, options) through the Simulator's seams, so
// the same inputs give the same PointResult and fingerprint. The optimizer and autoscaler run on
// virtual-time timers during the measured run (sim/manager: monitor, policies, actuators), and the
// placement policies of policies/placement are placement names too (sim/manager/manager-setup.ts).

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { placementHash, placementRoundRobin, type Placement } from "../../engine/runtime/placement.ts";
import type { PointOptions, PointResult, TimeseriesSample, TraceEvent } from "../../experiments/runner/point.ts";
import { experimentDurationUs, type Experiment } from "../../experiments/schema.ts";
import type { WorkloadDriver } from "../../workloads/driver.ts";
import { workloadDriverOf } from "../../workloads/index.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import { RandomSim } from "../random-sim.ts";
import { clusterOfExperiment, type ClusterLayout } from "./executor-cluster.ts";
import { ArrivalPump } from "./executor-arrivals.ts";
import { faultsApply, faultsOfModel, faultsOfRecords } from "./executor-faults.ts";
import { CompletionMeter } from "./executor-meter.ts";
import { ledgerSince } from "./executor-ledger.ts";
import { groupPlacement } from "./executor-placement.ts";
import { pointCost, sampleEvery } from "./executor-sampler.ts";
import { traceRecorder } from "./executor-trace.ts";
import { warmUp } from "./executor-warmup.ts";
import { SimCluster } from "./sim-cluster.ts";
import { managerMetrics } from "../manager/manager-metrics.ts";
import { managedPlacementNames, ManagerSetup } from "../manager/manager-setup.ts";
import type { Objective } from "../../policies/objective.ts";
import { priceBookFromProfile } from "../../policies/price-book.ts";

/** Placement policies this executor knows by config name. */
export const placementPolicies = ["groups", "round-robin", "hash"] as const;
/** Trace events kept when options.trace is set (the run is not cut, only its trace). */
export const pointTraceSpansMax = 20_000;

function refuse(path: string, message: string): never {
  throw new SsmsError(ErrorCode.configInvalid, `${path}: ${message}`);
}

function configCheck(config: Experiment): void {
  if (config.mode !== "sim") refuse("/mode", `the simulated cluster runs mode "sim", this config is "${config.mode}"`);
}

function placementFor(config: Experiment, driver: WorkloadDriver, layout: ClusterLayout): Placement {
  const policy = config.placement.policy;
  if (policy === "groups") return groupPlacement(driver, layout);
  if (policy !== "round-robin" && policy !== "hash") {
    refuse("/placement/policy", `'${policy}' is not a placement policy of the simulation executor (${[...placementPolicies, ...managedPlacementNames].join(", ")})`);
  }
  if (layout.colocation !== "none") {
    refuse("/placement/colocation", `colocation '${layout.colocation}' needs placement policy "groups" (the ${policy} policy ignores co-location groups)`);
  }
  return policy === "hash" ? placementHash : placementRoundRobin;
}

/** A client name from a producer id: the address `client:<name>` may not contain '/'. */
function clientName(producer: string): string {
  return producer.replace(/[^A-Za-z0-9_.:-]/g, "_");
}

/** Zone of the DARQ node that hosts `id`, from the metadata automaton's records. */
function zoneFinder(cluster: SimCluster): (id: string) => string | undefined {
  const zones = new Map(cluster.config.darqNodes.map((node) => [node.name, node.zone]));
  const single = new Set(zones.values()).size === 1 ? cluster.config.darqNodes[0]!.zone : undefined;
  return (id) => {
    if (single !== undefined) return single;
    const darqNode = cluster.metadata?.automata[id]?.darqNode;
    return darqNode === undefined ? undefined : zones.get(darqNode);
  };
}

/** Steps committed by the DARQ nodes' current runtimes (a restarted node counts from its restart). */
function darqStepsOf(cluster: SimCluster): number {
  let steps = 0;
  for (const machine of cluster.darqMachines.values()) steps += machine.runtime?.darq.stats.stepsCommitted ?? 0;
  return steps;
}

type JobCounts = { readonly started: number; readonly queued: number };

/** Work started on each compute node so far, and how much of it waited for a busy core. */
function jobCountsOf(cluster: SimCluster): Map<string, JobCounts> {
  return new Map([...cluster.computeMachines].map(([name, machine]) => [name, machine.model.jobCounts()]));
}

/**
 * The share of work in the window that waited for a busy core (the live run's
 * piHandlerBackToBackShare), over the nodes there at both ends (a node added or removed meanwhile
 * has no window of its own).
 */
function queuedShare(before: Map<string, JobCounts>, after: Map<string, JobCounts>): number {
  let started = 0;
  let queued = 0;
  for (const [name, end] of after) {
    const start = before.get(name);
    if (start === undefined) continue;
    started += end.started - start.started;
    queued += end.queued - start.queued;
  }
  return started > 0 ? Math.round((queued / started) * 1000) / 1000 : 0;
}

/** The PointExecutor of mode "sim": one run of the simulated cluster for the config's duration. */
export function executePointSim(config: Experiment, seed: string, options: PointOptions): PointResult {
  configCheck(config);
  const profile = loadCloudProfile(config.cluster.profile);
  const { cluster: clusterConfig, layout } = clusterOfExperiment(config, seed, profile);
  const durationUs = experimentDurationUs(config);
  const context = { random: new RandomSim(seed).fork("workload"), mode: "sim" as const, ...(options.arrivalTimesUs === undefined ? {} : { traceTimesUs: options.arrivalTimesUs }) };
  const built = workloadDriverOf(config.workload, context);
  if (!built.ok) throw new SsmsError(built.code, built.reason);
  const driver = built.value;
  const manager = new ManagerSetup(config, layout, priceBookFromProfile(profile), seed);
  if (manager.placement !== null && layout.colocation !== "none") {
    refuse("/placement/colocation", `colocation '${layout.colocation}' needs placement policy "groups" (the ${config.placement.policy} policy ignores co-location groups)`);
  }
  const cluster = new SimCluster(clusterConfig, driver.definitions, manager.placement ?? placementFor(config, driver, layout));
  manager.bind(cluster);
  const meter = new CompletionMeter({ driver, nowUs: () => cluster.nowUs(), ledger: cluster.ledger, profile, zoneOf: zoneFinder(cluster) });
  const trace: TraceEvent[] = [];
  const warmupUs = warmUp(cluster, driver);
  const startUs = cluster.nowUs();
  const darqStepsBefore = darqStepsOf(cluster);
  const jobsBefore = jobCountsOf(cluster);
  const ledgerBefore = cluster.ledger.toData();
  cluster.stepHooks.onCommitted = meter.onCommitted;
  if (options.trace) traceRecorder(cluster, meter, trace, pointTraceSpansMax);
  manager.attach(driver, startUs + durationUs);
  const faults = options.faultSchedule !== undefined ? faultsOfRecords(options.faultSchedule)
    : faultsOfModel(config, layout, cluster.sim.random.fork("faults"), durationUs);
  const applied = faultsApply(cluster, faults, startUs);
  const arrivals = new ArrivalPump(cluster.sim.clock, startUs + durationUs);
  for (const source of driver.sources) arrivals.start(source, cluster.client(clientName(source.producer), source.producer));
  const timeseries: TimeseriesSample[] = [];
  sampleEvery(cluster, meter, options.timeseriesIntervalUs, durationUs, timeseries);
  cluster.runFor(durationUs);
  const cost = pointCost(ledgerSince(ledgerBefore, cluster.ledger.toData()), profile, config.pricing?.utilisation ?? 1);
  const measured = { throughputPerS: (meter.itemsAll * 1e6) / durationUs, latencyUsP99: Math.round(meter.latencyAll.quantile(0.99)), costUsdPerMonth: cost.costUsdPerMonth };
  const outcomes = Object.fromEntries(driver.outcomes.map((outcome, index) => [`completed_${outcome}`, meter.outcomeCounts[index]!]));
  return {
    fingerprint: cluster.sim.fingerprint(),
    eventsProcessed: cluster.sim.eventsProcessed,
    durationUs,
    throughputPerS: (meter.itemsAll * 1e6) / durationUs,
    latencyUsP50: Math.round(meter.latencyAll.quantile(0.5)),
    latencyUsP95: Math.round(meter.latencyAll.quantile(0.95)),
    latencyUsP99: Math.round(meter.latencyAll.quantile(0.99)),
    costUsdPerMonth: cost.costUsdPerMonth,
    timeseries,
    faultsApplied: applied,
    ...(options.trace ? { trace } : {}),
    metrics: {
      ...cost.metrics, ...outcomes, ...managerMetrics(manager, config.objective as Objective | undefined, measured),
      itemsCompleted: meter.itemsAll, messagesCommitted: meter.messagesCommitted, arrivalsInjected: arrivals.stats.injected,
      arrivalsRefused: arrivals.stats.refused, payloadBytes: meter.payloadBytes, blobBytes: meter.blobBytes,
      warmupUs, darqSteps: darqStepsOf(cluster) - darqStepsBefore, darqNodes: layout.darqNodes.length, computeNodes: layout.computeNodes.length + layout.spareOf.size,
      computeQueuedShare: queuedShare(jobsBefore, jobCountsOf(cluster)),
    },
  };
}
