// Pool actuators: the autoscaler's horizontal knob on a running SimCluster. A vm pool grows by new
// nodes (`<pool>-<k>`, numbered on from the highest the pool ever had, spread over its zones) and
// shrinks by giving back nodes that run nothing: no automaton's record names them, no metadata
// operation is heading there and no processor runs on them. Removing a node stops its VM's
// billing in the ledger. Serverless pools (their cap is the plan's), spare cores (they come with
// their DARQ machine) and DARQ pools (a DARQ's log cannot be given back while it holds state)
// do not change: such a decision is refused with the reason.

import type { SimCluster } from "../cluster/sim-cluster.ts";

export type PoolSpec = {
  readonly name: string;
  readonly kind: "vm" | "serverless" | "darq-spare" | "darq";
  /** VM size of a vm pool's nodes. */
  readonly size?: string;
  readonly spot?: boolean;
  readonly zones: readonly string[];
  /** Nodes the pool starts with, by name. */
  readonly nodes: readonly string[];
};

/** Which pool each node belongs to; grows as pools do. */
export class PoolRegistry {
  private readonly byNode = new Map<string, string>();
  readonly specs = new Map<string, PoolSpec>();

  constructor(pools: readonly PoolSpec[]) {
    for (const pool of pools) {
      this.specs.set(pool.name, pool);
      for (const node of pool.nodes) this.byNode.set(node, pool.name);
    }
  }

  readonly poolOf = (node: string): string => this.byNode.get(node) ?? node;

  add(node: string, pool: string): void {
    this.byNode.set(node, pool);
  }

  nodesOf(pool: string, cluster: SimCluster): string[] {
    return [...cluster.computeMachines.keys()].filter((node) => this.byNode.get(node) === pool);
  }

  darqNodesOf(pool: string, cluster: SimCluster): string[] {
    return [...cluster.darqMachines.keys()].filter((node) => this.byNode.get(node) === pool);
  }
}

export class PoolActuator {
  /** Nodes added and removed so far. */
  readonly stats = { added: 0, removed: 0 };

  constructor(private readonly cluster: SimCluster, private readonly registry: PoolRegistry) {}

  /** Brings `pool` to `count` nodes; returns why it could not (fully), or null. */
  resize(pool: string, count: number): string | null {
    const spec = this.registry.specs.get(pool);
    if (spec === undefined) return `pool ${pool} is not a pool of this cluster`;
    if (spec.kind !== "vm") return `pool ${pool} is a ${spec.kind} pool; only vm pools change size in the simulated cluster`;
    const nodes = this.registry.nodesOf(pool, this.cluster);
    if (count > nodes.length) this.grow(spec, nodes, count - nodes.length);
    if (count >= nodes.length) return null;
    const empty = nodes.filter((node) => this.isEmpty(node)).sort().reverse();
    const removable = empty.slice(0, nodes.length - count);
    for (const node of removable) this.remove(node);
    const short = nodes.length - count - removable.length;
    return short === 0 ? null : `pool ${pool}: ${short} of its nodes to remove still run automata`;
  }

  /** Adds `more` nodes of the pool's (current) VM size; returns their names. */
  grow(spec: PoolSpec, nodes: readonly string[], more: number): string[] {
    const added: string[] = [];
    let next = 0;
    for (const node of [...nodes, ...spec.nodes]) {
      const number = Number(node.slice(spec.name.length + 1));
      if (node.startsWith(`${spec.name}-`) && Number.isInteger(number)) next = Math.max(next, number + 1);
    }
    for (let index = 0; index < more; index++, next++) {
      const name = `${spec.name}-${next}`;
      this.cluster.addComputeNode({
        name, kind: "vm", size: spec.size!, zone: spec.zones[next % spec.zones.length]!, ...(spec.spot === true ? { spot: true } : {}),
      });
      this.registry.add(name, spec.name);
      this.stats.added++;
      added.push(name);
    }
    return added;
  }

  /** Gives back a node that runs nothing (see isEmpty). */
  remove(node: string): void {
    this.cluster.removeComputeNode(node);
    this.stats.removed++;
  }

  isEmpty(node: string): boolean {
    const metadata = this.cluster.metadata;
    if (metadata === null) return false;
    for (const record of Object.values(metadata.automata)) if (record.computeNode === node || record.standby === node) return false;
    for (const op of Object.values(metadata.ops)) if (op.computeNode === node) return false;
    return (this.cluster.computeMachines.get(node)?.runtime?.processorIds().length ?? 0) === 0;
  }
}
