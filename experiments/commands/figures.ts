// `ssms figures`: regenerates paper-figures/ by running every experiments/paper/*.json config and
// drawing paper-figures/<name>.svg and .png with the builder mapped to it
// (experiments/runner/paper-figures.ts). Each run's full results go to results/ as usual.

import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { svgToPng } from "../../viz/png.ts";
import { exitBadInput, exitFailed, exitOk, messageOf, parseCommandArgs, processIo, type CommandIo, type CommandSpec } from "../runner/cli.ts";
import { projectRoot } from "../runner/executors.ts";
import { paperClaimsMarkdown } from "../runner/paper-claims.ts";
import { paperFigureBuilder } from "../runner/paper-figures.ts";
import { runExperiment } from "../runner/run-experiment.ts";
import { runRequestOf } from "./run.ts";

const spec: CommandSpec = {
  synopsis: "figures [options]",
  summary: "Runs every experiments/paper/*.json config and writes paper-figures/<name>.svg and .png.\nExit 0 all drawn, 1 a run or figure failed, 2 bad input.",
  options: {
    "paper-dir": { type: "string", value: "DIR", description: "where the figure configs are (default: experiments/paper)" },
    out: { type: "string", short: "o", value: "DIR", description: "where the figures go (default: paper-figures)" },
    results: { type: "string", value: "DIR", description: "results root for the runs (default: results)" },
    jobs: { type: "string", short: "j", value: "N", description: "worker threads per run (default: number of cores)" },
    executor: { type: "string", value: "FILE#EXPORT", description: "run points with this executor instead of the mode's registered one" },
    progress: { type: "boolean", description: "show progress bars even when stdout is not a terminal" },
    quiet: { type: "boolean", short: "q", description: "print only errors" },
  },
  positionalsMin: 0,
  positionalsMax: 0,
};

/** Runs one paper config and draws its figure; returns the exit code for this figure. */
async function drawOne(name: string, configPath: string, outDir: string, values: Readonly<Record<string, string | boolean | undefined>>, io: CommandIo, runDirs: Map<string, string>): Promise<number> {
  const request = runRequestOf({ ...values, out: values["results"] }, configPath, ["figures"], io);
  if (typeof request === "number") return request;
  const report = await runExperiment(request, io);
  if (report.runDir === undefined) return report.exitCode;
  runDirs.set(name, report.runDir);
  try {
    const svg = paperFigureBuilder(name)(report.runDir);
    writeFileSync(join(outDir, `${name}.svg`), svg);
    writeFileSync(join(outDir, `${name}.png`), svgToPng(svg));
    if (values["quiet"] !== true) io.out(`wrote ${join(outDir, `${name}.svg`)} and .png\n`);
    return report.exitCode;
  } catch (cause) {
    io.err(`figure ${name}: ${messageOf(cause)}\n`);
    return exitFailed;
  }
}

export async function main(args: string[], io: CommandIo = processIo): Promise<number> {
  const parsed = parseCommandArgs(spec, args, io);
  if (typeof parsed === "number") return parsed;
  const text = (name: string) => (typeof parsed.values[name] === "string" ? (parsed.values[name] as string) : undefined);
  const paperDir = text("paper-dir") ?? join(projectRoot, "experiments", "paper");
  const outDir = text("out") ?? join(projectRoot, "paper-figures");
  if (!existsSync(paperDir)) {
    io.err(`ssms figures: ${paperDir} does not exist; paper figure configs go in experiments/paper/<name>.json\n`);
    return exitBadInput;
  }
  const names = readdirSync(paperDir).filter((file) => file.endsWith(".json")).map((file) => file.slice(0, -".json".length)).sort();
  if (names.length === 0) {
    if (parsed.values["quiet"] !== true) io.out(`no figure configs in ${paperDir}; nothing to draw\n`);
    return exitOk;
  }
  mkdirSync(outDir, { recursive: true });
  let exitCode = exitOk;
  const runDirs = new Map<string, string>();
  for (const name of names) {
    const code = await drawOne(name, join(paperDir, `${name}.json`), outDir, { ...parsed.values, results: text("results") ?? "results" }, io, runDirs);
    exitCode = Math.max(exitCode, code);
  }
  // The claims page is generated from the same runs as the figures (paper-claims.ts).
  if (runDirs.has("figure-3") || runDirs.has("figure-4")) {
    try {
      writeFileSync(join(outDir, "README.md"), paperClaimsMarkdown(runDirs));
      if (parsed.values["quiet"] !== true) io.out(`wrote ${join(outDir, "README.md")}\n`);
    } catch (cause) {
      io.err(`claims page: ${messageOf(cause)}\n`);
      exitCode = Math.max(exitCode, exitFailed);
    }
  }
  return exitCode;
}
