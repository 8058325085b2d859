// The pi-chain workload as the executor runs it (driver.ts): the task rings of piChainDefinition,
// jobs that start chains, and completions counted per task.
//
// Jobs: without an `arrival` block all `chainCount` chains start at the start time, one job
// each (the paper's setup). With one, jobs arrive by that process; job k (from 1) runs on chain
// (k − 1) mod chainCount. The schema gives the pi chain no rate of its own, so the base rate is
// `jobsPerS` (default: chainCount jobs per second). Chains without `chainHops` never end, so
// then only chainCount jobs are started and the arrival process only staggers their starts.
//
// Completion: a task is complete when the step that ran it commits, which is when its successor
// task leaves (that message carries the finished task's start in `previousStartUs`) or, for a
// job's last task, when its `completed` message goes to the sink. Throughput = tasks per second.

import type { AutomatonId } from "../../engine/runtime/ids.ts";
import { automatonIdKey, automatonIdType } from "../../engine/runtime/ids.ts";
import type { Workload } from "../../experiments/schema-workload.ts";
import { arrivalProcessOf } from "../arrivals/arrivals.ts";
import {
  ArrivalsAtStart, CompletionScratch, hint, MessageCostScratch,
  type ArrivalSource, type Completion, type MessageCost, type PlacementHint, type WorkloadContext, type WorkloadDriver,
} from "../driver.ts";
import { piDecimalsOfScale, piWorkCoreUs } from "../pi/pi-work.ts";
import { sink, sinkCompletion } from "../sink.ts";
import { piChainDefinition, piFirstTask, piTaskKeyParse, piTaskType, type PiTask } from "./pi-chain.ts";

export type PiChainConfig = Extract<Workload, { kind: "pi-chain" }>;

/** Tuning the config does not carry; defaults are the paper's setup. */
export type PiChainDriverOptions = {
  /** Task automata per chain; 2 makes every hop cross to another automaton (default 2). */
  readonly ringSize?: number;
  /** Base job rate when the config has an arrival block (default chainCount per second). */
  readonly jobsPerS?: number;
  /** Overrides the calibrated work per task, core-µs (tests, what-if runs). */
  readonly workCoreUs?: number;
};

const defaultMessageBytes = 256;

export function piChainDriver(config: PiChainConfig, context: WorkloadContext, options: PiChainDriverOptions = {}): WorkloadDriver {
  const ringSize = options.ringSize ?? 2;
  const live = context.mode === "live";
  const messageBytes = config.messageBytes ?? defaultMessageBytes;
  const chainHops = config.chainHops ?? Number.POSITIVE_INFINITY;
  const definition = piChainDefinition({
    chainCount: config.chainCount,
    ringSize,
    chainHops,
    workCoreUs: options.workCoreUs ?? piWorkCoreUs(config.computeScale),
    decimals: piDecimalsOfScale(config.computeScale),
    computeForReal: live,
    payloadBytes: live ? messageBytes : 0,
    sinkKind: "pi-chain",
  });
  const payload = live ? new Uint8Array(messageBytes) : undefined;
  const source = jobSource(config, context, options, payload);
  const completion = new CompletionScratch();
  const cost = new MessageCostScratch();
  return {
    kind: "pi-chain",
    definitions: [definition, sink],
    *automata() {
      for (let chain = 0; chain < config.chainCount; chain++) {
        for (let slot = 0; slot < ringSize; slot++) yield definition.ref(`${chain}.${slot}`);
      }
    },
    sources: [source],
    outcomes: ["task"],
    throughputOutcomes: ["task"],
    completionOf(to: AutomatonId, message: unknown): Completion | undefined {
      if (automatonIdType(to) === piTaskType) {
        const task = message as PiTask;
        return task.previousStartUs >= 0 ? completion.set("task", task.previousStartUs, 1) : undefined;
      }
      return sinkCompletion(to, message, completion);
    },
    placementHint(id: AutomatonId): PlacementHint {
      if (automatonIdType(id) !== piTaskType) return hint("sink", "sink");
      const parsed = piTaskKeyParse(automatonIdKey(id));
      return hint(parsed === undefined ? id : `chain-${parsed.chain}`, "task");
    },
    messageCost(to: AutomatonId): MessageCost {
      // Live tasks carry real payload bytes; simulated ones stand for messageBytes.
      return cost.set(!live && automatonIdType(to) === piTaskType ? messageBytes : 0, 0, 0);
    },
  };
}

function jobSource(config: PiChainConfig, context: WorkloadContext, options: PiChainDriverOptions, payload: Uint8Array | undefined): ArrivalSource {
  const endless = config.chainHops === undefined;
  const process = config.arrival === undefined
    ? new ArrivalsAtStart()
    : arrivalProcessOf(config.arrival, options.jobsPerS ?? config.chainCount, context.random.fork("pi-jobs"), context.traceTimesUs);
  const ref = (chain: number) => `${piTaskType}/${chain}.0` as AutomatonId;
  return {
    producer: "pi-jobs",
    process,
    arrivalsMax: config.arrival === undefined || endless ? config.chainCount : Number.POSITIVE_INFINITY,
    inject(seq: number, timeUs: number) {
      const chain = (seq - 1) % config.chainCount;
      const task = piFirstTask(seq, chain, timeUs);
      return { to: ref(chain), message: payload === undefined ? task : { ...task, payload } };
    },
  };
}
