// The VOPR's heal: the end of the safety phase, after which every fault is over and the run must
// converge (TigerBeetle's VOPR: safety under faults, then liveness once healed).
//
// Faults are applied through the cluster's own FaultTarget (sim/cluster/cluster-faults.ts: crash,
// restart, torn writes, pause as freeze plus isolation, spot preemption with the profile's notice,
// partitions and link faults). The heal ends all of it through the same target and the network
// model: paused nodes resume, partitions heal, loss, duplication and reordering drop to zero on
// every link, and every node that is down restarts (DARQ nodes first: their spare compute comes
// back with them). A spot eviction still in its notice period would kill its VM after the heal;
// cases keep every spotPreempt at least a notice before the heal (vopr-case.ts, vopr-file.ts).

import type { SimCluster } from "../cluster/sim-cluster.ts";
import { worldHost } from "../cluster/cluster-nodes.ts";
import type { ClusterFaultTarget } from "../cluster/cluster-faults.ts";

export function healAll(cluster: SimCluster, target: ClusterFaultTarget): void {
  const darqs = cluster.darqNodeNames();
  const computes = cluster.config.computeNodes.filter((node) => node.kind !== "darq-spare").map((node) => node.name);
  for (const node of [...darqs, ...computes]) target.resume(node);
  target.networkHeal();
  const network = cluster.network;
  for (const hosts of [[], [worldHost, ...darqs, ...computes]]) {
    network.linkLoss(hosts, 0);
    network.linkDuplicate(hosts, 0);
    network.linkReorder(hosts, 0);
  }
  for (const node of darqs) cluster.restartDarqNode(node);
  for (const node of computes) cluster.restartComputeNode(node);
}
