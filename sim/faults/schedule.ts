// Fault schedules as JSONL: one fault per line (see fault.ts), in non-decreasing time order.
// Every run writes the schedule it applied (FaultScheduleWriter, a string builder: the runner
// writes the file, sim/ does no I/O); `ssms replay` reads one back with parseFaultSchedule and
// the same seed reproduces the run. The parser reports every bad line with its number and what
// is wrong, so a hand-edited schedule is fixed in one pass. Blank lines are allowed.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { faultCheck, faultLine, type Fault } from "./fault.ts";

const problemsShownMax = 20;

/** Parses a JSONL fault schedule; throws SsmsError(configInvalid) listing every problem. */
export function parseFaultSchedule(text: string, origin: string): Fault[] {
  const faults: Fault[] = [];
  const problems: string[] = [];
  let previousUs = 0;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line.length === 0) return;
    const where = `${origin}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push(`${where}: not valid JSON (${(error as Error).message})`);
      return;
    }
    const checked = faultCheck(value);
    if (checked.fault === null) {
      problems.push(...checked.problems.map((problem) => `${where}: ${problem}`));
      return;
    }
    if (checked.fault.timeUs < previousUs) {
      problems.push(`${where}: timeUs ${checked.fault.timeUs} is before the previous fault's ${previousUs}; a schedule is in time order`);
      return;
    }
    previousUs = checked.fault.timeUs;
    faults.push(checked.fault);
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, problemsShownMax);
    const more = problems.length > problemsShownMax ? [`… and ${problems.length - problemsShownMax} more`] : [];
    throw new SsmsError(ErrorCode.configInvalid,
      `fault schedule ${origin} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n  ${[...shown, ...more].join("\n  ")}`,
      { problems });
  }
  return faults;
}

/** A schedule as JSONL text (one line per fault, trailing newline). */
export function formatFaultSchedule(faults: readonly Fault[]): string {
  return faults.map((fault) => `${faultLine(fault)}\n`).join("");
}

/** Collects applied faults as JSONL; the runner writes `text()` next to the run's results. */
export class FaultScheduleWriter {
  private readonly lines: string[] = [];

  append(fault: Fault): string {
    const line = faultLine(fault);
    this.lines.push(line);
    return line;
  }

  get count(): number {
    return this.lines.length;
  }

  text(): string {
    return this.lines.map((line) => `${line}\n`).join("");
  }
}
