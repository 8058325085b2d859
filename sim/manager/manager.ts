// The manager loop of a simulated run (DESIGN §5): every optimizer period the monitor's
// observation goes to the optimizer policy, every (slower) autoscaler period to the autoscaler;
// each decision is checked against the observation it came from (policies/decision-check.ts) and
// handed to the actuators. A decision that does not fit is counted as invalid and logged; one the
// cluster cannot carry out is counted as refused (actuators.ts). Nothing is dropped silently.
//
// Policies run on virtual-time timers, so a run with a manager is as deterministic as one
// without: the same seed gives the same decisions at the same instants. The policies' random
// streams are forked from the cluster's root seed ("optimizer", "autoscaler").

import { decisionCheck } from "../../policies/decision-check.ts";
import type { Decision } from "../../policies/decision.ts";
import { objectiveDefault, type Objective } from "../../policies/objective.ts";
import { observationIndex, type Observation } from "../../policies/observation.ts";
import type { Random } from "../../engine/io/random.ts";
import type { Policy, PolicyParams } from "../../policies/policy.ts";
import type { SimCluster } from "../cluster/sim-cluster.ts";
import type { DecisionActuators } from "./actuators.ts";
import type { ClusterMonitor } from "./monitor.ts";

export type ManagedPolicy = { readonly name: string; readonly policy: Policy; readonly params: PolicyParams; readonly periodUs: number };

export type ManagerOptions = {
  readonly optimizer: ManagedPolicy | null;
  readonly autoscaler: ManagedPolicy | null;
  readonly objective?: Objective;
};

export type ManagerStats = { runs: number; decisions: number; invalid: number; requested: number; refused: number };

/** Invalid decisions kept in the log (the counts cover all). */
export const invalidLogMax = 200;

export class Manager {
  readonly stats: ManagerStats = { runs: 0, decisions: 0, invalid: 0, requested: 0, refused: 0 };
  readonly invalidLog: string[] = [];
  /** The observation of the last run (tests and the placement view read it). */
  lastObservation: Observation | null = null;
  private readonly lastRunUs = new Map<string, number>();

  constructor(
    private readonly cluster: SimCluster,
    private readonly monitor: ClusterMonitor,
    private readonly actuators: DecisionActuators,
    private readonly options: ManagerOptions,
  ) {}

  /** Starts the policies' timers; the last run is before `untilUs` (decisions at the end could not act). */
  start(untilUs: number): void {
    const random = this.cluster.sim.random;
    for (const [role, managed] of [["optimizer", this.options.optimizer], ["autoscaler", this.options.autoscaler]] as const) {
      if (managed === null) continue;
      const stream = random.fork(role);
      const tick = (): void => {
        this.run(role, managed, stream);
        if (this.cluster.nowUs() + managed.periodUs < untilUs) this.cluster.sim.clock.timerStart(managed.periodUs, tick);
      };
      if (this.cluster.nowUs() + managed.periodUs < untilUs) this.cluster.sim.clock.timerStart(managed.periodUs, tick);
    }
  }

  /** One run of one policy: observe, decide, check, act. */
  run(role: string, managed: ManagedPolicy, random: Random): void {
    this.actuators.tick();
    const observation = this.monitor.observe();
    this.lastObservation = observation;
    const context = {
      objective: this.options.objective ?? objectiveDefault, periodUs: managed.periodUs,
      lastRunUs: this.lastRunUs.get(role) ?? null, costModel: {},
    };
    this.lastRunUs.set(role, observation.windowEndUs);
    this.stats.runs++;
    const decisions = managed.policy(observation, managed.params, random, context);
    const index = observationIndex(observation);
    const valid: Decision[] = [];
    for (const decision of decisions) {
      this.stats.decisions++;
      const checked = decisionCheck(index, decision);
      if (checked.ok) {
        valid.push(decision);
        continue;
      }
      this.stats.invalid++;
      if (this.invalidLog.length < invalidLogMax) this.invalidLog.push(`${role} at ${observation.windowEndUs} µs: ${checked.reason}`);
    }
    for (const why of this.actuators.applyAll(valid)) {
      if (why === null) this.stats.requested++;
      else this.stats.refused++;
    }
  }
}
