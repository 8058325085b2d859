// Checks an Observation before policies read it: the monitor is another component (and a live
// one reads real measurements), so a bad observation should fail at the seam with every problem
// named by its path, not as a NaN deep in the cost model. Checked: the window runs forward; ids
// are unique; rates, sizes and counts are finite and ≥ 0; utilisation is ≥ 0 (it may exceed 1 when
// overloaded); placements, standbys and host nodes name known nodes of the right role; VM sizes
// and storage tiers exist in the price book. Talk edges may name automata outside the observation
// (external services), so only their rates are checked.

import { ErrorCode } from "../engine/io/errors.ts";
import { err, ok, type Result } from "../engine/io/result.ts";
import type { AutomatonObservation, NodeObservation, Observation } from "./observation.ts";
import { storageTierNamed, vmPriceNamed } from "./price-book.ts";

const problemsMax = 50;

function nonNegative(problems: string[], path: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) problems.push(`${path} must be a finite number ≥ 0, got ${String(value)}`);
}

function checkNode(problems: string[], observation: Observation, node: NodeObservation, path: string, ids: ReadonlyMap<string, NodeObservation>): void {
  for (const field of ["cores", "utilisation", "costUsdPerHour", "failuresPerHour"] as const) nonNegative(problems, `${path}.${field}`, node[field]);
  if (node.size !== null && vmPriceNamed(observation.prices, node.size) === undefined) {
    problems.push(`${path}.size: '${node.size}' is not a VM size of price book ${observation.prices.profile}`);
  }
  if (node.kind === "vm" && node.size === null) problems.push(`${path}.size: a vm node needs a size`);
  if (node.kind === "darq" && (node.storageTier === null || storageTierNamed(observation.prices, node.storageTier) === undefined)) {
    problems.push(`${path}.storageTier: '${String(node.storageTier)}' is not a storage tier of price book ${observation.prices.profile}`);
  }
  if (node.kind === "darq-spare" && ids.get(node.hostNode ?? "")?.kind !== "darq") problems.push(`${path}.hostNode: a darq-spare node needs its DARQ node, got ${String(node.hostNode)}`);
}

function checkAutomaton(problems: string[], automaton: AutomatonObservation, path: string, nodes: ReadonlyMap<string, NodeObservation>): void {
  const rates = ["messagesInPerS", "messagesOutPerS", "stepsPerS", "stepLatencyUsP50", "stepLatencyUsP99", "computeCoreUsPerStep",
    "bytesInPerS", "bytesOutPerS", "logBytesPerS", "logBytes", "backlogMessages", "placedAtUs"] as const;
  for (const field of rates) nonNegative(problems, `${path}.${field}`, automaton[field]);
  const { computeNode, darqNode } = automaton.placement;
  if (computeNode !== null) {
    const node = nodes.get(computeNode);
    if (node === undefined || node.kind === "darq") problems.push(`${path}.placement.computeNode: '${computeNode}' is not a known compute node`);
  }
  if (darqNode !== null && nodes.get(darqNode)?.kind !== "darq") problems.push(`${path}.placement.darqNode: '${darqNode}' is not a known DARQ node`);
  automaton.standbys.forEach((standby, position) => {
    const node = nodes.get(standby);
    if (node === undefined || node.kind === "darq") problems.push(`${path}.standbys[${position}]: '${standby}' is not a known compute node`);
  });
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}

/** The observation if it is consistent; otherwise every problem (up to 50) with its path. */
export function observationCheck(observation: Observation): Result<Observation> {
  const problems: string[] = [];
  if (!(observation.windowEndUs > observation.windowStartUs)) problems.push(`windowEndUs (${observation.windowEndUs}) must be after windowStartUs (${observation.windowStartUs})`);
  for (const id of duplicates(observation.nodes.map((node) => node.id))) problems.push(`nodes: id '${id}' appears twice`);
  for (const id of duplicates(observation.automata.map((automaton) => automaton.id))) problems.push(`automata: id '${id}' appears twice`);
  const nodes = new Map(observation.nodes.map((node) => [node.id, node]));
  observation.nodes.forEach((node, position) => checkNode(problems, observation, node, `nodes[${position}] (${node.id})`, nodes));
  observation.automata.forEach((automaton, position) => checkAutomaton(problems, automaton, `automata[${position}] (${automaton.id})`, nodes));
  observation.talk.forEach((edge, position) => {
    nonNegative(problems, `talk[${position}].messagesPerS`, edge.messagesPerS);
    nonNegative(problems, `talk[${position}].bytesPerS`, edge.bytesPerS);
  });
  observation.pools.forEach((pool, position) => nonNegative(problems, `pools[${position}] (${pool.name}).count`, pool.count));
  if (problems.length === 0) return ok(observation);
  const shown = problems.slice(0, problemsMax);
  const more = problems.length > problemsMax ? `; and ${problems.length - problemsMax} more` : "";
  return err(ErrorCode.argumentInvalid, `observation: ${shown.join("; ")}${more}`);
}
