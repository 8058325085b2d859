// What the kernel counts of a process: this process's CPU time grows as it works and its main
// thread's scheduler times never go back; totals over several pids are sums; a pid that does not
// exist gives undefined rather than a guess. Skipped where /proc has no schedstat (not Linux).

import test from "ava";
import { existsSync } from "node:fs";
import { piDigits } from "../../workloads/pi/pi-digits.ts";
import { processCpuUs, processSchedUs, schedTotals } from "./proc-stat.ts";

const linux = existsSync(`/proc/${process.pid}/schedstat`);

test("this process's CPU and scheduler times are read, grow with work, and sum over pids", (t) => {
  if (!linux) {
    t.pass("no /proc/<pid>/schedstat here");
    return;
  }
  const before = processSchedUs(process.pid)!;
  const cpuBefore = processCpuUs(process.pid)!;
  for (let round = 0; round < 300; round++) piDigits(1000);
  const after = processSchedUs(process.pid)!;
  // The test may run on a worker thread: the process's CPU grows with this work, the main thread's
  // times (schedstat) at least never go back.
  t.true(processCpuUs(process.pid)! > cpuBefore, "the process ran");
  t.true(after.cpuUs >= before.cpuUs && after.waitUs >= before.waitUs, "scheduler times never go back");
  const twice = schedTotals([process.pid, process.pid])!;
  t.true(twice.cpuUs >= 2 * after.cpuUs, "a total is the sum of its pids' times");
});

test("a pid that does not exist is unknown, and so is any total that includes it", (t) => {
  const missing = 2 ** 22 + 7; // above the kernel's pid limit (4194304)
  t.is(processSchedUs(missing), undefined);
  t.is(processCpuUs(missing), undefined);
  t.is(schedTotals([process.pid, missing]), undefined);
});
