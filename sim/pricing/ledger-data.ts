// The saved form of a usage ledger: what a run leaves behind so it can be priced, and re-priced
// under other price tables, without rerunning (DESIGN §6).
//
// It holds quantities only, never dollars: VM run segments, serverless invocations with their
// billed durations under each recorded rounding rule, storage requests and byte-seconds, bytes
// moved per zone pair, catalog requests. `parseLedgerData` validates a parsed JSON file against
// the schema (unknown keys rejected, problems named by JSON pointer) before pricing trusts it.

import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";

const strict = { additionalProperties: false } as const;
const Count = Type.Number({ minimum: 0 });
const Id = Type.String({ minLength: 1 });

export const ledgerFormat = "ssms-usage-ledger";
export const ledgerVersion = 1;
/** The target zone of traffic that leaves the cloud (internet egress). */
export const egressZone = "internet";

const DurationRule = Type.Object({ stepUs: Type.Number({ exclusiveMinimum: 0 }), minUs: Count }, strict);

export const LedgerDataSchema = Type.Object({
  format: Type.Literal(ledgerFormat),
  version: Type.Literal(ledgerVersion),
  startUs: Count,
  endUs: Count,
  /** Serverless rounding rules under which billed durations were accumulated at record time. */
  durationRules: Type.Array(DurationRule),
  vms: Type.Array(Type.Object({
    id: Id,
    size: Id,
    spot: Type.Boolean(),
    /** [startUs, stopUs] per run; a VM still running at the end is cut at endUs. */
    segmentsUs: Type.Array(Type.Tuple([Count, Count])),
  }, strict)),
  functions: Type.Array(Type.Object({
    id: Id,
    memoryMb: Type.Number({ exclusiveMinimum: 0 }),
    invocations: Count,
    coldStarts: Count,
    durationUsTotal: Count,
    /** Sum of per-invocation billed durations, one entry per `durationRules` entry. */
    billedUsByRule: Type.Array(Count),
  }, strict)),
  workflows: Type.Array(Type.Object({ id: Id, stateTransitions: Count }, strict)),
  storage: Type.Array(Type.Object({
    id: Id,
    tier: Id,
    /** VM size that hosts the primary of a replicated-memory tier; null for other tiers. */
    hostVmSize: Type.Union([Id, Type.Null()]),
    openUs: Count,
    closeUs: Count,
    reads: Count,
    writes: Count,
    readBytes: Count,
    writeBytes: Count,
    /** ∫ stored bytes dt, in byte-seconds. */
    byteSeconds: Count,
  }, strict)),
  network: Type.Array(Type.Object({ sourceZone: Id, targetZone: Id, bytes: Count, messages: Count }, strict)),
  catalog: Type.Object({ reads: Count, writes: Count }, strict),
}, strict);

export type LedgerData = Static<typeof LedgerDataSchema>;
export type LedgerDurationRule = Static<typeof DurationRule>;

/** Validates a parsed ledger JSON; throws one SsmsError listing every problem with its path. */
export function parseLedgerData(json: unknown, origin: string): LedgerData {
  const problems = [...Value.Errors(LedgerDataSchema, json)].map((error) => `  ${error.path || "/"}: ${error.message}`);
  if (problems.length === 0) problems.push(...consistencyProblems(json as LedgerData));
  if (problems.length > 0) {
    throw new SsmsError(ErrorCode.configInvalid,
      `usage ledger ${origin} is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.slice(0, 20).join("\n")}`);
  }
  return json as LedgerData;
}

function consistencyProblems(data: LedgerData): string[] {
  const problems: string[] = [];
  if (data.endUs < data.startUs) problems.push("  /endUs: ends before startUs");
  data.functions.forEach((fn, index) => {
    if (fn.billedUsByRule.length !== data.durationRules.length) {
      problems.push(`  /functions/${index}/billedUsByRule: has ${fn.billedUsByRule.length} entries, durationRules has ${data.durationRules.length}`);
    }
  });
  data.vms.forEach((vm, index) => {
    vm.segmentsUs.forEach(([startUs, stopUs], segment) => {
      if (stopUs < startUs || startUs < data.startUs || stopUs > data.endUs) {
        problems.push(`  /vms/${index}/segmentsUs/${segment}: [${startUs}, ${stopUs}] is not inside [startUs, endUs]`);
      }
    });
  });
  data.storage.forEach((store, index) => {
    if (store.closeUs < store.openUs) problems.push(`  /storage/${index}/closeUs: before openUs`);
  });
  return problems;
}
