// Runs the Clock contract against ClockSim, and checks what only virtual time can show: time
// jumps straight to the next due timer, and ClockSim's time is the queue's.

import test from "ava";
import { clockContract } from "../engine/io/clock.contract.ts";
import { ClockSim } from "./clock-sim.ts";
import { EventQueue } from "./event-queue.ts";
import { Simulator } from "./simulator.ts";

clockContract(test, "ClockSim", () => {
  const simulator = new Simulator({ seed: "clock-contract" });
  return {
    clock: simulator.clock,
    settle: async () => {
      simulator.run();
    },
    close: () => {},
  };
});

test("ClockSim fires a timer at exactly now + delay in virtual time", (t) => {
  const simulator = new Simulator({ seed: "exact" });
  const firedAtUs: number[] = [];
  simulator.runUntil(500);
  simulator.clock.timerStart(1234, () => firedAtUs.push(simulator.clock.nowUs()));
  simulator.clock.timerStart(0, () => firedAtUs.push(simulator.clock.nowUs()));
  simulator.run();
  t.deepEqual(firedAtUs, [500, 1734]);
});

test("ClockSim rejects negative and fractional delays as programmer errors", (t) => {
  const clock = new ClockSim(new EventQueue());
  t.throws(() => clock.timerStart(-1, () => {}), { message: /non-negative integer/ });
  t.throws(() => clock.timerStart(1.5, () => {}), { message: /non-negative integer/ });
});

test("ClockSim timerStartWith passes its argument to the callback", (t) => {
  const queue = new EventQueue();
  const clock = new ClockSim(queue);
  const seen: string[] = [];
  const record = (value: string): void => {
    seen.push(value);
  };
  clock.timerStartWith(10, record, "b");
  clock.timerStartWith(5, record, "a");
  while (queue.popNext());
  t.deepEqual(seen, ["a", "b"]);
  t.is(clock.nowUs(), 10);
});
