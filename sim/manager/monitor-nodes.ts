// The node half of the monitor: what each machine of a running SimCluster looks like to the
// policies (kind, pool, size, tier, zone, cores, price, state) and how busy it was since the last
// observation. Compute utilisation is exact (core-µs served by the node's compute model, read as a
// difference between two observations); a DARQ node's utilisation is its committed steps per
// second against the sequencer's ceiling (the cost model's darqStepsPerSMax). Failures per hour
// count the up → down changes this monitor has seen, over the time it has watched.

import type { NodeObservation, NodeState, PoolObservation } from "../../policies/observation.ts";
import type { PriceBook } from "../../policies/price-book.ts";
import { tierNameOf } from "../cluster/cluster-config.ts";
import { computeCores, computeZone } from "../cluster/cluster-nodes.ts";
import type { SimCluster } from "../cluster/sim-cluster.ts";
import { vmSizeKey } from "../profiles/lookup.ts";

/** A node's pool, as the experiment config names it (resizePool and activateOnDemand use it). */
export type PoolOf = (node: string) => string;

/** Sequencer ceiling of one physical DARQ, steps/s (paper §4.2; the cost model's default). */
export const darqStepsPerSCeiling = 750_000;

type NodeMark = { busyCoreUs: number; steps: number; atUs: number; up: boolean; failures: number };

export class NodeMonitor {
  private readonly marks = new Map<string, NodeMark>();
  private readonly startUs: number;

  constructor(private readonly cluster: SimCluster, private readonly prices: PriceBook, private readonly poolOf: PoolOf) {
    this.startUs = cluster.nowUs();
  }

  /** Observations of every node the cluster has (removed nodes are gone from it). */
  observe(): NodeObservation[] {
    const nodes: NodeObservation[] = [];
    for (const [name, machine] of this.cluster.darqMachines) {
      const steps = machine.runtime?.darq.stats.stepsCommitted ?? 0;
      const { rate, state, failuresPerHour } = this.delta(name, 0, steps, machine.runtime !== null);
      const tier = tierNameOf(this.cluster.profile, machine.config.tier) ?? machine.config.tier;
      const size = machine.config.vmSize === undefined ? null : vmSizeKey(this.cluster.profile, machine.config.vmSize) ?? null;
      nodes.push({
        id: name, kind: "darq", pool: this.poolOf(name), size, storageTier: tier, zone: machine.config.zone, cores: 0, hostNode: null,
        spot: false, utilisation: Math.min(1, rate.steps / darqStepsPerSCeiling), costUsdPerHour: this.darqUsdPerHour(size, tier),
        state, failuresPerHour,
      });
    }
    for (const [name, machine] of this.cluster.computeMachines) {
      const config = machine.config;
      const cores = computeCores(this.cluster.profile, config);
      const { rate, state, failuresPerHour } = this.delta(name, machine.model.busyCoreUs(), 0, machine.runtime !== null);
      const size = config.kind === "vm" ? vmSizeKey(this.cluster.profile, config.size!) ?? null : null;
      const capacity = config.kind === "serverless" ? this.prices.serverless.instancesMax : cores;
      nodes.push({
        id: name, kind: config.kind, pool: this.poolOf(name), size, storageTier: null, zone: computeZone(this.cluster.config, config),
        cores: capacity, hostNode: config.kind === "darq-spare" ? config.darqNode! : null, spot: config.spot === true,
        utilisation: Math.min(1, rate.busyCoreUs / 1e6 / Math.max(1, capacity)), costUsdPerHour: this.computeUsdPerHour(size, config.spot === true),
        state, failuresPerHour,
      });
    }
    return nodes;
  }

  /** Pools with their node counts (a serverless pool counts its instance cap). */
  pools(nodes: readonly NodeObservation[]): PoolObservation[] {
    const pools = new Map<string, PoolObservation>();
    for (const node of nodes) {
      if (node.state === "down") continue;
      const held = pools.get(node.pool);
      pools.set(node.pool, {
        name: node.pool, role: node.kind === "darq" ? "darq" : "compute", kind: node.kind, size: node.size, storageTier: node.storageTier,
        count: node.kind === "serverless" ? node.cores : (held?.count ?? 0) + 1,
      });
    }
    return [...pools.values()];
  }

  /** Rates since the last observation of `name`, its state, its failure rate. */
  private delta(name: string, busyCoreUs: number, steps: number, up: boolean) {
    const nowUs = this.cluster.nowUs();
    const mark = this.marks.get(name) ?? { busyCoreUs: 0, steps: 0, atUs: this.startUs, up: true, failures: 0 };
    const seconds = Math.max(1, nowUs - mark.atUs) / 1e6;
    // A restarted DARQ counts its steps from zero: a drop is a new run, not negative work.
    const stepsDone = steps >= mark.steps ? steps - mark.steps : steps;
    const rate = { busyCoreUs: Math.max(0, busyCoreUs - mark.busyCoreUs) / seconds, steps: stepsDone / seconds };
    const failures = mark.failures + (mark.up && !up ? 1 : 0);
    this.marks.set(name, { busyCoreUs, steps, atUs: nowUs, up, failures });
    const watchedHours = Math.max(1, nowUs - this.startUs) / 3.6e9;
    const state: NodeState = up ? "up" : "down";
    return { rate, state, failuresPerHour: failures / Math.max(watchedHours, 1 / 60) };
  }

  private darqUsdPerHour(size: string | null, tier: string): number {
    const vm = size === null ? 0 : this.prices.vmSizes[size]?.usdPerHour ?? 0;
    const storage = this.prices.storageTiers[tier];
    const replicas = (storage?.replicaVms ?? 0) * vm;
    return vm + replicas + (storage?.usdPerMonth ?? 0) / this.prices.hoursPerMonth;
  }

  private computeUsdPerHour(size: string | null, spot: boolean): number {
    if (size === null) return 0;
    const usd = this.prices.vmSizes[size]?.usdPerHour ?? 0;
    return spot ? usd * (1 - this.prices.spotDiscountFraction) : usd;
  }
}
