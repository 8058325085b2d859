// `ssms vopr`: the simulation tester. Each seed draws a small cluster, a workload and a schedule
// of faults and operator actions (sim/vopr/vopr-case.ts), runs it fault-free and faulty, checks
// the invariants (exactly-once against an end-to-end ledger, no lost message, states equal to the
// fault-free run's, catalog consistent, nothing leaked, liveness after the heal) and runs it again
// to check determinism. A failing seed is shrunk by delta debugging and written as a replay file.
// The sweep ends with seeds per second and the coverage marks that never fired.
//
//   npx ssms vopr --seeds 200                  seeds 0–199
//   npx ssms vopr --seeds 10000 --seed 20000   seeds 20000–29999
//   npx ssms vopr --seed 4711                  that seed alone
//   npx ssms vopr --replay results/vopr/vopr-seed-4711.jsonl

import { isPlantedBugName, plantedBugNames, type PlantedBugName } from "../../engine/io/planted-bugs.ts";
import { violationLines } from "../../sim/vopr/invariants.ts";
import { voprSweep, type SweepResult } from "../../sim/vopr/sweep.ts";
import { caseSummary, scheduleSize, voprShrinkReport, type CaseReport } from "../../sim/vopr/vopr-seed.ts";
import { exitBadInput, exitFailed, exitOk, parseCommandArgs, positiveInteger, processIo, type CommandIo, type CommandSpec } from "../runner/cli.ts";
import { voprReplay, voprWrite } from "./vopr-replay.ts";

const spec: CommandSpec = {
  synopsis: "vopr [--seeds N] [--seed S] [options]",
  summary:
    "Randomised simulation testing: per seed a cluster, workload and fault schedule are drawn, run with and\n" +
    "without faults, checked against the invariants and run twice for determinism. Failing seeds are shrunk\n" +
    "and written as replay files. Exit 0 no failure, 1 a seed failed (or --require-coverage and a coverage\n" +
    "mark never fired), 2 bad input.",
  options: {
    seeds: { type: "string", short: "n", value: "N", description: "how many seeds (default 100; 1 when only --seed is given)" },
    seed: { type: "string", short: "s", value: "S", description: "the first seed, an integer (default 0)" },
    replay: { type: "string", value: "FILE", description: "rerun a VOPR file instead of sweeping; exit 1 if it fails" },
    out: { type: "string", short: "o", value: "DIR", description: "where failing cases are written (default results/vopr)" },
    "no-shrink": { type: "boolean", description: "write failing cases as drawn, without shrinking" },
    "determinism-every": { type: "string", value: "K", description: "run the determinism self-check on every K-th seed (default 1: all)" },
    "failures-max": { type: "string", value: "N", description: "stop after N failing seeds (default 10)" },
    "require-coverage": { type: "boolean", description: "fail when a coverage mark never fired" },
    plant: { type: "string", value: "BUG", description: `turn on a planted bug to test the VOPR itself (${plantedBugNames.join(", ")})` },
    quiet: { type: "boolean", short: "q", description: "print only failures and the summary" },
  },
  positionalsMin: 0,
  positionalsMax: 0,
};

type Request = {
  readonly from: number; readonly count: number; readonly out: string; readonly shrink: boolean; readonly determinismEvery: number;
  readonly failuresMax: number; readonly requireCoverage: boolean; readonly planted: PlantedBugName[]; readonly quiet: boolean;
};

function requestOf(values: Readonly<Record<string, string | boolean | undefined>>, io: CommandIo): Request | number {
  const seedText = values["seed"];
  const from = typeof seedText === "string" ? (/^\d{1,12}$/.test(seedText) ? Number(seedText) : NaN) : 0;
  const count = positiveInteger(values["seeds"]) ?? (typeof seedText === "string" ? 1 : 100);
  const every = typeof values["determinism-every"] === "string" ? (/^\d{1,6}$/.test(values["determinism-every"]) ? Number(values["determinism-every"]) : NaN) : 1;
  const failuresMax = positiveInteger(values["failures-max"]) ?? 10;
  const plant = values["plant"];
  const problems = [
    Number.isNaN(from) ? `--seed '${String(seedText)}' is not an integer ≥ 0` : "",
    Number.isNaN(count) ? `--seeds '${String(values["seeds"])}' is not a positive integer below 1,000,000` : "",
    Number.isNaN(every) ? "--determinism-every takes an integer ≥ 0" : "",
    Number.isNaN(failuresMax) ? "--failures-max takes a positive integer" : "",
    plant !== undefined && !isPlantedBugName(plant) ? `--plant '${String(plant)}' is not a planted bug (${plantedBugNames.join(", ")})` : "",
  ].filter((problem) => problem !== "");
  if (problems.length > 0) {
    io.err(`ssms vopr: ${problems.join("; ")}\n`);
    return exitBadInput;
  }
  return {
    from, count, out: typeof values["out"] === "string" ? values["out"] : "results/vopr", shrink: values["no-shrink"] !== true,
    determinismEvery: every, failuresMax, requireCoverage: values["require-coverage"] === true,
    planted: isPlantedBugName(plant) ? [plant] : [], quiet: values["quiet"] === true,
  };
}

export async function main(args: string[], io: CommandIo = processIo): Promise<number> {
  const parsed = parseCommandArgs(spec, args, io);
  if (typeof parsed === "number") return parsed;
  const replay = parsed.values["replay"];
  if (typeof replay === "string") return voprReplay(replay, "vopr", io, parsed.values["quiet"] === true);
  const request = requestOf(parsed.values, io);
  if (typeof request === "number") return request;
  if (request.planted.length > 0) io.err(`ssms vopr: planted bugs ON (${request.planted.join(", ")}): this sweep tests the VOPR, not the system\n`);
  const startedMs = Date.now();
  let lastProgressMs = startedMs;
  const result = voprSweep({
    from: request.from, count: request.count, determinismEvery: request.determinismEvery, plantedBugs: request.planted,
    failuresMax: request.failuresMax,
    onSeed: (seed, report) => {
      if (report.violations.length > 0) failureReport(seed, report, request, io);
      const nowMs = Date.now();
      if (!request.quiet && nowMs - lastProgressMs >= 5_000) {
        lastProgressMs = nowMs;
        io.err(`vopr: seed ${seed}, ${Number(seed) - request.from + 1}/${request.count} seeds, ${rate(Number(seed) - request.from + 1, nowMs - startedMs)} seeds/s\n`);
      }
    },
  });
  return summary(result, request, Date.now() - startedMs, io);
}

function rate(seeds: number, elapsedMs: number): string {
  return (seeds / Math.max(elapsedMs / 1000, 1e-3)).toFixed(1);
}

function failureReport(seed: string, report: CaseReport, request: Request, io: CommandIo): void {
  io.out(`seed ${seed} FAILED: ${caseSummary(report.case)}\n`);
  for (const line of violationLines(report.violations)) io.out(`  ${line}\n`);
  let shrunk = report.case;
  if (request.shrink) {
    const result = voprShrinkReport(report);
    shrunk = result.case;
    io.out(`  shrunk from ${scheduleSize(report.case.schedule)} to ${scheduleSize(shrunk.schedule)} in ${result.tests} runs${result.complete ? "" : " (run budget spent: not minimal)"}\n`);
  }
  const path = voprWrite(request.out, shrunk, report);
  io.out(`  wrote ${path}\n  replay with: npx ssms replay ${path}\n`);
}

function summary(result: SweepResult, request: Request, elapsedMs: number, io: CommandIo): number {
  const marks = Object.entries(result.coverage).map(([name, count]) => `${name}=${count}`).join(", ");
  io.out(`vopr: ${result.seeds} seeds (${request.from}–${request.from + result.seeds - 1}) in ${(elapsedMs / 1000).toFixed(1)} s, ` +
    `${rate(result.seeds, elapsedMs)} seeds/s; ${result.failures.length} failing; ${result.seedsWithFaults} seeds with faults, ` +
    `${result.faultsApplied} faults applied, ${result.events} simulated events\n`);
  io.out(`coverage: ${marks}\n`);
  io.out(result.neverFired.length === 0 ? "coverage: every mark fired\n" : `coverage: never fired: ${result.neverFired.join(", ")}\n`);
  io.out(`${JSON.stringify({
    vopr: { from: request.from, seeds: result.seeds, failures: result.failures.length, seedsPerSecond: Number(rate(result.seeds, elapsedMs)), neverFired: result.neverFired },
  })}\n`);
  if (result.failures.length > 0) return exitFailed;
  return request.requireCoverage && result.neverFired.length > 0 ? exitFailed : exitOk;
}
