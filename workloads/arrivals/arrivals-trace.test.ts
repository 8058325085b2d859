// Trace arrivals: a parsed trace replays exactly (timeScale 1), scales its gaps, loops with the
// documented period, skips ahead when asked, and ends; the parser reads the header's unit,
// ignores comments and refuses unsorted, negative or unlabelled input with the line number.

import test from "ava";
import { arrivalNever, ArrivalsTrace, parseArrivalTrace } from "./arrivals.ts";

function all(process: ArrivalsTrace, count: number, startUs = 0): number[] {
  const times: number[] = [];
  let timeUs = startUs;
  for (let index = 0; index < count; index++) {
    timeUs = process.nextArrivalUs(timeUs);
    times.push(timeUs);
  }
  return times;
}

const recorded = [0, 5, 5, 120, 1000];

test("a trace replays exactly, then ends", (t) => {
  const process = new ArrivalsTrace(recorded);
  t.deepEqual(all(process, 5), recorded);
  t.is(process.nextArrivalUs(1000), arrivalNever);
  t.is(new ArrivalsTrace([]).nextArrivalUs(0), arrivalNever);
});

test("timeScale multiplies every gap", (t) => {
  t.deepEqual(all(new ArrivalsTrace(recorded, { timeScale: 2.5 }), 5), [0, 12, 12, 300, 2500]);
});

test("a looped trace repeats with period last × (n + 1) / n", (t) => {
  const process = new ArrivalsTrace(recorded, { loop: true });
  t.is(process.periodUs, 1200);
  t.deepEqual(all(process, 7), [0, 5, 5, 120, 1000, 1200, 1205]);
  t.is(new ArrivalsTrace([0, 0], { loop: true }).periodUs, 1, "a trace of one instant still advances");
});

test("skipping ahead lands on the first recorded arrival at or after afterUs, also cycles later", (t) => {
  t.deepEqual(all(new ArrivalsTrace(recorded), 2, 6), [120, 1000]);
  const looped = new ArrivalsTrace(recorded, { loop: true });
  t.is(looped.nextArrivalUs(10 * 1200 + 6), 10 * 1200 + 120);
  t.is(looped.nextArrivalUs(10 * 1200 + 120), 10 * 1200 + 1000);
  t.is(looped.nextArrivalUs(10 * 1200 + 1000), 11 * 1200);
});

test("the parser reads units from the header, ignores comments and blanks, defaults to microseconds", (t) => {
  const parsed = parseArrivalTrace("# exported\nregion,timeMs\neu,0.5\n\nus,1.25\n", "t.csv");
  t.deepEqual(parsed.ok ? [...parsed.value] : parsed.reason, [500, 1250]);
  const bare = parseArrivalTrace("3\n7,x\n7\n", "t.csv");
  t.deepEqual(bare.ok ? [...bare.value] : bare.reason, [3, 7, 7]);
  const seconds = parseArrivalTrace("timeS\n1\n2.5\n", "t.csv");
  t.deepEqual(seconds.ok ? [...seconds.value] : seconds.reason, [1e6, 2.5e6]);
});

test("the parser refuses unsorted, negative and unlabelled traces, naming the line", (t) => {
  const reason = (text: string, entriesMax?: number) => {
    const parsed = parseArrivalTrace(text, "t.csv", entriesMax);
    return parsed.ok ? "accepted" : parsed.reason;
  };
  t.regex(reason("timeUs\n5\n4\n"), /t.csv:3: time 4 us comes before the previous arrival at 5 us/);
  t.regex(reason("1\n-2\n"), /t.csv:2: '-2' is not a time/);
  t.regex(reason("when,where\n1,2\n"), /t.csv:1: the header 'when,where' has no time column/);
  t.regex(reason("1\n2\n3\n", 2), /more than 2 arrivals/);
});
