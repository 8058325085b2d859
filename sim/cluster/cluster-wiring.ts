// Small pieces of the simulated cluster's wiring, kept out of sim-cluster.ts: the catalog store
// with the profile's (or the config's) latency, the modelled latency of a control call between
// two nodes, the index of automaton definitions by type, and committed-state reads.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Random } from "../../engine/io/random.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";
import { EntryKind, type PhysicalDarq } from "../../engine/darq/index.ts";
import { replay } from "../../engine/runtime/host-replay.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import { CatalogStoreMemory } from "../../engine/catalog/catalog-store-memory.ts";
import type { AnyAutomatonDefinition } from "../../engine/runtime/automaton.ts";
import { relationNames, type Topology } from "../network/topology.ts";
import { latencyQuantileUs, latencySampler } from "../profiles/latency.ts";
import type { CloudProfile } from "../profiles/schema.ts";
import type { Simulator } from "../simulator.ts";
import type { SimClusterConfig } from "./cluster-config.ts";
import { computeAddress } from "./cluster-nodes.ts";

/** The catalog: in memory, each operation taking the profile's catalog latency (or the config's). */
export function catalogFor(config: SimClusterConfig, profile: CloudProfile, sim: Simulator): CatalogStoreMemory {
  const latency = config.catalogLatency ?? "profile";
  if (latency === "none") return new CatalogStoreMemory();
  const sampler = latency === "profile" ? latencySampler(profile.catalog.writeLatency)
    : (random: Random) => random.intRange(latency.minUs, latency.maxUs);
  return new CatalogStoreMemory({ clock: sim.clock, random: sim.random.fork("catalog"), latencyUs: sampler });
}

/** Median one-way latency between the main addresses of two nodes (a control call's each way). */
export function oneWayUs(topology: Topology, profile: CloudProfile, darqNodes: ReadonlyMap<string, unknown>, from: string, to: string): number {
  const address = (node: string): string => (darqNodes.has(node) ? node : computeAddress(node));
  const relation = topology.relation(topology.addressIndexOf(address(from)), topology.addressIndexOf(address(to)));
  return Math.max(1, Math.round(latencyQuantileUs(profile.network.links[relationNames[relation]].oneWayLatency, 0.5)));
}

/** Catalog writes at boot cannot fail but by a bug: say which. */
export function bootDone(result: Result<unknown>): void {
  if (!result.ok) throw new SsmsError(result.code, `cluster bootstrap: ${result.reason}`);
}

export function definitionsIndex(definitions: readonly AnyAutomatonDefinition[]): Map<string, AnyAutomatonDefinition> {
  const index = new Map<string, AnyAutomatonDefinition>();
  for (const definition of definitions) {
    if (index.has(definition.type)) {
      throw new SsmsError(ErrorCode.configInvalid, `two automaton definitions have the type '${definition.type}'`);
    }
    index.set(definition.type, definition);
  }
  return index;
}

/** The committed state of `id`: its durable SELF entries, on whichever of `darqs` hosts it, replayed. */
export function committedStateOf(
  definitions: ReadonlyMap<string, AnyAutomatonDefinition>, darqs: readonly (PhysicalDarq | undefined)[], id: string,
): Result<unknown> {
  const definition = definitions.get(id.slice(0, id.indexOf("/")));
  if (definition === undefined) return err(ErrorCode.argumentInvalid, `no definition for '${id}'`);
  for (const darq of darqs) {
    if (darq === undefined || !darq.hosts(id)) continue;
    const entries = darq.readUnconsumed(id);
    if (!entries.ok) return entries;
    const replayed = replay(definition, id as AutomatonId, entries.value.filter((entry) => entry.kind === EntryKind.self), 0);
    return replayed.ok ? ok(replayed.value.state) : replayed;
  }
  return err(ErrorCode.logicalDarqUnknown, `no up DARQ node hosts '${id}'`);
}
