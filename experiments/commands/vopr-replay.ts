// Replaying and writing VOPR files (sim/vopr/vopr-file.ts), shared by `ssms vopr --replay FILE`
// and `ssms replay FILE`: read the file, rerun its case (oracle, faulty run, determinism check),
// and print what the invariants say and whether the fingerprint is the recorded one.
//
// The two commands read the result differently, each by its own contract: `replay` asks "did it
// come out the same?" (exit 0 when the fingerprint and the violated invariants match the file's,
// 1 when not); `vopr` asks "does it fail?" (exit 1 when any invariant is violated, 0 when clean).

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SsmsError } from "../../engine/io/errors.ts";
import { violationLines } from "../../sim/vopr/invariants.ts";
import type { VoprCase } from "../../sim/vopr/vopr-case.ts";
import { formatVoprFile, isVoprText, parseVoprFile, type VoprFile } from "../../sim/vopr/vopr-file.ts";
import { caseSummary, voprCheckCase, type CaseReport } from "../../sim/vopr/vopr-seed.ts";
import { exitBadInput, exitFailed, exitOk, messageOf, type CommandIo } from "../runner/cli.ts";

/** Whether the file at `path` is a VOPR file (false when unreadable: the caller reports that). */
export function isVoprFile(path: string): boolean {
  try {
    return isVoprText(readFileSync(path, "utf8"));
  } catch {
    return false;
  }
}

export type ReplayMode = "replay" | "vopr";

export function voprReplay(path: string, mode: ReplayMode, io: CommandIo, quiet: boolean): number {
  let file: VoprFile;
  try {
    file = parseVoprFile(readFileSync(path, "utf8"), path);
  } catch (error) {
    io.err(`ssms ${mode}: ${error instanceof SsmsError ? error.message : `cannot read ${path}: ${messageOf(error)}`}\n`);
    return exitBadInput;
  }
  const planted = file.plantedBugs.length > 0 ? ` with planted bugs ${file.plantedBugs.join(", ")}` : "";
  if (!quiet) io.out(`replaying ${caseSummary(file.case)}${planted}\n`);
  const report = voprCheckCase(file.case, { plantedBugs: file.plantedBugs, determinism: true });
  const lines = violationLines(report.violations);
  for (const line of lines) io.out(`  ${line}\n`);
  if (lines.length === 0 && !quiet) io.out("  every invariant holds\n");
  const fingerprint = report.faulty.fingerprint;
  const expect = file.expect;
  const sameFingerprint = expect === null || expect.fingerprint === fingerprint;
  const sameViolations = expect === null || sameInvariants(expect.violations, lines);
  if (!quiet || !sameFingerprint) {
    io.out(expect === null ? `fingerprint ${fingerprint} (the file records none)\n`
      : `fingerprint ${fingerprint} ${sameFingerprint ? "reproduced" : `differs from the recorded ${expect.fingerprint}`}\n`);
  }
  if (!sameViolations) io.out(`the violated invariants differ from the recorded ones: ${expect!.violations.map(invariantOf).join(", ") || "none"}\n`);
  if (mode === "vopr") return lines.length > 0 ? exitFailed : exitOk;
  return sameFingerprint && sameViolations ? exitOk : exitFailed;
}

function invariantOf(line: string): string {
  return line.slice(0, line.indexOf(":"));
}

function sameInvariants(recorded: readonly string[], now: readonly string[]): boolean {
  const names = (lines: readonly string[]): string => [...new Set(lines.map(invariantOf))].sort().join(",");
  return names(recorded) === names(now);
}

/** Writes the (shrunk) case of a failing report to `dir`; returns the path. */
export function voprWrite(dir: string, shrunk: VoprCase, report: CaseReport): string {
  const check = shrunk === report.case ? report : voprCheckCase(shrunk, { plantedBugs: report.plantedBugs, determinism: true });
  const file: VoprFile = {
    case: shrunk, plantedBugs: report.plantedBugs,
    expect: { fingerprint: check.faulty.fingerprint, violations: violationLines(check.violations) },
  };
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `vopr-seed-${shrunk.seed.replace(/[^A-Za-z0-9_.-]/g, "_")}.jsonl`);
  writeFileSync(path, formatVoprFile(file));
  return path;
}
