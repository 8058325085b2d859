// `ssms plot <results-dir>`: re-renders a run's figures (SVG and PNG) and report.html from its
// points.csv, timeseries.csv, fault schedules and manifest, without rerunning anything.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { renderRunFigures } from "../results/figures.ts";
import { exitBadInput, exitOk, messageOf, parseCommandArgs, processIo, type CommandIo, type CommandSpec } from "../runner/cli.ts";

const spec: CommandSpec = {
  synopsis: "plot <results-dir>",
  summary: "Re-renders figures/ (SVG and PNG) and report.html of a run directory written by 'ssms run'.",
  options: { quiet: { type: "boolean", short: "q", description: "print only errors" } },
  positionalsMin: 1,
  positionalsMax: 1,
};

export async function main(args: string[], io: CommandIo = processIo): Promise<number> {
  const parsed = parseCommandArgs(spec, args, io);
  if (typeof parsed === "number") return parsed;
  const runDir = parsed.positionals[0]!;
  if (!existsSync(join(runDir, "manifest.json"))) {
    io.err(`ssms plot: ${runDir} has no manifest.json; give a run directory, results/<experiment>/<run-id>\n`);
    return exitBadInput;
  }
  try {
    const written = renderRunFigures(runDir);
    if (parsed.values["quiet"] !== true) io.out(written.map((file) => `wrote ${join(runDir, file)}\n`).join(""));
    return exitOk;
  } catch (cause) {
    io.err(`ssms plot: ${messageOf(cause)}\n`);
    return exitBadInput;
  }
}
