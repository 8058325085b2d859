// Parses an arrival trace file's text (the runner reads the file; this stays pure). Format:
//
//   # comment lines and blank lines are ignored
//   timeMs,region          <- optional header; the time column is timeUs, timeMs or timeS
//   0.5,eu
//   1.25,us
//
// Without a header, the first comma-separated column of each line is the time in microseconds.
// Times are offsets from the start of the run, ≥ 0 and non-decreasing; a violation is reported
// with its line, since an unsorted trace is almost always a mistake in how it was exported.

import { ErrorCode } from "../../engine/io/errors.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";

/** Time column names and their factor to microseconds. */
const timeColumns: Readonly<Record<string, number>> = { timeUs: 1, timeMs: 1_000, timeS: 1_000_000 };

/** Default bound on the number of arrivals in one trace (STYLE 6). */
export const traceEntriesMax = 50_000_000;

type Column = { readonly index: number; readonly factor: number };

function headerColumn(cells: readonly string[]): Column | undefined {
  for (let index = 0; index < cells.length; index++) {
    const factor = timeColumns[cells[index]!.trim()];
    if (factor !== undefined) return { index, factor };
  }
  return undefined;
}

function isHeader(cells: readonly string[]): boolean {
  return cells.some((cell) => cell.trim() !== "" && Number.isNaN(Number(cell)));
}

/**
 * The arrival times of a trace, in microseconds. `source` names the file in messages. Fails with
 * configInvalid naming the line of the first problem.
 */
export function parseArrivalTrace(text: string, source: string, entriesMax = traceEntriesMax): Result<Float64Array> {
  const times: number[] = [];
  let column: Column | undefined;
  let previousUs = 0;
  const lines = text.split("\n");
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const where = `${source}:${lineIndex + 1}`;
    const cells = line.split(",");
    if (column === undefined) {
      if (isHeader(cells)) {
        column = headerColumn(cells);
        if (column === undefined) {
          return err(ErrorCode.configInvalid, `${where}: the header '${line}' has no time column; name it one of ${Object.keys(timeColumns).join(", ")} (or drop the header: then the first column is microseconds)`);
        }
        continue;
      }
      column = { index: 0, factor: 1 };
    }
    const cell = cells[column.index];
    const timeUs = cell === undefined || cell.trim() === "" ? NaN : Number(cell) * column.factor;
    if (!(Number.isFinite(timeUs) && timeUs >= 0)) {
      return err(ErrorCode.configInvalid, `${where}: '${cell ?? ""}' is not a time ≥ 0 (column ${column.index + 1})`);
    }
    if (timeUs < previousUs) {
      return err(ErrorCode.configInvalid, `${where}: time ${timeUs} us comes before the previous arrival at ${previousUs} us; sort the trace by time`);
    }
    if (times.length >= entriesMax) {
      return err(ErrorCode.limitExceeded, `${where}: the trace has more than ${entriesMax} arrivals; shorten it or loop a shorter one`);
    }
    times.push(timeUs);
    previousUs = timeUs;
  }
  return ok(Float64Array.from(times));
}
