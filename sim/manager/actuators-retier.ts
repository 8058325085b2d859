// Storage tier change of a DARQ pool (scaleStorage): a DARQ node's log device cannot change tier
// while it runs, so the pool is replaced. New DARQ nodes on the new tier join the pool at once (as
// many as it has, same zones and host VM size), then every manager tick migrates each automaton
// whose logical DARQ is still on an old node to a new one (the migrate workflow fences, copies and
// re-routes it; the processor moves along to a node the placement picks near it) and gives back
// each old node once it hosts nothing: its log device closes and its VM stops, so billing stops.
// A migrate the workflow dropped (the automaton was busy) is asked again on the next tick.
//
// What stays: the metadata DARQ node (it hosts the runtime's own automaton; its user automata
// still move off it), and an old node with a dormant automaton still hosted there (migrate does
// not move dormant automata; `blocked` names them until they wake or are parked).

import { reservedTypePrefix } from "../../engine/runtime/metadata-types.ts";
import { tierNameOf } from "../cluster/cluster-config.ts";
import type { SimCluster } from "../cluster/sim-cluster.ts";
import type { PoolActuator, PoolRegistry } from "./actuators-pools.ts";

export type StorageRetier = { readonly pool: string; readonly tier: string; readonly old: Set<string>; readonly fresh: readonly string[] };

export class StorageRetierer {
  /** Tier changes in progress, by pool. */
  readonly running = new Map<string, StorageRetier>();
  readonly stats = { started: 0, finished: 0, migrations: 0, added: 0, removed: 0 };
  /** When each automaton was last asked to migrate: asked once per instant (a tick and a start may coincide). */
  private readonly askedAtUs = new Map<string, number>();
  /** Dormant automata that keep an old node (see above), as of the last tick. */
  blocked: string[] = [];

  constructor(private readonly cluster: SimCluster, private readonly registry: PoolRegistry, private readonly pools: PoolActuator) {}

  /** Starts moving `pool`'s logical DARQs to new nodes on `tier`; returns why it cannot, or null. */
  start(pool: string, tier: string): string | null {
    const spec = this.registry.specs.get(pool);
    if (spec === undefined) return `pool ${pool} is not a pool of this cluster`;
    if (spec.kind !== "darq") return `pool ${pool} is a ${spec.kind} pool; only DARQ pools change storage tier`;
    const profile = this.cluster.profile;
    if (tierNameOf(profile, tier) === undefined) return `pool ${pool}: storage tier '${tier}' is neither hot-replicated, ssd, blob nor a tier of ${profile.name}`;
    const running = this.running.get(pool);
    // A policy that asks again while the change runs (it still observes old nodes) changes nothing.
    if (running !== undefined) {
      return tierNameOf(profile, running.tier) === tierNameOf(profile, tier) ? null : `pool ${pool} is already changing its storage tier to ${running.tier}`;
    }
    // Nodes already on the tier stay; so does the metadata node once its user automata are gone.
    const wanted = tierNameOf(profile, tier);
    const old = this.registry.darqNodesOf(pool, this.cluster)
      .filter((node) => tierNameOf(profile, this.cluster.darqMachine(node).config.tier) !== wanted)
      .filter((node) => node !== this.cluster.metadataNode || this.hostsUserDarqs(node));
    if (old.length === 0) return null;
    const fresh = this.grow(pool, old, tier);
    this.running.set(pool, { pool, tier, old: new Set(old), fresh });
    this.stats.started++;
    this.tick();
    return null;
  }

  /** One step of every change in progress (called on each manager run). */
  tick(): void {
    this.blocked = [];
    for (const change of [...this.running.values()]) {
      this.migrateOff(change);
      for (const node of [...change.old]) {
        if (!this.cluster.darqMachines.has(node)) change.old.delete(node);
        else if (node !== this.cluster.metadataNode && this.isEmpty(node)) {
          this.cluster.removeDarqNode(node);
          this.stats.removed++;
          change.old.delete(node);
        }
      }
      const left = [...change.old].filter((node) => node !== this.cluster.metadataNode || this.hostsUserDarqs(node));
      if (left.length === 0) {
        this.running.delete(change.pool);
        this.stats.finished++;
      }
    }
  }

  private grow(pool: string, old: readonly string[], tier: string): string[] {
    const spec = this.registry.specs.get(pool)!;
    const template = old.length > 0 ? this.cluster.darqMachine(old[0]!).config : null;
    let next = 0;
    for (const node of [...this.cluster.darqMachines.keys(), ...spec.nodes]) {
      const number = Number(node.slice(pool.length + 1));
      if (node.startsWith(`${pool}-`) && Number.isInteger(number)) next = Math.max(next, number + 1);
    }
    const fresh: string[] = [];
    for (let index = 0; index < Math.max(1, old.length); index++, next++) {
      const name = `${pool}-${next}`;
      this.cluster.addDarqNode({
        name, tier, zone: spec.zones[next % spec.zones.length]!, ...(template?.vmSize === undefined ? {} : { vmSize: template.vmSize }),
      });
      this.registry.add(name, pool);
      this.stats.added++;
      fresh.push(name);
    }
    return fresh;
  }

  /** Asks a migrate for each active, idle automaton whose logical DARQ is on an old node. */
  private migrateOff(change: StorageRetier): void {
    const metadata = this.cluster.metadata;
    if (metadata === null) return;
    let next = 0;
    for (const id of Object.keys(metadata.automata).sort()) {
      const record = metadata.automata[id]!;
      if (!change.old.has(record.darqNode) || record.parked !== undefined) continue;
      if (record.computeNode === null) {
        this.blocked.push(id);
        continue;
      }
      if (metadata.ops[id] !== undefined || this.askedAtUs.get(id) === this.cluster.nowUs()) continue;
      this.askedAtUs.set(id, this.cluster.nowUs());
      this.cluster.request({ type: "migrate", id, darqNode: change.fresh[next++ % change.fresh.length]! });
      this.stats.migrations++;
    }
  }

  private hostsUserDarqs(node: string): boolean {
    const hosted = this.cluster.darqNode(node)?.darq.logicalDarqs() ?? [];
    return hosted.some((id) => !id.startsWith(reservedTypePrefix) && !this.cluster.services.ids().includes(id));
  }

  /** No record (but parked ones) or operation names the node, it hosts only the runtime's own
   *  logical DARQs, and its spare cores run nothing. */
  private isEmpty(node: string): boolean {
    const metadata = this.cluster.metadata;
    if (metadata === null) return false;
    for (const record of Object.values(metadata.automata)) if (record.darqNode === node && record.parked === undefined) return false;
    for (const op of Object.values(metadata.ops)) if (op.darqNode === node || op.darqSource === node) return false;
    if ((this.cluster.darqNode(node)?.darq.logicalDarqs() ?? []).some((id) => !id.startsWith(reservedTypePrefix))) return false;
    return this.cluster.sparesOf(node).every((spare) => this.pools.isEmpty(spare.config.name));
  }
}
