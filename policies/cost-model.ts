// The cost model (paper §3.4): for a placement and a predicted workload, predict throughput,
// latency percentiles and USD per month. Rules come from the cloud profile (through the
// PriceBook) and are refined from observations by per-term correction factors (calibration.ts).
// Everything is closed form, so the optimizer can score thousands of candidates per run.
//
// Workload: per automaton, steps/s λ, messages in/out per s, compute per step W (baseline
// core-µs), log bytes/s, live log bytes; per talk edge, messages/s and bytes/s. `loadScale`
// multiplies every rate (a forecast); placement maps each automaton to a compute node (or none:
// served by on-demand serverless) and a DARQ node (or none: unplaced, not served).
//
// Throughput rules (cost-model-load.ts). The sustainable rate is the offered rate times the
// smallest headroom k over these resources (k = capacity ÷ demand):
// - compute node (vm, darq-spare): busy cores a = Σ λ·W ÷ (speed·10^6) against its cores.
// - serverless: each automaton is one sequential instance (a = λ·W ÷ (speed·10^6) against 1);
//   a serverless node's concurrent-instance cap bounds the sum.
// - DARQ node, group commit: records R = Σ (in + out + 2λ) (each step writes a STEP and a SELF
//   record), bytes B = Σ log bytes/s. A batch opens with its first record and seals after
//   commitPeriodUs T or when full, so flushes/s F = max(R ÷ (1 + R·T), R ÷ batchRecordsMax,
//   B ÷ batchBytesMax) (the first term is exact for Poisson arrivals: one batch per T plus the
//   idle gap before the next record). Capacity: the load at which F reaches the device's flush
//   cap (disk IOPS), each term solved for it: timer-sealed batches alone reach a cap below 1 ÷ T
//   at R = cap ÷ (1 − cap·T) (a 500-IOPS disk under a 1 ms period saturates at 1000 records/s,
//   however small the records), full batches at R = cap·batchRecordsMax; the device byte cap
//   bounds B; the sequencer bounds steps at darqStepsPerSMax (paper §4.2: 750k steps/s).
// - network: bytes a node sends or receives over a network link (not within one process)
//   against the same-zone link bandwidth, where the profile gives one.
// - closed loop (closedLoopMessages N, e.g. the pi chain's circulating tasks): by Little's law
//   throughput ≤ N ÷ mean hop latency. This is how co-location raises throughput: it removes
//   network hops and IN commits from every hop.
//
// Latency rules (cost-model-latency.ts), one hop = a message's release by its sender to the
// durable commit of the step that consumed it; components add:
// - in: one-way link from the sender's DARQ (clients: a same-zone link) plus the IN record's
//   commit at the receiver's DARQ; senders on the same physical DARQ cost nothing here: no hop,
//   and their OUT record is durable in the shared log (co-located automata share a group
//   commit). Mixed senders are averaged by message rate.
// - dispatch and submit: two one-way links between the automaton's DARQ and compute node (zero
//   when the compute is the DARQ machine's spare cores: same process).
// - queueing at compute: M/M/c with c = cores and the node's rate-weighted mean service time;
//   waiting-time quantile t_q = ln(C ÷ (1 − q)) ÷ (cμ − λ), C from Erlang C.
// - service: W ÷ speed.
// - commit: the wait for the batch to seal (mean T·(1 + R·T/2) ÷ (1 + R·T), at most the fill
//   time batchRecordsMax ÷ R; its p99 is T) plus the tier's flush latency, inflated by
//   1 ÷ (1 − ρ) when a capped device is busy a fraction ρ of its flushes.
// - cold start (serverless, on demand): a step finds its instance expired with chance
//   f = e^(−λ·idleExpiry); when f > 1 − q the q-quantile adds the cold start's quantile at
//   1 − (1 − q) ÷ f.
// Percentiles: a hop's p50 is the sum of component medians; its p99 adds the root-sum-square of
// the components' tail excesses (p99 − p50), as for independent parts. The system's p50/p99 are
// quantiles of the mixture of per-automaton lognormals (fitted to each p50/p99), weighted by
// steps/s. Overload (ρ ≥ utilisationMax): queues grow for the whole horizon H, so the q-quantile
// adds (ρ − 1)·q·H on top of the queue at utilisationMax: finite, and larger the worse the
// overload, so an optimizer still sees which way is better.
//
// Cost rules (cost-model-price.ts), per month = hoursPerMonth × 3600 s; usage lines are scaled by
// usageFraction (the month runs at the predicted load that fraction of the time, as the
// simulator's pricing does):
// - compute: each up VM node, usdPerHour × hours (spot: × (1 − discount)).
// - storage capacity: each up DARQ node's host VM (replicated memory: × replicas, the paper's
//   "3-way replication" pricing), its disk's monthly price, and stored GB × usdPerGbMonth.
// - storage operations: one write request per flush (F × usdPerWrite) plus bytes written ×
//   usdPerGbWritten, per second × month × usageFraction. Group commit is what keeps blob cheap.
// - serverless: per step one invocation, billed max(min, ⌈W ÷ speed ÷ step⌉·step) µs at the
//   configured memory: λ·(usdPerInvocation + billedS·GB·usdPerGbSecond).
// - network: talk bytes between different DARQ nodes and log bytes between an automaton's
//   compute and DARQ, each × usdPerGb of the link class (cross zone costs on AWS).
// Provisioned nodes cost whether used or not, unless idleProvisionedNodesBilled is false (the
// optimizer's "consolidate" view: the autoscaler will remove empty nodes).
//
// Refinement: `calibration` multiplies each term (throughput, p50, p99, and the four cost
// groups) by a factor learned from observations by exponential smoothing (calibration.ts).

import { darqConfigDefault } from "../engine/darq/darq-config.ts";
import { compileModel, type CompiledModel, type ModelInput } from "./cost-model-input.ts";
import { latencyCompute } from "./cost-model-latency.ts";
import { capacityCompute, loadsCompute, scratchCreate, type Scratch } from "./cost-model-load.ts";
import { priceCompute, type CostBreakdown } from "./cost-model-price.ts";
import { calibrationIdentity, type Calibration } from "./calibration.ts";
import type { Observation } from "./observation.ts";

export type { CostBreakdown } from "./cost-model-price.ts";

export type CostModelOptions = {
  readonly commitPeriodUs: number;
  readonly batchRecordsMax: number;
  readonly batchBytesMax: number;
  readonly darqStepsPerSMax: number;
  /** Utilisation from which a queue counts as overloaded (0 < u < 1). */
  readonly utilisationMax: number;
  /** How far ahead the prediction looks: overload growth, the optimizer's gain horizon. */
  readonly horizonS: number;
  /** Fraction of the month the predicted load runs (usage-priced lines only). */
  readonly usageFraction: number;
  readonly idleProvisionedNodesBilled: boolean;
  /** Messages circulating in a closed-loop workload; null for open-loop arrivals. */
  readonly closedLoopMessages: number | null;
  readonly calibration: Calibration;
};

export const costModelOptionsDefault: CostModelOptions = Object.freeze({
  commitPeriodUs: darqConfigDefault.commitPeriodUs,
  batchRecordsMax: darqConfigDefault.batchRecordsMax,
  batchBytesMax: darqConfigDefault.batchBytesMax,
  darqStepsPerSMax: 750_000,
  utilisationMax: 0.95,
  horizonS: 60,
  usageFraction: 1,
  idleProvisionedNodesBilled: true,
  closedLoopMessages: null,
  calibration: calibrationIdentity,
});

export type Prediction = {
  /** Steps/s the workload offers to placed automata (× loadScale). */
  readonly offeredStepsPerS: number;
  readonly throughputStepsPerS: number;
  /** Capacity ÷ demand of the tightest resource (≥ 1: no bottleneck at this load). */
  readonly headroom: number;
  /** The tightest resource, e.g. "compute vm-1", "darq d-1 flushes", "closed loop". */
  readonly bottleneck: string;
  readonly latencyUsP50: number;
  readonly latencyUsP99: number;
  readonly latencyUsMean: number;
  readonly costUsdPerMonth: number;
  readonly cost: CostBreakdown;
  /** Steps/s of automata with no DARQ node: not served by this placement. */
  readonly unplacedStepsPerS: number;
};

/** compute[i], darq[i]: node indices of automaton i (-1: none). */
export type Assignment = { readonly compute: Int32Array; readonly darq: Int32Array };

export class CostModel {
  readonly compiled: CompiledModel;
  readonly options: CostModelOptions;
  private readonly scratch: Scratch;

  constructor(readonly input: ModelInput, options: Partial<CostModelOptions> = {}) {
    this.compiled = compileModel(input);
    this.options = { ...costModelOptionsDefault, ...options };
    this.scratch = scratchCreate(this.compiled);
  }

  /** The placement the input describes (unknown node ids count as none). */
  assignmentNow(): Assignment {
    const count = this.input.automata.length;
    const assignment = { compute: new Int32Array(count), darq: new Int32Array(count) };
    this.input.automata.forEach((automaton, index) => {
      const { computeNode, darqNode } = automaton.placement;
      assignment.compute[index] = computeNode === null ? -1 : this.compiled.nodeIndex.get(computeNode) ?? -1;
      assignment.darq[index] = darqNode === null ? -1 : this.compiled.nodeIndex.get(darqNode) ?? -1;
    });
    return assignment;
  }

  /** Per automaton p50/p99 hop latency and the storage part of its p50, µs, from the last predict. */
  get automatonLatencyUsP50(): Float64Array { return this.scratch.automatonP50; }
  get automatonLatencyUsP99(): Float64Array { return this.scratch.automatonP99; }
  get automatonStorageUsP50(): Float64Array { return this.scratch.automatonStorageP50; }
  /** Per node utilisation of its binding capacity (cores, flushes, bytes), from the last predict. */
  get nodeUtilisation(): Float64Array { return this.scratch.utilisation; }

  /** Predicts throughput, latency and cost of `assignment` at `loadScale` × the input's rates. */
  predict(assignment: Assignment, loadScale = 1): Prediction {
    const { compiled, options, scratch } = this;
    loadsCompute(compiled, assignment, loadScale, options, scratch);
    const capacity = capacityCompute(compiled, assignment, options, scratch);
    const latency = latencyCompute(compiled, assignment, loadScale, options, scratch);
    const cost = priceCompute(compiled, assignment, options, scratch);
    const calibration = options.calibration;
    let throughput = scratch.offered * Math.min(1, capacity.headroom);
    let bottleneck = capacity.bottleneck;
    if (options.closedLoopMessages !== null && latency.meanUs > 0) {
      const loopStepsPerS = (options.closedLoopMessages * 1e6) / latency.meanUs;
      const capacityStepsPerS = scratch.offered * capacity.headroom;
      throughput = Math.min(loopStepsPerS, capacityStepsPerS);
      if (loopStepsPerS <= capacityStepsPerS) bottleneck = "closed loop";
    }
    const costUsdPerMonth = cost.computeUsdPerMonth + cost.serverlessUsdPerMonth + cost.storageCapacityUsdPerMonth +
      cost.storageOperationsUsdPerMonth + cost.networkUsdPerMonth;
    return {
      offeredStepsPerS: scratch.offered,
      throughputStepsPerS: throughput * calibration.throughput,
      headroom: capacity.headroom,
      bottleneck,
      latencyUsP50: latency.p50Us * calibration.latencyP50,
      latencyUsP99: latency.p99Us * calibration.latencyP99,
      latencyUsMean: latency.meanUs * calibration.latencyP50,
      costUsdPerMonth,
      cost,
      unplacedStepsPerS: scratch.unplaced,
    };
  }
}

/** A model of the observed cluster and workload (nodes, automata and talk as observed). */
export function costModelFromObservation(observation: Observation, options: Partial<CostModelOptions> = {}): CostModel {
  return new CostModel({ nodes: observation.nodes, automata: observation.automata, talk: observation.talk, prices: observation.prices }, options);
}
