// The point executor's warm-up: before the measured run, every automaton the workload lists
// (driver.automata()) is activated through the metadata workflow, as an operator deploying the
// application would, and the run waits until all those activations have finished. Measuring
// starts then, so a point's throughput, latency and cost describe the deployed system, not its
// deployment: on a blob-backed DARQ, placing a few hundred automata takes seconds of virtual time
// (every metadata step waits for a blob write), which would otherwise swamp a short run.
//
// Progress is polled every `pollUs` of virtual time from the metadata state's finished-activation
// count; `warmupUsMax` bounds the wait (STYLE 6): an activation that cannot finish (no node fits)
// is a clear simulationLimit error, never a hang. Workloads that list no automata skip this.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { WorkloadDriver } from "../../workloads/driver.ts";
import type { SimCluster } from "./sim-cluster.ts";

const pollUs = 10_000;
/** Longest warm-up: one simulated hour. */
export const warmupUsMax = 3_600_000_000;

/** Activates the driver's automata and runs until they are placed; returns the virtual time it took. */
export function warmUp(cluster: SimCluster, driver: WorkloadDriver): number {
  const startUs = cluster.nowUs();
  let requested = 0;
  for (const id of driver.automata()) {
    cluster.request({ type: "activate", id });
    requested++;
  }
  if (requested === 0) return 0;
  const before = cluster.metadata?.opsFinished.activate ?? 0;
  for (;;) {
    cluster.runFor(pollUs);
    const finished = (cluster.metadata?.opsFinished.activate ?? before) - before;
    if (finished >= requested && cluster.metadataIdle()) return cluster.nowUs() - startUs;
    if (cluster.nowUs() - startUs >= warmupUsMax) {
      throw new SsmsError(ErrorCode.simulationLimit,
        `warm-up: ${finished} of ${requested} automata activated after ${warmupUsMax / 1e6} s of virtual time; is every DARQ or compute node of the placement down?`);
    }
  }
}
