// Figure 4 in the paper's own storage setup, a what-if beside the figure. The paper ran its
// hot-replicated backend "simulated with volatile memory" (§4.4) and assumed 3-way replication
// only to price it. Our hot-replicated tier pays for the replication it is priced for: a flush
// waits for one parallel round trip to two backups (median 100 µs, sim/profiles/azure-2024.json),
// and at a small compute scale that round trip is most of a co-located hop, while the hops that
// cross machines pay it too but also pay the network. So the figure keeps the priced model, and
// the claims table adds what the paper's setup would show: the Figure 4 run's own config (its
// frozen config.json) at its smallest compute scale, once per co-location mode, on a copy of its
// profile whose hot-replicated tier keeps no backups (a flush is done when the primary's memory
// has it, sim/storage/log-device-replicated.ts), for the figure's own duration and seed.
// Deterministic, like every simulated run.

import { experimentDurationUs, type Experiment } from "../schema.ts";
import { executePointSim } from "../../sim/cluster/point-executor.ts";
import { cloudProfileRegister, loadCloudProfileDocument } from "../../sim/profiles/load.ts";
import { readText } from "../results/figures.ts";

export type ColocationRatios = { readonly c: number; readonly both: number; readonly darq: number };

/** The profile `name` with a hot-replicated tier of volatile memory (no backups), registered. */
function volatileProfile(name: string): string {
  const volatileName = `${name}-volatile`.slice(0, 64);
  const document = structuredClone(loadCloudProfileDocument(name)) as unknown as Record<string, any>;
  document["name"] = volatileName;
  const tier = document["storage"]["tiers"]["hot-replicated"];
  if (tier === undefined || tier["kind"] !== "replicatedMemory") throw new Error(`profile ${name} has no replicated-memory tier 'hot-replicated'`);
  tier["replicas"] = {
    value: 1,
    source: "https://www.vldb.org/cidrdb/2024/serverless-state-management-systems.html (§4.4: 'hot-replicated (simulated with volatile memory)'; 3-way replication was assumed only for the price)",
    asOf: "CIDR 2024",
  };
  cloudProfileRegister(volatileName, document);
  return volatileName;
}

/** The co-location ratios of the Figure 4 run's smallest scale with a volatile-memory DARQ. */
export function volatileWhatIf(runDir: string): ColocationRatios & { readonly durationS: number } {
  const config = JSON.parse(readText(runDir, "config.json")) as Experiment;
  const workload = config.workload;
  if (workload.kind !== "pi-chain") throw new Error(`${runDir}: the co-location what-if needs the pi chain, not ${workload.kind}`);
  const grid = config.sweep?.grid ?? {};
  const scales = ((grid["workload.computeScale"] as number[] | undefined) ?? [workload.computeScale]).toSorted((a, b) => a - b);
  const c = scales[0]!;
  const profile = volatileProfile(config.cluster.profile);
  const throughput = (colocation: "none" | "darq" | "darq-and-compute"): number => {
    const point: Experiment = {
      ...config, workload: { ...workload, computeScale: c }, cluster: { ...config.cluster, profile },
      placement: { ...config.placement, colocation },
    };
    delete (point as { sweep?: unknown }).sweep;
    const options = { pointIndex: 0, replication: 0, baseDir: runDir, trace: false, timeseriesIntervalUs: experimentDurationUs(config) };
    return executePointSim(point, String(config.seed), options).throughputPerS;
  };
  const none = throughput("none");
  return { c, both: throughput("darq-and-compute") / none, darq: throughput("darq") / none, durationS: experimentDurationUs(config) / 1e6 };
}
