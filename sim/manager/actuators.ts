// Actuators: each Decision a policy made becomes metadata workflows (cluster.request(…): the
// metadata automaton runs them as resilient operations) or, for pool decisions, machines added to
// or removed from the SimCluster (billing follows the ledger: a removed VM stops being billed).
//
//   place              the next activation of the automaton goes to its nodes (an override the
//                      placement reads), and the activation is requested
//   migrate            migrate {darqNode}          moveCompute / switchServerless   moveCompute
//   merge              migrate each member to the DARQ node with the compute node
//   deactivate         deactivate (release "computeAndDarq" too: the workflow releases what it can)
//   activateOnDemand   the next activation goes to that compute pool (serverless on demand)
//   addStandby         addStandby {computeNode}    removeStandby  removeStandby {computeNode}
//   failover           failover
//   resizePool / scaleCompute (count)   vm pools grow by new nodes and shrink by empty ones
//   scaleCompute (size)  new nodes of that size, moveCompute off the old ones, which are then
//                        given back (actuators-rescale.ts; over several manager runs)
//   scaleStorage         new DARQ nodes on that tier, migrate off the old ones, which are then
//                        given back (actuators-retier.ts; likewise)
//
// A decision the cluster cannot carry out (an operation the metadata workflow does not know, a
// pool that cannot change, a node that is not empty) is refused: counted and logged with why,
// never silently dropped. The workflow itself may still find a requested operation overtaken
// (the automaton moved meanwhile); the next observation shows what happened.

import { opActions, type MetadataMessage, type OpKind } from "../../engine/runtime/metadata-types.ts";
import { decisionDescribe, type Decision, type DecisionKind } from "../../policies/decision.ts";
import type { SimCluster } from "../cluster/sim-cluster.ts";
import type { PlacementOverrides } from "./placement-policy.ts";
import { PoolActuator, type PoolRegistry } from "./actuators-pools.ts";
import { ComputeRescaler } from "./actuators-rescale.ts";
import { StorageRetierer } from "./actuators-retier.ts";

export type ActuatorOutcome = { readonly atUs: number; readonly decision: string; readonly outcome: "requested" | "refused"; readonly why: string };

/** Decisions kept in the log (the counts cover all of them). */
export const actuatorLogMax = 2_000;

export class DecisionActuators {
  readonly requested: Partial<Record<DecisionKind, number>> = {};
  readonly refused: Partial<Record<DecisionKind, number>> = {};
  readonly log: ActuatorOutcome[] = [];
  readonly pools: PoolActuator;
  /** VM size changes in progress (they take several manager runs). */
  readonly computeRescale: ComputeRescaler;
  /** Storage tier changes in progress (likewise). */
  readonly storageRetier: StorageRetierer;

  constructor(private readonly cluster: SimCluster, private readonly overrides: PlacementOverrides, registry: PoolRegistry) {
    this.pools = new PoolActuator(cluster, registry);
    this.computeRescale = new ComputeRescaler(cluster, registry, this.pools);
    this.storageRetier = new StorageRetierer(cluster, registry, this.pools);
  }

  /** Advances the pool changes that take several steps (called on every manager run). */
  tick(): void {
    this.computeRescale.tick();
    this.storageRetier.tick();
  }

  get requestedCount(): number {
    return Object.values(this.requested).reduce((sum, count) => sum + count, 0);
  }

  get refusedCount(): number {
    return Object.values(this.refused).reduce((sum, count) => sum + count, 0);
  }

  /**
   * Carries out a run's (checked) decisions in order; returns, for each, why it was refused or
   * null. A migrate and a moveCompute of the same automaton become one migrate workflow that
   * takes the processor along (two workflows would race: the second finds the first running).
   */
  applyAll(decisions: readonly Decision[]): (string | null)[] {
    const computeWith = new Map<string, string>();
    for (const decision of decisions) {
      if (decision.kind === "moveCompute" || decision.kind === "switchServerless") computeWith.set(decision.automaton, decision.computeNode);
    }
    const migrating = new Set(decisions.filter((decision) => decision.kind === "migrate").map((decision) => decision.kind === "migrate" ? decision.automaton : ""));
    return decisions.map((decision) => {
      if (decision.kind === "migrate") return this.apply(decision, computeWith.get(decision.automaton));
      if ((decision.kind === "moveCompute" || decision.kind === "switchServerless") && migrating.has(decision.automaton)) return this.record(decision, null);
      return this.apply(decision);
    });
  }

  /** Carries out one (checked) decision; returns why it was refused, or null. */
  apply(decision: Decision, computeNode?: string): string | null {
    return this.record(decision, this.carryOut(decision, computeNode));
  }

  private record(decision: Decision, why: string | null): string | null {
    const counts = why === null ? this.requested : this.refused;
    counts[decision.kind] = (counts[decision.kind] ?? 0) + 1;
    if (this.log.length < actuatorLogMax) {
      this.log.push({ atUs: this.cluster.nowUs(), decision: decisionDescribe(decision), outcome: why === null ? "requested" : "refused", why: why ?? "" });
    }
    return why;
  }

  private carryOut(decision: Decision, computeNode: string | undefined): string | null {
    switch (decision.kind) {
      case "place":
        this.overrides.set(decision.automaton, { kind: "nodes", computeNode: decision.computeNode, darqNode: decision.darqNode });
        return this.request({ type: "activate", id: decision.automaton });
      case "migrate":
        return this.request({ type: "migrate", id: decision.automaton, darqNode: decision.darqNode, ...(computeNode === undefined ? {} : { computeNode }) });
      case "moveCompute":
      case "switchServerless":
        return this.request({ type: "moveCompute", id: decision.automaton, computeNode: decision.computeNode });
      case "merge":
        return this.merge(decision.automata, decision.darqNode, decision.computeNode);
      case "deactivate":
        return this.request({ type: "deactivate", id: decision.automaton });
      case "activateOnDemand":
        this.overrides.set(decision.automaton, { kind: "pool", computePool: decision.computePool });
        return null;
      case "addStandby":
        return this.request({ type: "addStandby", id: decision.automaton, computeNode: decision.computeNode });
      case "removeStandby":
        return this.request({ type: "removeStandby", id: decision.automaton, computeNode: decision.computeNode });
      case "failover":
        return this.request({ type: "failover", id: decision.automaton });
      case "resizePool":
        return this.pools.resize(decision.pool, decision.count);
      case "scaleCompute":
        if (decision.size !== null) return this.computeRescale.start(decision.pool, decision.size, decision.count);
        return this.pools.resize(decision.pool, decision.count!);
      case "scaleStorage":
        return this.storageRetier.start(decision.pool, decision.tier);
    }
  }

  private merge(automata: readonly string[], darqNode: string, computeNode: string): string | null {
    for (const id of automata) {
      const record = this.cluster.metadata?.automata[id];
      if (record?.darqNode === darqNode) {
        if (record.computeNode !== computeNode) {
          const why = this.request({ type: "moveCompute", id, computeNode });
          if (why !== null) return why;
        }
        continue;
      }
      const why = this.request({ type: "migrate", id, darqNode, computeNode });
      if (why !== null) return why;
    }
    return null;
  }

  /** Sends a request to the metadata automaton if its workflow knows the operation. */
  private request(message: MetadataMessage): string | null {
    const kind = message.type as OpKind;
    if (!Object.hasOwn(opActions, kind)) return `the metadata workflow has no '${kind}' operation`;
    if (this.cluster.metadata === null) return "the metadata worker is down";
    this.cluster.request(message);
    return null;
  }
}
