// Runs the Clock contract against ClockNode in real time (delays of a few milliseconds), and
// checks that close() cancels everything so a process can exit.

import test from "ava";
import { clockContract } from "../clock.contract.ts";
import { ClockNode } from "./clock-node.ts";

const settleMsMax = 5000;

async function settled(clock: ClockNode): Promise<void> {
  const startMs = Date.now();
  while (clock.pendingCount > 0) {
    if (Date.now() - startMs > settleMsMax) throw new Error(`timers still pending after ${settleMsMax}ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

clockContract(test, "ClockNode", () => {
  const clock = new ClockNode();
  return { clock, settle: () => settled(clock), close: () => clock.close() };
});

test("ClockNode.close cancels every pending timer", async (t) => {
  const clock = new ClockNode();
  let fired = 0;
  for (let index = 0; index < 3; index++) clock.timerStart(1000 * (index + 1), () => fired++);
  t.is(clock.pendingCount, 3);
  clock.close();
  t.is(clock.pendingCount, 0);
  await new Promise((resolve) => setTimeout(resolve, 10));
  t.is(fired, 0);
});

test("ClockNode nowUs is close to the system's epoch time", (t) => {
  const differenceUs = Math.abs(new ClockNode().nowUs() - Date.now() * 1000);
  // Loose: the monotonic origin and the wall clock may drift apart by NTP adjustments.
  t.true(differenceUs < 60_000_000, `ClockNode is ${differenceUs}us away from Date.now`);
});
