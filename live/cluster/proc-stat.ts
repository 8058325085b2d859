// What the kernel counts of a process, from /proc (Linux): its CPU time, and how long its main
// thread waited, runnable, for a core. Calibration and the live executor read these to tell how
// much of this machine a node process really got. Undefined where /proc does not have them.

import { readFileSync } from "node:fs";

/** CPU time (user + system) of a process so far, µs; undefined where /proc is not there. */
export function processCpuUs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // Fields after the command: state is index 0, utime index 11, stime index 12 (clock ticks).
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return undefined;
  }
}

/**
 * The main thread's time on a CPU and time runnable but waiting for one, µs, from
 * /proc/<pid>/schedstat; undefined where the kernel keeps no such file. For a node process the
 * main thread is its event loop, so cpu / (cpu + wait) is the share of a core it got while it had
 * work: what other work on the machine left it.
 */
export function processSchedUs(pid: number): { readonly cpuUs: number; readonly waitUs: number } | undefined {
  try {
    const [cpuNs, waitNs] = readFileSync(`/proc/${pid}/schedstat`, "utf8").trim().split(/\s+/).map(Number);
    if (!Number.isFinite(cpuNs) || !Number.isFinite(waitNs)) return undefined;
    return { cpuUs: cpuNs! / 1000, waitUs: waitNs! / 1000 };
  } catch {
    return undefined;
  }
}

export type SchedTotals = { readonly cpuUs: number; readonly waitUs: number };

/** The sums of processSchedUs over `pids`; undefined if any is unreadable. */
export function schedTotals(pids: readonly number[]): SchedTotals | undefined {
  let cpuUs = 0;
  let waitUs = 0;
  for (const pid of pids) {
    const sched = processSchedUs(pid);
    if (sched === undefined) return undefined;
    cpuUs += sched.cpuUs;
    waitUs += sched.waitUs;
  }
  return { cpuUs, waitUs };
}
