// Decisions: what a policy asks the actuators to do, as plain serialisable data (DESIGN §5).
// Actuators in the engine carry each out as a metadata workflow; the experiment runner logs them.
// Every decision names its targets by id and says why (`reason`, a sentence a researcher reads
// in the run's timeline). Policies only propose: an actuator may refuse a decision that the world
// has overtaken (a node went down meanwhile) and the next observation shows what happened.
//
// Meaning of each kind:
// - place: activate a pending automaton on (computeNode, darqNode).
// - migrate: move an automaton's logical DARQ to another DARQ node (DESIGN §3 property 10).
// - moveCompute: run its processor on another compute node (storage stays; paper §4.1 "scaling
//   of compute and storage is separate").
// - scaleCompute: change a compute pool's VM size (vertical) and/or node count; null = keep.
// - scaleStorage: change a DARQ pool's storage tier.
// - resizePool: change any pool's node count (the autoscaler's horizontal knob).
// - deactivate: release its compute ("compute"), or its compute and its logical DARQ
//   ("computeAndDarq", only when it has no unconsumed messages).
// - activateOnDemand: when a message arrives for it while it has no compute, start it on this
//   pool (serverless on demand).
// - addStandby / removeStandby: a backup processor replaying its self-messages on a node.
// - failover: re-route messages and the step privilege to a standby (paper §4.3).
// - switchServerless: move its processor between serverless and provisioned compute.
// - merge: co-locate fine-grained automata on one DARQ and one compute node so their steps batch
//   together (the paper's "super automaton").

export type Decision =
  | { readonly kind: "place"; readonly automaton: string; readonly computeNode: string; readonly darqNode: string; readonly reason: string }
  | { readonly kind: "migrate"; readonly automaton: string; readonly darqNode: string; readonly reason: string }
  | { readonly kind: "moveCompute"; readonly automaton: string; readonly computeNode: string; readonly reason: string }
  | { readonly kind: "scaleCompute"; readonly pool: string; readonly size: string | null; readonly count: number | null; readonly reason: string }
  | { readonly kind: "scaleStorage"; readonly pool: string; readonly tier: string; readonly reason: string }
  | { readonly kind: "resizePool"; readonly pool: string; readonly count: number; readonly reason: string }
  | { readonly kind: "deactivate"; readonly automaton: string; readonly release: "compute" | "computeAndDarq"; readonly reason: string }
  | { readonly kind: "activateOnDemand"; readonly automaton: string; readonly computePool: string; readonly reason: string }
  | { readonly kind: "addStandby"; readonly automaton: string; readonly computeNode: string; readonly reason: string }
  | { readonly kind: "removeStandby"; readonly automaton: string; readonly computeNode: string; readonly reason: string }
  | { readonly kind: "failover"; readonly automaton: string; readonly standby: string; readonly reason: string }
  | { readonly kind: "switchServerless"; readonly automaton: string; readonly toServerless: boolean; readonly computeNode: string; readonly reason: string }
  | { readonly kind: "merge"; readonly automata: readonly string[]; readonly darqNode: string; readonly computeNode: string; readonly reason: string };

export type DecisionKind = Decision["kind"];

export const decisionKinds: readonly DecisionKind[] = [
  "place", "migrate", "moveCompute", "scaleCompute", "scaleStorage", "resizePool", "deactivate",
  "activateOnDemand", "addStandby", "removeStandby", "failover", "switchServerless", "merge",
];

/** Constructors, so policies read as sentences: `decide.migrate(id, node, "why")`. */
export const decide = {
  place: (automaton: string, computeNode: string, darqNode: string, reason: string): Decision =>
    ({ kind: "place", automaton, computeNode, darqNode, reason }),
  migrate: (automaton: string, darqNode: string, reason: string): Decision => ({ kind: "migrate", automaton, darqNode, reason }),
  moveCompute: (automaton: string, computeNode: string, reason: string): Decision =>
    ({ kind: "moveCompute", automaton, computeNode, reason }),
  scaleCompute: (pool: string, change: { readonly size?: string; readonly count?: number }, reason: string): Decision =>
    ({ kind: "scaleCompute", pool, size: change.size ?? null, count: change.count ?? null, reason }),
  scaleStorage: (pool: string, tier: string, reason: string): Decision => ({ kind: "scaleStorage", pool, tier, reason }),
  resizePool: (pool: string, count: number, reason: string): Decision => ({ kind: "resizePool", pool, count, reason }),
  deactivate: (automaton: string, release: "compute" | "computeAndDarq", reason: string): Decision =>
    ({ kind: "deactivate", automaton, release, reason }),
  activateOnDemand: (automaton: string, computePool: string, reason: string): Decision =>
    ({ kind: "activateOnDemand", automaton, computePool, reason }),
  addStandby: (automaton: string, computeNode: string, reason: string): Decision =>
    ({ kind: "addStandby", automaton, computeNode, reason }),
  removeStandby: (automaton: string, computeNode: string, reason: string): Decision =>
    ({ kind: "removeStandby", automaton, computeNode, reason }),
  failover: (automaton: string, standby: string, reason: string): Decision => ({ kind: "failover", automaton, standby, reason }),
  switchServerless: (automaton: string, toServerless: boolean, computeNode: string, reason: string): Decision =>
    ({ kind: "switchServerless", automaton, toServerless, computeNode, reason }),
  merge: (automata: readonly string[], darqNode: string, computeNode: string, reason: string): Decision =>
    ({ kind: "merge", automata: [...automata], darqNode, computeNode, reason }),
} as const;

/** Automata a decision acts on (none for pool decisions). */
export function decisionAutomata(decision: Decision): readonly string[] {
  switch (decision.kind) {
    case "merge":
      return decision.automata;
    case "scaleCompute":
    case "scaleStorage":
    case "resizePool":
      return [];
    default:
      return [decision.automaton];
  }
}

/** The pool a pool decision acts on, or null. */
export function decisionPool(decision: Decision): string | null {
  switch (decision.kind) {
    case "scaleCompute":
    case "scaleStorage":
    case "resizePool":
      return decision.pool;
    default:
      return null;
  }
}

/** One line for logs and timelines: "migrate pi/3 → darq-2 (why)". */
export function decisionDescribe(decision: Decision): string {
  const target = (() => {
    switch (decision.kind) {
      case "place": return `${decision.automaton} → compute ${decision.computeNode}, darq ${decision.darqNode}`;
      case "migrate": return `${decision.automaton} → darq ${decision.darqNode}`;
      case "moveCompute": return `${decision.automaton} → compute ${decision.computeNode}`;
      case "scaleCompute": return `${decision.pool} → size ${decision.size ?? "unchanged"}, count ${decision.count ?? "unchanged"}`;
      case "scaleStorage": return `${decision.pool} → tier ${decision.tier}`;
      case "resizePool": return `${decision.pool} → ${decision.count} nodes`;
      case "deactivate": return `${decision.automaton} (release ${decision.release})`;
      case "activateOnDemand": return `${decision.automaton} on ${decision.computePool}`;
      case "addStandby":
      case "removeStandby": return `${decision.automaton} on ${decision.computeNode}`;
      case "failover": return `${decision.automaton} → standby ${decision.standby}`;
      case "switchServerless": return `${decision.automaton} → ${decision.toServerless ? "serverless" : "provisioned"} ${decision.computeNode}`;
      case "merge": return `[${decision.automata.join(", ")}] → darq ${decision.darqNode}, compute ${decision.computeNode}`;
    }
  })();
  return `${decision.kind} ${target} (${decision.reason})`;
}
