// What an automaton host takes and tells: its options, its reports and counters, and its
// configuration, validated once (unknown keys rejected, every problem named with its key), then
// frozen (STYLE 12). Defaults retry a failing message twice after short waits, then dead-letter
// it, and compact every 1,000 steps.

import type { Clock } from "../io/clock.ts";
import { ErrorCode, SsmsError } from "../io/errors.ts";
import type { Err } from "../io/result.ts";
import type { DarqPort } from "./darq-port.ts";
import type { DeadLetter } from "./codec.ts";
import type { AutomatonId } from "./ids.ts";
import type { StagedSend } from "./context.ts";

export type HostStatus = "idle" | "starting" | "running" | "fenced" | "failed" | "stopped";

/** What a host tells its owner (monitor, runtime, tests). */
export type HostReport =
  | { readonly kind: "ready"; readonly id: AutomatonId; readonly incarnation: number; readonly selfReplayed: number; readonly inputs: number }
  | { readonly kind: "stepFailed"; readonly id: AutomatonId; readonly lsn: number; readonly attempt: number; readonly failure: Err }
  | { readonly kind: "deadLettered"; readonly id: AutomatonId; readonly letter: DeadLetter }
  | { readonly kind: "ended"; readonly id: AutomatonId; readonly status: HostStatus; readonly reason: Err };

export type AutomatonHostOptions = {
  /** The DARQ of the automaton: a PhysicalDarq in-process, or a RemoteDarq (darq-port.ts). */
  readonly darq: DarqPort;
  readonly clock: Clock;
  /** Overrides of hostConfigDefault; validated (unknown keys are an error). */
  readonly config?: Readonly<Record<string, unknown>>;
  readonly onReport?: (report: HostReport) => void;
  /** Called with each target before a step sending to it is submitted (activation on first message). */
  readonly beforeSend?: (target: AutomatonId) => void;
  /** Runs `coreUs` of modelled compute, then calls `done`; omitted: work is not modelled. */
  readonly work?: (coreUs: number, done: () => void) => void;
  /** Observes each input step once it is durable (committed), with its sends: metering, tracing. */
  readonly onCommitted?: (id: AutomatonId, sends: readonly StagedSend[], input: CommittedInput) => void;
};

/** The input a committed step consumed, and when the step ran (a trace pairs sends with it). */
export type CommittedInput = {
  readonly lsn: number;
  /** The input's envelope bytes, as the sender's step encoded them. */
  readonly body: Uint8Array;
  /** When the handler ran. */
  readonly startUs: number;
  /** When the step went to the DARQ: after the handler and its modelled compute. */
  readonly submittedUs: number;
};

/** Counters since this host started. Steps are those that consume an input (snapshots are not steps here). */
export type HostStats = {
  stepsSubmitted: number;
  stepsDurable: number;
  handlerFailures: number;
  deadLettered: number;
  snapshots: number;
  workUs: number;
};

export type HostConfig = {
  /**
   * Handle attempts for one input before it is consumed into a dead letter. 1 dead-letters at
   * the first failure. Attempts are counted per host lifetime: after a restart a poison message
   * gets attemptsMax fresh attempts (a failed attempt commits nothing, so there is nothing to
   * count durably).
   */
  readonly attemptsMax: number;
  /** Wait before the second attempt; doubles per further attempt, up to retryDelayUsMax. */
  readonly retryDelayUs: number;
  readonly retryDelayUsMax: number;
  /** Steps between compactions (a snapshot SELF replacing older SELF records); 0 = never. */
  readonly snapshotEverySteps: number;
  /** Most recent dead letters kept in snapshots (older ones are counted, not kept). */
  readonly deadLettersKeptMax: number;
  /** Inputs handled in one go before yielding to the clock, so one busy automaton cannot starve others. */
  readonly inputsPerTurnMax: number;
};

export const hostConfigDefault: HostConfig = Object.freeze({
  attemptsMax: 3,
  retryDelayUs: 10_000,
  retryDelayUsMax: 10_000_000,
  snapshotEverySteps: 1_000,
  deadLettersKeptMax: 16,
  inputsPerTurnMax: 1_024,
});

const rules: Record<keyof HostConfig, { min: number; max: number }> = {
  attemptsMax: { min: 1, max: 1_000 },
  retryDelayUs: { min: 0, max: 3_600_000_000 },
  retryDelayUsMax: { min: 0, max: 3_600_000_000 },
  snapshotEverySteps: { min: 0, max: 1 << 30 },
  deadLettersKeptMax: { min: 0, max: 100_000 },
  inputsPerTurnMax: { min: 1, max: 1 << 20 },
};

/** Defaults overlaid with `overrides`; throws SsmsError(configInvalid) listing every problem. */
export function hostConfigResolve(overrides: Readonly<Record<string, unknown>> = {}): HostConfig {
  const problems: string[] = [];
  const config: Record<string, number> = { ...hostConfigDefault };
  for (const [key, value] of Object.entries(overrides)) {
    const rule = (rules as Record<string, { min: number; max: number } | undefined>)[key];
    if (rule === undefined) {
      problems.push(`host.${key}: unknown key (known: ${Object.keys(rules).join(", ")})`);
    } else if (typeof value !== "number" || !Number.isInteger(value) || value < rule.min || value > rule.max) {
      problems.push(`host.${key}: must be an integer in [${rule.min}, ${rule.max}], got ${String(value)}`);
    } else {
      config[key] = value;
    }
  }
  if (problems.length === 0 && config["retryDelayUsMax"]! < config["retryDelayUs"]!) {
    problems.push(`host.retryDelayUsMax: must be at least retryDelayUs (${config["retryDelayUs"]})`);
  }
  if (problems.length > 0) {
    throw new SsmsError(ErrorCode.configInvalid, `invalid automaton host configuration: ${problems.join("; ")}`,
      { problems });
  }
  return Object.freeze(config as HostConfig);
}

/** The wait before attempt `attempt + 1` after `attempt` failures (attempt ≥ 1). */
export function retryDelayUsAfter(config: HostConfig, attempt: number): number {
  const delayUs = config.retryDelayUs * 2 ** Math.min(attempt - 1, 40);
  return Math.min(delayUs, config.retryDelayUsMax);
}
