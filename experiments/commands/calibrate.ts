// `ssms calibrate pi`: times the real pi computation on this machine and writes the work model
// the simulator reads (workloads/pi/calibration.json, committed). See experiments/calibrate.ts.

import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { calibratePi, calibrationScalesDefault } from "../calibrate.ts";
import { exitBadInput, exitOk, parseCommandArgs, processIo, type CommandIo, type CommandSpec } from "../runner/cli.ts";

const spec: CommandSpec = {
  synopsis: "calibrate pi [--out FILE] [--quick]",
  summary: "Times pi to decimals(c) = 100·√c places for c = 0.01 … 10,000 and writes the core-µs per step\nthat the simulator charges for the pi-chain workload.",
  options: {
    out: { type: "string", value: "FILE", description: "where to write (default workloads/pi/calibration.json)" },
    quick: { type: "boolean", description: "three scales and few samples (a smoke run, not a calibration)" },
    quiet: { type: "boolean", short: "q", description: "print nothing but errors" },
  },
  positionalsMin: 1,
  positionalsMax: 1,
};

const defaultPath = fileURLToPath(new URL("../../workloads/pi/calibration.json", import.meta.url));

export async function main(args: string[], io: CommandIo = processIo): Promise<number> {
  const parsed = parseCommandArgs(spec, args, io);
  if (typeof parsed === "number") return parsed;
  const target = parsed.positionals[0];
  if (target !== "pi") {
    io.err(`ssms calibrate: unknown target '${target ?? ""}'; the only calibrated workload is 'pi'\n`);
    return exitBadInput;
  }
  const quiet = parsed.values["quiet"] === true;
  const quick = parsed.values["quick"] === true;
  const out = typeof parsed.values["out"] === "string" ? parsed.values["out"] : defaultPath;
  const calibration = calibratePi({
    scales: quick ? [0.1, 1, 10] : calibrationScalesDefault,
    ...(quick ? { budgetMsPerPoint: 5, samplesMin: 2, samplesMax: 20 } : {}),
    onPoint: (point) => {
      if (!quiet) io.out(`c=${point.computeScale} decimals=${point.decimals} coreUsMedian=${point.coreUsMedian} samples=${point.samples}\n`);
    },
  });
  writeFileSync(out, `${JSON.stringify(calibration, null, 2)}\n`);
  if (!quiet) io.out(`wrote ${out}\n`);
  return exitOk;
}
