// The Observation: what the monitor tells the management layer about one time window, as plain
// serialisable data (DESIGN §5, paper §3.4). Policies are pure functions of it. The monitor fills
// it from the simulated or live cluster (rates from policies/window.ts over the window); tests
// build it by hand.
//
// Units are in the names: rates per second of the window, times in virtual microseconds,
// compute in baseline core-microseconds (the unit of `ctx.work(coreUs)`: one µs of a core of the
// profile's baseline family; a node with speedFactor 2 does it in 0.5 µs). `null` means "none"
// (no placement, never idle, no standby), never "unknown".

import type { PriceBook } from "./price-book.ts";

/** Where an automaton runs: its processor's compute node and its logical DARQ's DARQ node. */
export type PlacementNow = {
  /** null: no compute (deactivated; activated on demand when a message arrives). */
  readonly computeNode: string | null;
  /** null: no logical DARQ (no unconsumed messages; it holds no state the runtime must keep). */
  readonly darqNode: string | null;
};

export type AutomatonObservation = {
  /** Logical id "type/key". */
  readonly id: string;
  readonly type: string;
  /** Messages received (IN records appended), per second over the window. */
  readonly messagesInPerS: number;
  /** Messages sent (OUT records), per second. */
  readonly messagesOutPerS: number;
  /** Steps committed per second. */
  readonly stepsPerS: number;
  /**
   * From the release of a message by its sender (or its arrival from a client) to the durable
   * commit of the step that consumed it: one hop of a chain, as the cost model predicts it.
   */
  readonly stepLatencyUsP50: number;
  readonly stepLatencyUsP99: number;
  /** Modelled compute per step, baseline core-µs. */
  readonly computeCoreUsPerStep: number;
  /** Message bytes received per second. */
  readonly bytesInPerS: number;
  /** Message bytes sent per second. */
  readonly bytesOutPerS: number;
  /** Bytes appended to its logical DARQ per second (IN + SELF + OUT + STEP records). */
  readonly logBytesPerS: number;
  /** Live bytes of its logical DARQ (what a migration copies, what a recovery replays). */
  readonly logBytes: number;
  /** Unconsumed messages (IN and SELF) at the end of the window. */
  readonly backlogMessages: number;
  readonly placement: PlacementNow;
  /** Time the current placement began (for cooldowns: no flapping). */
  readonly placedAtUs: number;
  /** Start of the current idle stretch (no message in, no step); null when not idle. */
  readonly idleSinceUs: number | null;
  /** A message waits for this automaton and it has no complete placement: it needs placing. */
  readonly pending: boolean;
  /** Compute nodes holding standby replicas (backups replaying its self-messages). */
  readonly standbys: readonly string[];
  /** The super automaton it was merged into (its steps batch with the other members'); null: alone. */
  readonly mergedInto: string | null;
};

/**
 * vm: a provisioned VM; serverless: a function pool (cores = concurrent instances allowed);
 * darq-spare: spare cores on a DARQ node's machine (hostNode names it); darq: a DARQ node.
 */
export type NodeKind = "vm" | "serverless" | "darq-spare" | "darq";
export const nodeKinds: readonly NodeKind[] = ["vm", "serverless", "darq-spare", "darq"];

/** `draining`: going away soon (spot preemption notice, scale-in); `down`: crashed or gone. */
export type NodeState = "up" | "draining" | "down";

export type NodeObservation = {
  readonly id: string;
  readonly kind: NodeKind;
  readonly pool: string;
  /** VM size (profile key) of a vm or darq node (its host machine); null for serverless,
   *  darq-spare, and a DARQ that lives in storage only. */
  readonly size: string | null;
  /** Storage tier (profile key) of a darq node; null for compute nodes. */
  readonly storageTier: string | null;
  readonly zone: string;
  /** Cores available to automata (serverless: concurrent instances; darq: 0 unless spare). */
  readonly cores: number;
  /** darq-spare: the DARQ node whose machine it shares; null otherwise. */
  readonly hostNode: string | null;
  readonly spot: boolean;
  /** Busy fraction over the window: compute time used ÷ available (darq: flush capacity used). */
  readonly utilisation: number;
  /** What the node is billed now, all its lines included. */
  readonly costUsdPerHour: number;
  readonly state: NodeState;
  /** Crashes and preemptions per hour observed for this node (failure-prone nodes get standbys). */
  readonly failuresPerHour: number;
};

/** Who talks to whom: one direction of traffic between two automata. */
export type TalkEdge = {
  readonly from: string;
  readonly to: string;
  readonly messagesPerS: number;
  readonly bytesPerS: number;
};

/** A pool as the autoscaler sees it. */
export type PoolObservation = {
  readonly name: string;
  /** compute pools hold vm/serverless/darq-spare nodes; darq pools hold darq nodes. */
  readonly role: "compute" | "darq";
  readonly kind: NodeKind;
  /** VM size of its nodes (null for serverless and darq-spare). */
  readonly size: string | null;
  /** Storage tier of a darq pool (null for compute pools). */
  readonly storageTier: string | null;
  /** Nodes it has now (serverless: its instance cap). */
  readonly count: number;
};

/** What the cluster spent over the window, per month at that rate; null when not measured. */
export type SpendObserved = {
  readonly computeUsdPerMonth: number;
  readonly storageUsdPerMonth: number;
  readonly serverlessUsdPerMonth: number;
  readonly networkUsdPerMonth: number;
};

export type Observation = {
  readonly windowStartUs: number;
  /** The end of the window is "now" for every policy. */
  readonly windowEndUs: number;
  readonly automata: readonly AutomatonObservation[];
  readonly nodes: readonly NodeObservation[];
  readonly pools: readonly PoolObservation[];
  readonly talk: readonly TalkEdge[];
  readonly spend: SpendObserved | null;
  readonly prices: PriceBook;
};

/** Lookup maps over an observation, built once per policy call. */
export type ObservationIndex = {
  readonly automaton: ReadonlyMap<string, AutomatonObservation>;
  readonly node: ReadonlyMap<string, NodeObservation>;
  readonly pool: ReadonlyMap<string, PoolObservation>;
  /** Automata whose processor runs on a compute node, by node id. */
  readonly automataOnCompute: ReadonlyMap<string, readonly AutomatonObservation[]>;
  /** Automata whose logical DARQ lives on a DARQ node, by node id. */
  readonly automataOnDarq: ReadonlyMap<string, readonly AutomatonObservation[]>;
};

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export function observationIndex(observation: Observation): ObservationIndex {
  const automataOnCompute = new Map<string, AutomatonObservation[]>();
  const automataOnDarq = new Map<string, AutomatonObservation[]>();
  for (const automaton of observation.automata) {
    if (automaton.placement.computeNode !== null) push(automataOnCompute, automaton.placement.computeNode, automaton);
    if (automaton.placement.darqNode !== null) push(automataOnDarq, automaton.placement.darqNode, automaton);
  }
  return {
    automaton: new Map(observation.automata.map((automaton) => [automaton.id, automaton])),
    node: new Map(observation.nodes.map((node) => [node.id, node])),
    pool: new Map(observation.pools.map((pool) => [pool.name, pool])),
    automataOnCompute,
    automataOnDarq,
  };
}

export function isComputeKind(kind: NodeKind): boolean {
  return kind !== "darq";
}

/** The window's length in seconds (at least 1 µs, so rates stay finite). */
export function windowSeconds(observation: Observation): number {
  return Math.max(1, observation.windowEndUs - observation.windowStartUs) / 1e6;
}
