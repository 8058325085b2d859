// What a sweep took of the machine, told after its points ran: wall time, the CPU time of this
// process (the main thread and every worker thread: process.cpuUsage counts them all) and how
// many points each worker thread ran. CPU ÷ wall is the number of cores kept busy on average, so
// a two-thread sweep on two free cores shows close to 2; one well below the thread count says the
// machine is shared or the points are too short to keep the threads fed.

import { performance } from "node:perf_hooks";

export class PoolUsage {
  private readonly startMs = performance.now();
  private readonly cpuStart = process.cpuUsage();
  private readonly pointsByWorker = new Map<number, number>();

  /** A point finished on `worker` (0: this thread). */
  pointDone(worker: number): void {
    this.pointsByWorker.set(worker, (this.pointsByWorker.get(worker) ?? 0) + 1);
  }

  /** One line for the log: points per thread, wall and CPU seconds, cores kept busy. */
  report(): string {
    const wallS = (performance.now() - this.startMs) / 1000;
    const cpu = process.cpuUsage(this.cpuStart);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const counts = [...this.pointsByWorker].sort((a, b) => a[0] - b[0]).map(([, points]) => points);
    const points = counts.reduce((sum, count) => sum + count, 0);
    const where = this.pointsByWorker.has(0) ? "in this thread" : `on ${counts.length} worker thread${counts.length === 1 ? "" : "s"} (${counts.join(" + ")} points)`;
    return `ran ${points} points ${where} in ${wallS.toFixed(1)} s: ${cpuS.toFixed(1)} s of CPU, ${(cpuS / Math.max(wallS, 1e-3)).toFixed(2)} cores busy on average\n`;
  }
}
