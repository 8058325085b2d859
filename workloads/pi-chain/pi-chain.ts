// The pi chain of the paper's preliminary evaluation (§4.4): an application that repeatedly
// computes pi to a precision set by the compute scale factor c, where "each completed task then
// enqueues a new computation task to a different DARQ to continue the computation".
//
// Shape: chain k is a ring of `ringSize` task automata `pi/<k>.<slot>`; a task on slot s does
// its work and enqueues the next task on slot s + 1 (mod ringSize), so every hop crosses to
// another automaton and therefore another logical DARQ. Whether that is another *physical* DARQ
// is the placement's call: the ring is one co-location group, so with colocation "none" the
// slots sit on different DARQs and with "darq" they share one (the paper's "co-located
// DARQ-only": the next task is enqueued on the same DARQ).
//
// A job is one run along a chain: it starts with hop 0 on slot 0 and ends after `chainHops`
// tasks (or never). Several jobs may share a chain's ring; their tasks interleave.
//
// Work: every task declares `workCoreUs` of modelled compute (the calibration of pi-work.ts for
// scale c). With `computeForReal` (live mode) it also computes pi to `decimals` places and passes
// the last digits along, so the computation cannot be skipped and its result can be checked.
// Tasks keep no state: the chain's progress is in the messages, as in the paper's benchmark,
// so a step writes no SELF message and its cost is the queue traffic and the compute.

import { assert } from "../../engine/io/assert.ts";
import { defineAutomaton, type AutomatonDefinition } from "../../engine/runtime/automaton.ts";
import type { AutomatonRef } from "../../engine/runtime/ids.ts";
import { piDigits } from "../pi/pi-digits.ts";
import { completed, sinkRef } from "../sink.ts";

export const piTaskType = "pi";

/** Computations of pi a live definition runs when made (enough for the JIT to compile them). */
const warmUpPasses = 8;

/** How many digits of the computed pi a task passes on (enough to check, small on the wire). */
export const piDigitsTailLength = 8;

export type PiTask = {
  readonly type: "task";
  /** The job (arrival) this task belongs to. */
  readonly job: number;
  readonly chain: number;
  readonly slot: number;
  /** 0-based position of this task in its job. */
  readonly hop: number;
  /** When this task was enqueued, µs. */
  readonly startUs: number;
  /** When the task whose completion enqueued this one was enqueued; -1 for a job's first task. */
  readonly previousStartUs: number;
  /** Live mode: the last digits of pi as the previous task computed them ("" before any). */
  readonly digitsTail: string;
  /** Live mode: real bytes that make the message `messageBytes` long on the wire. */
  readonly payload?: Uint8Array;
};

export type PiChainOptions = {
  readonly chainCount: number;
  readonly ringSize: number;
  /** Tasks per job; Infinity for chains that run until the end of the experiment. */
  readonly chainHops: number;
  /** Modelled compute per task, core-µs. */
  readonly workCoreUs: number;
  /** Decimals of pi per task (computed only with computeForReal). */
  readonly decimals: number;
  readonly computeForReal: boolean;
  /** Real payload bytes per task message; 0 sends none (the executor models the size). */
  readonly payloadBytes: number;
  /** The workload kind whose sink receives the end-of-job tasks. */
  readonly sinkKind?: string;
};

export type PiChainDefinition = AutomatonDefinition<null, PiTask, never>;

export function piTaskKey(chain: number, slot: number): string {
  return `${chain}.${slot}`;
}

/** Chain and slot of a task automaton's key, or undefined when the key is not `<chain>.<slot>`. */
export function piTaskKeyParse(key: string): { chain: number; slot: number } | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(key);
  if (match === null) return undefined;
  return { chain: Number(match[1]), slot: Number(match[2]) };
}

function optionsCheck(options: PiChainOptions): void {
  assert(Number.isSafeInteger(options.chainCount) && options.chainCount >= 1, `chainCount must be an integer ≥ 1, got ${options.chainCount}`);
  assert(Number.isSafeInteger(options.ringSize) && options.ringSize >= 1, `ringSize must be an integer ≥ 1, got ${options.ringSize}`);
  assert(options.chainHops === Number.POSITIVE_INFINITY || (Number.isSafeInteger(options.chainHops) && options.chainHops >= 1),
    `chainHops must be an integer ≥ 1 or Infinity, got ${options.chainHops}`);
  assert(options.workCoreUs >= 0 && Number.isFinite(options.workCoreUs), `workCoreUs must be finite and ≥ 0, got ${options.workCoreUs}`);
  assert(Number.isSafeInteger(options.payloadBytes) && options.payloadBytes >= 0, `payloadBytes must be an integer ≥ 0, got ${options.payloadBytes}`);
}

/** The task automaton of a pi-chain workload with these options. */
export function piChainDefinition(options: PiChainOptions): PiChainDefinition {
  optionsCheck(options);
  const { ringSize, chainHops, workCoreUs, decimals, computeForReal } = options;
  // Compile the BigInt code before the first task: cold, a live node's first tasks take 10× longer
  // (30–90 ms at c = 1,000), and the chains' start-up would be decided by which node compiles first.
  if (computeForReal) for (let pass = 0; pass < warmUpPasses; pass++) piDigits(decimals);
  const sink = sinkRef(options.sinkKind ?? "pi-chain");
  // One shared buffer: the codec copies it into each message, so no allocation per task.
  const payload = options.payloadBytes > 0 ? new Uint8Array(options.payloadBytes) : undefined;
  // Refs of the ring slots, made once per automaton on first use.
  const refs: (AutomatonRef<PiTask> | undefined)[] = [];
  const refOf = (chain: number, slot: number): AutomatonRef<PiTask> => {
    const index = chain * ringSize + slot;
    const known = refs[index];
    if (known !== undefined) return known;
    const made = definition.ref(piTaskKey(chain, slot));
    refs[index] = made;
    return made;
  };
  const definition: PiChainDefinition = defineAutomaton<null, PiTask, never>({
    type: piTaskType,
    initial: () => null,
    handle(ctx, _state, task) {
      ctx.work(workCoreUs);
      const digitsTail = computeForReal ? piDigits(decimals).slice(-piDigitsTailLength) : "";
      if (task.hop + 1 >= chainHops) {
        ctx.send(sink, completed("task", task.startUs));
        return undefined;
      }
      const slot = (task.slot + 1) % ringSize;
      const next: PiTask = {
        type: "task", job: task.job, chain: task.chain, slot, hop: task.hop + 1,
        startUs: ctx.nowUs(), previousStartUs: task.startUs, digitsTail,
        ...(payload === undefined ? {} : { payload }),
      };
      ctx.send(refOf(task.chain, slot), next);
      return undefined;
    },
    apply: (state) => state,
  });
  return definition;
}

/** The first task of job `job` on chain `chain`, enqueued at `startUs`. */
export function piFirstTask(job: number, chain: number, startUs: number): PiTask {
  return { type: "task", job, chain, slot: 0, hop: 0, startUs, previousStartUs: -1, digitsTail: "" };
}
