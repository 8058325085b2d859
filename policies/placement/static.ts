// Static placement, as configured: each automaton type names a compute pool and a DARQ pool, and
// within a pool the automaton goes to the node its id hashes to (stable: the same automaton lands
// on the same node every run, with no state and no randomness). Params, a flat map:
//   computePool, darqPool                 pools for every type ("" = any up node)
//   <type>.computePool, <type>.darqPool   overrides for one automaton type
// An automaton that keeps a logical DARQ (compute released only) stays on that DARQ.
// When a named pool has no up node, the automaton is left pending: the runner sees no decision
// and the next observation asks again (a static policy does not improvise).

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Random } from "../../engine/io/random.ts";
import { decide, type Decision } from "../decision.ts";
import { computeNodesUp, darqNodesUp, idHash, pendingAutomata } from "../nodes.ts";
import type { Observation } from "../observation.ts";
import type { PolicyParams } from "../policy.ts";

export type StaticPools = { readonly computePool: string; readonly darqPool: string };
export type StaticParams = { readonly all: StaticPools; readonly byType: ReadonlyMap<string, StaticPools> };

const keyPattern = /^(?:(.+)\.)?(computePool|darqPool)$/;

/** Reads the flat params; unknown keys and non-string values are config errors. */
export function staticParamsResolve(params: PolicyParams, where = "placement.params"): StaticParams {
  const problems: string[] = [];
  const all = { computePool: "", darqPool: "" };
  const byType = new Map<string, { computePool: string; darqPool: string }>();
  for (const [key, value] of Object.entries(params)) {
    const match = keyPattern.exec(key);
    if (match === null) {
      problems.push(`${where}.${key}: unknown parameter (use computePool, darqPool, <type>.computePool or <type>.darqPool)`);
      continue;
    }
    if (typeof value !== "string") {
      problems.push(`${where}.${key}: must be a pool name, got ${JSON.stringify(value)}`);
      continue;
    }
    const type = match[1];
    const field = match[2] as "computePool" | "darqPool";
    if (type === undefined) {
      all[field] = value;
    } else {
      const entry = byType.get(type) ?? { computePool: "", darqPool: "" };
      entry[field] = value;
      byType.set(type, entry);
    }
  }
  if (problems.length > 0) throw new SsmsError(ErrorCode.configInvalid, problems.join("; "));
  // A type that overrides one pool inherits the other from the defaults.
  for (const entry of byType.values()) {
    if (entry.computePool === "") entry.computePool = all.computePool;
    if (entry.darqPool === "") entry.darqPool = all.darqPool;
  }
  return { all, byType };
}

export function placementStatic(observation: Observation, params: PolicyParams, _random?: Random): Decision[] {
  const config = staticParamsResolve(params);
  const decisions: Decision[] = [];
  for (const automaton of pendingAutomata(observation)) {
    const pools = config.byType.get(automaton.type) ?? config.all;
    const computes = computeNodesUp(observation, pools.computePool);
    const darqs = darqNodesUp(observation, pools.darqPool);
    const hash = idHash(automaton.id);
    const darqNode = automaton.placement.darqNode ?? darqs[hash % Math.max(1, darqs.length)]?.id;
    const computeNode = automaton.placement.computeNode ?? computes[hash % Math.max(1, computes.length)]?.id;
    if (darqNode === undefined || computeNode === undefined) continue;
    decisions.push(decide.place(automaton.id, computeNode, darqNode,
      `static: type ${automaton.type} → pools ${pools.computePool || "any"}/${pools.darqPool || "any"}`));
  }
  return decisions;
}
