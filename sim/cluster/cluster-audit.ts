// The cluster audit: what must hold once the metadata workflow is idle — nothing leaked, nothing
// doubled. Tests run it after crash schedules (swarm, metadata crash tests).
//
//   - every user logical DARQ is hosted on exactly one DARQ node, and the metadata workflow has a
//     record of it there (no orphan DARQ); a parked one (deactivated with nothing unconsumed) on none;
//   - every active record has its catalog row (same nodes, version, incarnation, state active),
//     and exactly one running processor with the recorded incarnation, on the recorded compute
//     node; a dormant record has no row and no running processor;
//   - no processor runs anywhere for an automaton except that one (no double activation, no
//     zombie), and the catalog holds no row the workflow does not know of;
//   - a standby is kept exactly where the record names one (on an up node), nowhere else.
// Catalog reads go through the store (with its modelled latency), so the result comes by callback;
// the caller runs the simulation until it arrives.

import type { ActiveAutomatonRow } from "../../engine/catalog/catalog-store.ts";
import { reservedTypePrefix } from "../../engine/runtime/metadata-types.ts";
import type { SimCluster } from "./sim-cluster.ts";

export function clusterAudit(cluster: SimCluster, done: (problems: string[]) => void): void {
  const problems: string[] = [];
  const metadata = cluster.metadata;
  if (metadata === null || !cluster.metadataIdle()) return done(["metadata workflow is not idle: nothing to audit yet"]);
  const hosts = new Map<string, string[]>();
  for (const name of cluster.darqNodeNames()) {
    for (const id of cluster.darqNode(name)?.darq.logicalDarqs() ?? []) {
      if (id.startsWith(reservedTypePrefix)) continue;
      hosts.set(id, [...(hosts.get(id) ?? []), name]);
    }
  }
  for (const [id, nodes] of hosts) {
    if (nodes.length > 1) problems.push(`${id} is hosted on ${nodes.length} DARQ nodes: ${nodes.join(", ")}`);
    const record = metadata.automata[id];
    if (cluster.services.ids().includes(id)) continue;
    if (record === undefined || record.darqNode !== nodes[0]) problems.push(`${id} on ${nodes[0]} is an orphan DARQ (no metadata record there)`);
    if (record?.parked !== undefined) problems.push(`${id} is parked in its metadata record but still hosted on ${nodes.join(", ")}`);
  }
  const running = new Map<string, { node: string; incarnation: number }[]>();
  for (const name of cluster.computeNodeNames()) {
    const node = cluster.computeNode(name);
    for (const id of node?.processorIds() ?? []) {
      const processor = node!.processorOf(id);
      if (processor === undefined || (processor.status !== "running" && processor.status !== "starting" && processor.status !== "idle")) continue;
      running.set(id, [...(running.get(id) ?? []), { node: name, incarnation: processor.incarnation }]);
    }
  }
  standbyCheck(cluster, problems);
  const ids = Object.keys(metadata.automata).sort();
  let pending = ids.length + 1;
  const finish = (): void => {
    if (--pending === 0) done(problems);
  };
  for (const id of ids) {
    const record = metadata.automata[id]!;
    const processors = running.get(id) ?? [];
    running.delete(id);
    if (record.computeNode === null) {
      if (processors.length > 0) problems.push(`${id} is dormant but processors run on ${processors.map((p) => p.node).join(", ")}`);
    } else if (cluster.computeNode(record.computeNode) !== null) {
      const live = processors.filter((p) => p.node === record.computeNode && p.incarnation === record.incarnation);
      if (live.length !== 1 || processors.length !== 1) {
        problems.push(`${id} should run once on ${record.computeNode} (incarnation ${record.incarnation}); runs: ${JSON.stringify(processors)}`);
      }
    }
    cluster.catalog.lookup(id, (row) => {
      if (!row.ok) problems.push(`catalog lookup of ${id}: ${row.reason}`);
      else rowCheck(id, record.computeNode === null ? null : record, row.value, problems);
      finish();
    });
  }
  for (const [id, processors] of running) problems.push(`processors of ${id}, which the workflow does not know: ${JSON.stringify(processors)}`);
  cluster.catalog.count((count) => {
    const active = ids.filter((id) => metadata.automata[id]!.computeNode !== null).length + cluster.services.ids().length;
    if (!count.ok) problems.push(`catalog count: ${count.reason}`);
    else if (count.value !== active) problems.push(`catalog holds ${count.value} rows, the workflow knows ${active} active automata`);
    finish();
  });
}

function standbyCheck(cluster: SimCluster, problems: string[]): void {
  const automata = cluster.metadata!.automata;
  for (const name of cluster.computeNodeNames()) {
    for (const id of cluster.computeNode(name)?.standbyIds() ?? []) {
      if (automata[id]?.standby !== name) problems.push(`a standby of ${id} on ${name}, where its record names ${automata[id]?.standby ?? "none"}`);
    }
  }
  for (const [id, record] of Object.entries(automata)) {
    const node = record.standby ?? null;
    if (node !== null && cluster.computeNode(node) !== null && !cluster.computeNode(node)!.standbyIds().includes(id)) {
      problems.push(`${id}'s record names a standby on ${node}, which keeps none`);
    }
  }
}

type ActiveRecord = { readonly darqNode: string; readonly computeNode: string | null; readonly version: number; readonly incarnation: number };

function rowCheck(id: string, record: ActiveRecord | null, row: ActiveAutomatonRow | null, problems: string[]): void {
  if (record === null) {
    if (row !== null) problems.push(`${id} is dormant but has a catalog row (version ${row.version}, ${row.state})`);
    return;
  }
  if (row === null) return void problems.push(`${id} is active but has no catalog row`);
  const same = row.darqNode === record.darqNode && row.computeNode === record.computeNode && row.version === record.version &&
    row.incarnation === record.incarnation && row.state === "active";
  if (!same) problems.push(`${id}: catalog row ${JSON.stringify(row)} differs from the workflow's record ${JSON.stringify(record)}`);
}
