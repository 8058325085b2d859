// Writes a finished run's files into its run directory (DESIGN §8):
//
//   config.json        the validated root config (sweep included), as the run used it
//   points.csv         one row per run of a sweep point (tables.ts)
//   summary.json       per grid point: means and 95% CIs over replications (summary.ts)
//   timeseries.csv     every point's samples, keyed by point and replication
//   faults/p<i>r<r>.jsonl   the fault schedule each point applied (fault-schedule.ts)
//   traces/p<i>r<r>.json    Chrome/Perfetto traces, when outputs.trace is on (trace-writer.ts)
//   manifest.json      written last, so its presence means the other files are complete
//
// JSON is written with stable formatting (two-space indent, insertion order), so
// reruns of the same seed and config produce byte-identical files apart from the run id.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Experiment } from "../schema.ts";
import { formatFaultSchedule } from "./fault-schedule.ts";
import type { ManifestPoint, RunManifest } from "./manifest.ts";
import { buildSummary } from "./summary.ts";
import { pointsCsv, timeseriesCsv, type PointRun } from "./tables.ts";
import { traceJson } from "./trace-writer.ts";

export type RunFiles = {
  /** The manifest without its points; writeRunFiles adds them. */
  readonly manifest: Omit<RunManifest, "points">;
  readonly config: Experiment;
  readonly runs: readonly PointRun[];
  /** Config hash of each run's single-run config, by position in `runs`. */
  readonly pointConfigHashes: readonly string[];
  readonly paramKeys: readonly string[];
};

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The file stem of one run of a point, e.g. "p3r1". */
export function pointStem(index: number, replication: number): string {
  return `p${index}r${replication}`;
}

function writePointFiles(runDir: string, run: PointRun, configHash: string, seed: string | number): ManifestPoint {
  const stem = pointStem(run.index, run.replication);
  const base = { index: run.index, replication: run.replication, seed: run.seed, label: run.label, params: run.params, configHash };
  if (!run.outcome.ok) {
    return { ...base, status: "failed", fingerprint: null, error: run.outcome.error.message, faultSchedule: null, trace: null };
  }
  const result = run.outcome.result;
  const faultSchedule = `faults/${stem}.jsonl`;
  writeFileSync(join(runDir, faultSchedule), formatFaultSchedule(result.faultsApplied));
  let trace: string | null = null;
  if (result.trace !== undefined) {
    trace = `traces/${stem}.json`;
    mkdirSync(join(runDir, "traces"), { recursive: true });
    writeFileSync(join(runDir, trace), traceJson(result.trace, { seed: run.seed, rootSeed: String(seed), fingerprint: result.fingerprint, point: run.index, replication: run.replication }));
  }
  return { ...base, status: "ok", fingerprint: result.fingerprint, error: null, faultSchedule, trace };
}

/** Writes every file of the run; returns the manifest as written. */
export function writeRunFiles(runDir: string, files: RunFiles): RunManifest {
  mkdirSync(join(runDir, "faults"), { recursive: true });
  writeFileSync(join(runDir, "config.json"), json(files.config));
  const points = files.runs.map((run, position) => writePointFiles(runDir, run, files.pointConfigHashes[position]!, files.manifest.seed));
  writeFileSync(join(runDir, "points.csv"), pointsCsv(files.runs, files.paramKeys));
  writeFileSync(join(runDir, "timeseries.csv"), timeseriesCsv(files.runs));
  const { experiment, runId, configHash, seed } = files.manifest;
  writeFileSync(join(runDir, "summary.json"), json(buildSummary({ experiment, runId, configHash, seed }, files.runs)));
  const manifest: RunManifest = { ...files.manifest, points };
  writeFileSync(join(runDir, "manifest.json"), json(manifest));
  return manifest;
}
