// Placement: which compute node runs an automaton's processor and which DARQ node holds its
// logical DARQ (paper §4.1: "placement selects the DARQ instance and compute instance for each
// automaton"). A placement is a pure function of plain data, so the metadata workflow can record
// its answer as an event (replay never re-decides) and the policy engineer can add policies in
// policies/ without touching the engine:
//
//   type Placement = (automatonId, type, pools, load) → { computeNode, darqNode } | null
//
// `null` means "no node fits right now" (every candidate is down); the workflow waits for a node
// to come up. Shipped here: static (type → pool names, from config), round-robin and hash. Each
// considers only nodes that are `up`; ties and orders are by node position in the pools, which
// are listed in a fixed order, so a placement is deterministic.

import { ErrorCode, SsmsError } from "../io/errors.ts";
import { idHash32 } from "./step-random.ts";

export type ComputeKind = "vm" | "serverless" | "darq-spare";
export type DarqTier = "hot-replicated" | "ssd" | "blob";

/** A compute node as placement sees it. */
export type ComputeNodeInfo = {
  readonly id: string;
  readonly kind: ComputeKind;
  /** Pool name (e.g. "vm:Standard_D8s_v3", "serverless", "spare:d1"). */
  readonly pool: string;
  readonly zone: string;
  readonly cores: number;
  /** For darq-spare: the DARQ node whose machine it shares (in-process access). */
  readonly darqNode: string | null;
  readonly up: boolean;
};

/** A DARQ node as placement sees it. */
export type DarqNodeInfo = {
  readonly id: string;
  readonly tier: DarqTier;
  readonly pool: string;
  readonly zone: string;
  readonly up: boolean;
};

export type Pools = {
  readonly compute: readonly ComputeNodeInfo[];
  readonly darq: readonly DarqNodeInfo[];
};

/** What a placement may weigh besides the pools: counts kept by the metadata workflow. */
export type PlacementLoad = {
  /** Activations placed so far (round-robin's cursor). */
  readonly placedCount: number;
  /** Automata per node id (compute and DARQ nodes), active ones only. */
  readonly automataByNode: Readonly<Record<string, number>>;
};

export type PlacementChoice = { readonly computeNode: string; readonly darqNode: string };

export type Placement = (
  automatonId: string, type: string, pools: Pools, load: PlacementLoad,
) => PlacementChoice | null;

/** Pool names per automaton type; `"*"` is the fallback for types not listed. */
export type PlacementStaticConfig = Readonly<Record<string, { readonly compute: string; readonly darq: string }>>;

function upCompute(pools: Pools, pool?: string): ComputeNodeInfo[] {
  return pools.compute.filter((node) => node.up && (pool === undefined || node.pool === pool));
}

function upDarq(pools: Pools, pool?: string): DarqNodeInfo[] {
  return pools.darq.filter((node) => node.up && (pool === undefined || node.pool === pool));
}

/** The compute node for a DARQ node: its spare cores if a darq-spare node sits there. */
function spareOf(computes: readonly ComputeNodeInfo[], darqNode: string): ComputeNodeInfo | undefined {
  return computes.find((node) => node.kind === "darq-spare" && node.darqNode === darqNode);
}

/** Fewest active automata first, then pool order: spreads load without randomness. */
function leastLoaded<T extends { readonly id: string }>(nodes: readonly T[], load: PlacementLoad): T | undefined {
  let best: T | undefined;
  let bestCount = Number.POSITIVE_INFINITY;
  for (const node of nodes) {
    const count = load.automataByNode[node.id] ?? 0;
    if (count < bestCount) {
      best = node;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Static placement from config: each type names a compute pool and a DARQ pool; within a pool
 * the least-loaded node wins. A darq-spare compute pool means "the spare cores of the chosen
 * DARQ node" (co-location), so the DARQ is chosen first.
 */
export function placementStatic(config: PlacementStaticConfig): Placement {
  return (_id, type, pools, load) => {
    const rule = config[type] ?? config["*"];
    if (rule === undefined) {
      throw new SsmsError(ErrorCode.configInvalid,
        `static placement has no rule for automaton type '${type}' and no '*' fallback`);
    }
    const computes = upCompute(pools, rule.compute);
    const spareOnly = computes.length > 0 && computes.every((node) => node.kind === "darq-spare");
    const darqs = upDarq(pools, rule.darq).filter((darq) => !spareOnly || spareOf(computes, darq.id) !== undefined);
    const darq = leastLoaded(darqs, load);
    if (darq === undefined) return null;
    const compute = spareOnly ? spareOf(computes, darq.id) : leastLoaded(computes, load);
    return compute === undefined ? null : { computeNode: compute.id, darqNode: darq.id };
  };
}

/** Round-robin over up DARQ nodes and, independently, over up compute nodes. */
export const placementRoundRobin: Placement = (_id, _type, pools, load) => {
  const darqs = upDarq(pools);
  const computes = upCompute(pools);
  if (darqs.length === 0 || computes.length === 0) return null;
  const turn = load.placedCount;
  return { computeNode: computes[turn % computes.length]!.id, darqNode: darqs[turn % darqs.length]!.id };
};

/**
 * Hash placement: the automaton id picks the DARQ node (stable while the set of up nodes is), and
 * the compute node is that DARQ node's spare cores if it has them, else hashed too.
 */
export const placementHash: Placement = (id, _type, pools, _load) => {
  const darqs = upDarq(pools);
  const computes = upCompute(pools);
  if (darqs.length === 0 || computes.length === 0) return null;
  const hash = idHash32(id);
  const darq = darqs[hash % darqs.length]!;
  const compute = spareOf(computes, darq.id) ?? computes[(hash >>> 8) % computes.length]!;
  return { computeNode: compute.id, darqNode: darq.id };
};

export type PlacementSpec =
  | { readonly policy: "round-robin" }
  | { readonly policy: "hash" }
  | { readonly policy: "static"; readonly types: PlacementStaticConfig };

/** The placement a config names. */
export function placementOf(spec: PlacementSpec): Placement {
  switch (spec.policy) {
    case "round-robin":
      return placementRoundRobin;
    case "hash":
      return placementHash;
    case "static":
      return placementStatic(spec.types);
  }
}
