// Configuration of a physical DARQ: validated once (unknown keys rejected, every problem named
// with its key), then frozen. Defaults suit a DARQ on a fast local device; the simulator and the
// benchmarks override what they study.

import { ErrorCode, SsmsError } from "../io/errors.ts";
import { frameBodyBytesMax } from "../io/frame.ts";

export type DarqConfig = {
  /** A batch is made durable at the latest this long after its first record. */
  readonly commitPeriodUs: number;
  /** …or as soon as it holds this many records (frames). */
  readonly batchRecordsMax: number;
  /** …or this many bytes, whichever comes first. */
  readonly batchBytesMax: number;
  /** Also seal a batch as soon as no flush is in flight (see group-commit.ts). */
  readonly commitWhenIdle: boolean;
  /** Largest message body (SELF, OUT, IN) accepted. */
  readonly bodyBytesMax: number;
  /** Out-messages of one pair in flight beyond the last acknowledged one. */
  readonly sendWindowMessages: number;
  /** First retry delay of an unacknowledged out-message; doubles per unanswered round. */
  readonly retryUsMin: number;
  /** Retry delay ceiling. */
  readonly retryUsMax: number;
  /** Unanswered rounds after which the route to a target is invalidated and resolved again. */
  readonly retriesBeforeResolve: number;
  /** No compaction while the stored log is smaller than this. */
  readonly compactBytesMin: number;
  /** Compact when live bytes (to copy) are at most this fraction of the stored log. */
  readonly compactLiveRatioMax: number;
  /** Bytes of carried-forward state per checkpoint frame. */
  readonly checkpointChunkBytes: number;
};

export const darqConfigDefault: DarqConfig = Object.freeze({
  commitPeriodUs: 1_000,
  batchRecordsMax: 1_024,
  batchBytesMax: 4 * 1024 * 1024,
  commitWhenIdle: true,
  bodyBytesMax: 16 * 1024 * 1024,
  sendWindowMessages: 256,
  retryUsMin: 20_000,
  retryUsMax: 2_000_000,
  retriesBeforeResolve: 3,
  compactBytesMin: 64 * 1024 * 1024,
  compactLiveRatioMax: 0.5,
  checkpointChunkBytes: 1024 * 1024,
});

type Rule = { min: number; max: number; integer: boolean } | "boolean";

const rules: Record<keyof DarqConfig, Rule> = {
  commitPeriodUs: { min: 0, max: 60_000_000, integer: true },
  batchRecordsMax: { min: 1, max: 1 << 24, integer: true },
  batchBytesMax: { min: 1, max: 1 << 30, integer: true },
  commitWhenIdle: "boolean",
  bodyBytesMax: { min: 1, max: frameBodyBytesMax / 2, integer: true },
  sendWindowMessages: { min: 1, max: 1 << 20, integer: true },
  retryUsMin: { min: 1, max: 3_600_000_000, integer: true },
  retryUsMax: { min: 1, max: 3_600_000_000, integer: true },
  retriesBeforeResolve: { min: 1, max: 1 << 20, integer: true },
  compactBytesMin: { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true },
  compactLiveRatioMax: { min: 0, max: 1, integer: false },
  checkpointChunkBytes: { min: 1024, max: frameBodyBytesMax / 4, integer: true },
};

/** Defaults overlaid with `overrides`; throws SsmsError(configInvalid) listing every problem. */
export function darqConfigResolve(overrides: Readonly<Record<string, unknown>> = {}): DarqConfig {
  const problems: string[] = [];
  const config: Record<string, number | boolean> = { ...darqConfigDefault };
  for (const [key, value] of Object.entries(overrides)) {
    const rule = (rules as Record<string, Rule | undefined>)[key];
    if (rule === undefined) {
      problems.push(`darq.${key}: unknown key (known: ${Object.keys(rules).join(", ")})`);
      continue;
    }
    if (rule === "boolean") {
      if (typeof value === "boolean") config[key] = value;
      else problems.push(`darq.${key}: must be true or false, got ${String(value)}`);
      continue;
    }
    if (typeof value !== "number" || !(value >= rule.min && value <= rule.max) ||
      (rule.integer && !Number.isInteger(value))) {
      const kind = rule.integer ? "an integer" : "a number";
      problems.push(`darq.${key}: must be ${kind} in [${rule.min}, ${rule.max}], got ${String(value)}`);
      continue;
    }
    config[key] = value;
  }
  if (problems.length === 0 && (config["retryUsMax"] as number) < (config["retryUsMin"] as number)) {
    problems.push(`darq.retryUsMax: must be at least retryUsMin (${config["retryUsMin"]})`);
  }
  if (problems.length > 0) {
    throw new SsmsError(ErrorCode.configInvalid, `invalid DARQ configuration: ${problems.join("; ")}`,
      { problems });
  }
  return Object.freeze(config as unknown as DarqConfig);
}
