// The simulated cluster as a FaultTarget (sim/faults/injector.ts), so seeded fault models and
// recorded fault schedules drive it. Node faults name DARQ or compute nodes; network faults name
// hosts, which are the node names (a darq-spare compute node is its DARQ node's host).
//
//   crash/restart     the node's process (a spare's crash is its DARQ machine's: one process)
//   diskTornWrite     a DARQ node's crash whose device keeps a torn unflushed tail
//   pause/resume      compute work freezes and the host drops off the network (a stopped VM or a
//                     long GC pause, as far as its peers can tell); timers inside still fire
//   spotPreempt       a spot VM's eviction: notice now, killed after the profile's notice period;
//                     nodes that are not spot VMs ignore it
//   network faults    handed to the NetworkModel unchanged

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { FaultTarget } from "../faults/injector.ts";
import type { SimCluster } from "./sim-cluster.ts";

export class ClusterFaultTarget implements FaultTarget {
  /** Partitions that model pauses, by paused host. */
  private readonly pauses = new Map<string, number>();

  constructor(private readonly cluster: SimCluster) {}

  crash(node: string): void {
    const darq = this.darqOf(node);
    if (darq !== null) this.cluster.crashDarqNode(darq);
    else this.cluster.crashComputeNode(node);
  }

  restart(node: string): void {
    const darq = this.darqOf(node);
    if (darq !== null) this.cluster.restartDarqNode(darq);
    else this.cluster.restartComputeNode(node);
  }

  diskTornWrite(node: string): void {
    const darq = this.darqOf(node);
    if (darq === null) throw new SsmsError(ErrorCode.argumentInvalid, `diskTornWrite: '${node}' has no log device (not a DARQ node)`);
    this.cluster.crashDarqNode(darq, "torn");
  }

  pause(node: string): void {
    const host = this.hostOf(node);
    if (this.pauses.has(host)) return;
    for (const machine of this.machinesOn(host)) machine.model.pause();
    this.pauses.set(host, this.isolate(host));
  }

  resume(node: string): void {
    const host = this.hostOf(node);
    const partition = this.pauses.get(host);
    if (partition === undefined) return;
    this.pauses.delete(host);
    this.cluster.network.networkHeal(partition);
    for (const machine of this.machinesOn(host)) machine.model.resume();
  }

  spotPreempt(node: string): void {
    if (this.darqOf(node) !== null) return;
    this.cluster.computeMachine(node).model.preempt(() => this.cluster.crashComputeNode(node));
  }

  networkPartition(groups: readonly (readonly string[])[], asymmetric: boolean): void {
    this.cluster.network.networkPartition(groups, asymmetric);
  }

  /** Ends every network partition, except that paused hosts stay cut off until resumed. */
  networkHeal(): void {
    this.cluster.network.networkHeal();
    for (const host of [...this.pauses.keys()]) this.pauses.set(host, this.isolate(host));
  }

  linkLoss(hosts: readonly string[], rate: number): void {
    this.cluster.network.linkLoss(hosts, rate);
  }

  linkDuplicate(hosts: readonly string[], rate: number): void {
    this.cluster.network.linkDuplicate(hosts, rate);
  }

  linkReorder(hosts: readonly string[], jitterUs: number): void {
    this.cluster.network.linkReorder(hosts, jitterUs);
  }

  private isolate(host: string): number {
    const others = [...new Set([...this.cluster.darqNodeNames(), ...this.cluster.computeNodeNames()].map((name) => this.hostOf(name)))]
      .filter((name) => name !== host);
    return this.cluster.network.networkPartition([[host], [...others, "world"]]);
  }

  /** The DARQ node whose process `node` is (itself, or a spare's DARQ node), or null. */
  private darqOf(node: string): string | null {
    if (this.cluster.darqMachines.has(node)) return node;
    const machine = this.cluster.computeMachine(node);
    return machine.config.kind === "darq-spare" ? machine.config.darqNode! : null;
  }

  private hostOf(node: string): string {
    return this.darqOf(node) ?? node;
  }

  private machinesOn(host: string) {
    return this.cluster.darqMachines.has(host) ? this.cluster.sparesOf(host) : [this.cluster.computeMachine(host)];
  }
}
