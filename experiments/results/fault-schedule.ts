// Fault schedules as JSONL (DESIGN §6): one fault per line, in time order,
//
//   {"timeUs":12000000,"fault":"crash","targets":["darq-1"],"params":{}}
//   {"timeUs":17000000,"fault":"restart","targets":["darq-1"],"params":{}}
//
// A run writes the schedule it actually applied (whether drawn from the seeded fault model or
// read from a file), and the same file can be fed back: as `faults.schedule` of an experiment, to
// `ssms replay`, or to the live chaos controller. Keys are written in a fixed order so equal
// schedules are equal files. The fault kinds and their params belong to the fault model
// (sim/faults/fault.ts checks them when a schedule is applied); this file checks only the shape,
// so the runner can carry the schedules of any executor.

import { ErrorCode } from "../../engine/io/errors.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";

export type FaultRecord = {
  /** When the fault starts, µs from the start of the run. */
  readonly timeUs: number;
  /** The fault kind, e.g. nodeCrash, networkPartition. */
  readonly fault: string;
  /** What it hits: node, pool, zone or link names. */
  readonly targets: readonly string[];
  /** Kind-specific parameters (JSON values), e.g. a partition's groups. */
  readonly params?: Readonly<Record<string, unknown>>;
};

/** One record as a line of canonical JSON (no newline). */
export function formatFaultRecord(record: FaultRecord): string {
  const params = record.params === undefined ? undefined : Object.fromEntries(Object.keys(record.params).sort().map((key) => [key, record.params![key]]));
  return JSON.stringify({ timeUs: record.timeUs, fault: record.fault, targets: record.targets, ...(params === undefined ? {} : { params }) });
}

/** A schedule as JSONL text (empty text for no faults). */
export function formatFaultSchedule(records: readonly FaultRecord[]): string {
  return records.map((record) => `${formatFaultRecord(record)}\n`).join("");
}

const allowedKeys = new Set(["timeUs", "fault", "targets", "params"]);

function recordProblem(value: unknown, previousUs: number): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "a fault must be a JSON object";
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !allowedKeys.has(key));
  if (unknown.length > 0) return `unknown key(s) ${unknown.join(", ")}; a fault has timeUs, fault, targets and optional params`;
  const timeUs = record["timeUs"];
  if (typeof timeUs !== "number" || !Number.isSafeInteger(timeUs) || timeUs < 0) return "timeUs must be an integer ≥ 0 (microseconds from the start of the run)";
  if (timeUs < previousUs) return `timeUs ${timeUs} comes before the previous fault at ${previousUs}; a schedule is in time order`;
  if (typeof record["fault"] !== "string" || record["fault"] === "") return "fault must be a non-empty string (the fault kind)";
  const targets = record["targets"];
  if (!Array.isArray(targets) || !targets.every((target) => typeof target === "string")) return "targets must be an array of strings";
  const params = record["params"];
  if (params !== undefined && (typeof params !== "object" || params === null || Array.isArray(params))) return "params must be an object";
  return undefined;
}

/** Parses JSONL text; `source` names the file in messages. Blank lines are skipped. */
export function parseFaultSchedule(text: string, source: string): Result<FaultRecord[]> {
  const records: FaultRecord[] = [];
  let previousUs = 0;
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      return err(ErrorCode.configInvalid, `${source}:${index + 1}: not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    const problem = recordProblem(value, previousUs);
    if (problem !== undefined) return err(ErrorCode.configInvalid, `${source}:${index + 1}: ${problem}`);
    const record = value as FaultRecord;
    records.push(record);
    previousUs = record.timeUs;
  }
  return ok(records);
}
