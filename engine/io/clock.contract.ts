// The Clock contract (engine/io/clock.ts), written once and run against every implementation
// (STYLE 14): ClockSim in sim/clock-sim.test.ts, ClockNode in engine/io/node/clock-node.test.ts.
// A harness hides how time passes: the simulator runs its queue, real time just waits. Delays
// are a few milliseconds so the real-time run stays short; no check asserts how late a timer is,
// only that it is never early and that order holds.

import type { ExecutionContext, TestFn } from "ava";
import type { Clock, TimerId } from "./clock.ts";

export type ClockHarness = {
  readonly clock: Clock;
  /** Resolves once every started timer has fired or been cancelled (including ones started by
   *  timer callbacks). */
  settle(): Promise<void>;
  /** Releases resources (real timers); called at the end of each test. */
  close(): void;
};

type Check = (t: ExecutionContext, harness: ClockHarness) => Promise<void>;

const delayUnitUs = 1000;

const monotonic: Check = async (t, { clock, settle }) => {
  const readings: number[] = [];
  for (let index = 0; index < 100; index++) readings.push(clock.nowUs());
  for (let index = 0; index < 5; index++) clock.timerStart(index * delayUnitUs, () => readings.push(clock.nowUs()));
  await settle();
  readings.push(clock.nowUs());
  for (const reading of readings) t.true(Number.isInteger(reading), `reading ${reading} is not an integer`);
  for (let index = 1; index < readings.length; index++) {
    t.true(readings[index]! >= readings[index - 1]!, `time went back at reading ${index}`);
  }
};

const neverEarly: Check = async (t, { clock, settle }) => {
  const delaysUs = [0, 1, delayUnitUs, 3 * delayUnitUs];
  const firedAtUs: number[][] = delaysUs.map(() => []);
  const startedAtUs = delaysUs.map((delayUs, index) => {
    const startUs = clock.nowUs();
    clock.timerStart(delayUs, () => firedAtUs[index]!.push(clock.nowUs()));
    return startUs;
  });
  await settle();
  delaysUs.forEach((delayUs, index) => {
    t.is(firedAtUs[index]!.length, 1, `timer with delay ${delayUs}us fired ${firedAtUs[index]!.length} times`);
    t.true(firedAtUs[index]![0]! - startedAtUs[index]! >= delayUs, `timer with delay ${delayUs}us fired early`);
  });
};

const neverSynchronous: Check = async (t, { clock, settle }) => {
  let inside = true;
  let ranInside = false;
  let fired = 0;
  clock.timerStart(0, () => {
    ranInside ||= inside;
    fired++;
  });
  inside = false;
  await settle();
  t.false(ranInside);
  t.is(fired, 1);
};

const ordered: Check = async (t, { clock, settle }) => {
  const fired: string[] = [];
  // Started in one synchronous burst: under ClockSim the five "same" timers share one due
  // instant exactly; under real time their due instants can only increase in start order. The
  // gaps are wide so that a burst slowed by a loaded machine (GC, preemption) stays inside them.
  const gapUs = 20 * delayUnitUs;
  clock.timerStart(3 * gapUs, () => fired.push("late"));
  for (let index = 0; index < 5; index++) clock.timerStart(2 * gapUs, () => fired.push(`same${index}`));
  clock.timerStart(gapUs, () => fired.push("early"));
  await settle();
  t.deepEqual(fired, ["early", "same0", "same1", "same2", "same3", "same4", "late"]);
};

const cancelling: Check = async (t, { clock, settle }) => {
  const fired: string[] = [];
  const cancelled = clock.timerStart(delayUnitUs, () => fired.push("cancelled"));
  const firedFirst = clock.timerStart(0, () => fired.push("first"));
  clock.timerCancel(cancelled);
  clock.timerCancel(cancelled);
  await settle();
  // Ids of fired and cancelled timers must not alias timers started later.
  const later: TimerId[] = [];
  for (let index = 0; index < 3; index++) later.push(clock.timerStart(delayUnitUs, () => fired.push(`later${index}`)));
  clock.timerCancel(firedFirst);
  clock.timerCancel(cancelled);
  clock.timerCancel(later[1]!);
  await settle();
  t.deepEqual(fired, ["first", "later0", "later2"]);
  t.is(new Set(later).size, later.length, "timer ids are unique");
};

const reentrant: Check = async (t, { clock, settle }) => {
  const fired: number[] = [];
  const victim = clock.timerStart(50 * delayUnitUs, () => fired.push(-1));
  const chain = (depth: number): void => {
    fired.push(depth);
    if (depth < 4) clock.timerStart(depth % 2 === 0 ? 0 : delayUnitUs, () => chain(depth + 1));
    if (depth === 2) clock.timerCancel(victim);
  };
  clock.timerStart(0, () => chain(0));
  await settle();
  t.deepEqual(fired, [0, 1, 2, 3, 4]);
};

const checks: ReadonlyArray<readonly [string, Check]> = [
  ["nowUs is an integer that never goes backwards, also across timers", monotonic],
  ["a timer fires once, no earlier than its delay after it was started", neverEarly],
  ["a timer never runs inside timerStart, even with delay 0", neverSynchronous],
  ["timers fire in due order; timers due at the same instant in start order", ordered],
  ["timerCancel stops a pending timer; cancelling twice or after firing is a no-op", cancelling],
  ["a timer callback can start and cancel timers", reentrant],
];

/** Registers one ava test per contract clause for `implementation`. */
export function clockContract(test: TestFn, implementation: string, create: () => ClockHarness): void {
  for (const [what, check] of checks) {
    test(`${implementation} satisfies the Clock contract: ${what}`, async (t) => {
      const harness = create();
      try {
        await check(t, harness);
      } finally {
        harness.close();
      }
    });
  }
}
