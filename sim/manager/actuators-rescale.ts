// Vertical scaling of a vm pool (scaleCompute with a size): a running VM cannot change its size,
// so the pool is replaced. New nodes of the new size join the pool at once (as many as it has),
// then every manager tick moves the processors still on an old node to the new ones
// (moveCompute) and gives back each old node once it runs nothing, which stops its billing.
// A standby on an old node is removed and, once its primary is off the old nodes, added again on
// a new node. A request the metadata workflow dropped (the automaton was busy with another operation) is
// simply asked again on the next tick, since the record still names an old node. An automaton
// that a placement puts on an old node meanwhile is moved the same way. The change is done when
// no old node is left.

import type { MetadataMessage } from "../../engine/runtime/metadata-types.ts";
import { vmSizeKey } from "../profiles/lookup.ts";
import type { SimCluster } from "../cluster/sim-cluster.ts";
import type { PoolActuator, PoolRegistry } from "./actuators-pools.ts";

export type ComputeResize = { readonly pool: string; readonly size: string; readonly old: Set<string>; readonly fresh: readonly string[] };

export class ComputeRescaler {
  /** Pool changes in progress, by pool. */
  readonly running = new Map<string, ComputeResize>();
  readonly stats = { started: 0, finished: 0, moves: 0 };
  /** When each automaton was last asked to move: asked once per instant (a tick and a start may coincide). */
  private readonly askedAtUs = new Map<string, number>();
  /** Automata whose standby was removed from an old node, to get one again on a new node. */
  private readonly restandby = new Set<string>();

  constructor(private readonly cluster: SimCluster, private readonly registry: PoolRegistry, private readonly pools: PoolActuator) {}

  /** Starts replacing `pool`'s nodes by `count` (else as many) `size` nodes; returns why it cannot, or null. */
  start(pool: string, size: string, count: number | null): string | null {
    const spec = this.registry.specs.get(pool);
    if (spec === undefined) return `pool ${pool} is not a pool of this cluster`;
    if (spec.kind !== "vm") return `pool ${pool} is a ${spec.kind} pool; only vm pools change VM size`;
    if (vmSizeKey(this.cluster.profile, size) === undefined) return `pool ${pool}: VM size '${size}' is not in cloud profile ${this.cluster.profile.name}`;
    const running = this.running.get(pool);
    // A policy that asks again while the change runs (it still observes old nodes) changes nothing.
    if (running !== undefined) return running.size === size ? null : `pool ${pool} is already changing its VM size to ${running.size}`;
    if (spec.size === size) return count === null ? null : this.pools.resize(pool, count);
    const old = this.registry.nodesOf(pool, this.cluster);
    const resized = { ...spec, size };
    this.registry.specs.set(pool, resized);
    const fresh = this.pools.grow(resized, old, Math.max(1, count ?? old.length));
    this.running.set(pool, { pool, size, old: new Set(old), fresh });
    this.stats.started++;
    this.tick();
    return null;
  }

  /** One step of every change in progress (called on each manager run). */
  tick(): void {
    for (const change of [...this.running.values()]) {
      this.moveOff(change);
      for (const node of [...change.old]) {
        if (!this.cluster.computeMachines.has(node)) change.old.delete(node);
        else if (this.pools.isEmpty(node)) {
          this.pools.remove(node);
          change.old.delete(node);
        }
      }
      if (change.old.size === 0) {
        this.running.delete(change.pool);
        this.stats.finished++;
      }
    }
  }

  /**
   * For each idle automaton on an old node: a standby there is removed first (and added again on
   * a new node once the primary is off the old ones), then the primary is moved.
   */
  private moveOff(change: ComputeResize): void {
    const metadata = this.cluster.metadata;
    if (metadata === null) return;
    let next = 0;
    for (const id of Object.keys(metadata.automata).sort()) {
      const record = metadata.automata[id]!;
      if (metadata.ops[id] !== undefined || this.askedAtUs.get(id) === this.cluster.nowUs()) continue;
      const standby = record.standby ?? null;
      const onOld = record.computeNode !== null && change.old.has(record.computeNode);
      if (standby !== null && change.old.has(standby)) {
        this.ask(id, { type: "removeStandby", id, computeNode: standby });
        this.restandby.add(id);
      } else if (onOld) {
        this.ask(id, { type: "moveCompute", id, computeNode: change.fresh[next++ % change.fresh.length]! });
        this.stats.moves++;
      } else if (this.restandby.has(id) && standby === null && record.computeNode !== null) {
        this.restandby.delete(id);
        const node = change.fresh.find((fresh) => fresh !== record.computeNode && this.cluster.computeMachines.has(fresh));
        if (node !== undefined) this.ask(id, { type: "addStandby", id, computeNode: node });
      }
    }
  }

  private ask(id: string, message: MetadataMessage): void {
    this.askedAtUs.set(id, this.cluster.nowUs());
    this.cluster.request(message);
  }
}
