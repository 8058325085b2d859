// How an experiment config's management sections become a running manager in the simulated
// cluster (the point executor's side of DESIGN §5):
//
//   placement.policy    static | random | least-loaded (policies/placement) become the engine's
//                       Placement (placement-policy.ts); the executor's own groups, round-robin and
//                       hash stay the executor's
//   optimizer, autoscaler   looked up by name (policies/registry.ts: unknown names are config
//                       errors listing the known ones), run every periodUs by the Manager
//   objective           passed to the policies (default: policies/objective.ts objectiveDefault)
//
// Order of use: `managerSetupOf(config, layout, prices)` before the cluster (it checks every name and
// makes the placement), `bind(cluster)` right after building it (the placement's node view), and
// `attach(driver, untilUs)` when the measured run starts (monitor, actuators, timers).

import type { Placement } from "../../engine/runtime/placement.ts";
import type { Experiment } from "../../experiments/schema.ts";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Objective } from "../../policies/objective.ts";
import type { NodeObservation, Observation } from "../../policies/observation.ts";
import { policyContextDefault, type Policy, type PolicyParams } from "../../policies/policy.ts";
import type { PriceBook } from "../../policies/price-book.ts";
import { placementPolicies, policyNamed, type PolicyRole } from "../../policies/registry.ts";
import type { WorkloadDriver } from "../../workloads/driver.ts";
import type { ClusterLayout } from "../cluster/executor-cluster.ts";
import type { SimCluster } from "../cluster/sim-cluster.ts";
import { RandomSim } from "../random-sim.ts";
import { DecisionActuators } from "./actuators.ts";
import { PoolRegistry, type PoolSpec } from "./actuators-pools.ts";
import { Manager, type ManagedPolicy } from "./manager.ts";
import { ClusterMonitor } from "./monitor.ts";
import { NodeMonitor } from "./monitor-nodes.ts";
import { placementOfPolicy, PlacementOverrides } from "./placement-policy.ts";
import { ResumeMeter } from "./resume-meter.ts";

/** Placement policies of policies/placement that the simulated cluster runs by name. */
export const managedPlacementNames = Object.keys(placementPolicies).filter((name) => name !== "round-robin");
export const optimizerPeriodUsDefault = 10_000_000;
export const autoscalerPeriodUsDefault = 60_000_000;

/** The pools of the experiment, with the node names executor-cluster.ts gave them. */
export function poolSpecsOf(config: Experiment, layout: ClusterLayout): PoolSpec[] {
  const zones = config.cluster.zones ?? ["zone-1"];
  const numbered = (name: string, count: number) => Array.from({ length: count }, (_, index) => `${name}-${index}`);
  const specs: PoolSpec[] = config.cluster.darq.map((pool) => ({ name: pool.name, kind: "darq", zones, nodes: numbered(pool.name, pool.count) }));
  for (const pool of config.cluster.compute) {
    const nodes = pool.kind === "serverless" ? (pool.count > 0 ? [pool.name] : []) : numbered(pool.name, pool.count);
    specs.push({ name: pool.name, kind: pool.kind, zones, nodes, ...(pool.size === undefined ? {} : { size: pool.size }), ...(pool.spot === true ? { spot: true } : {}) });
  }
  const named = new Set(specs.flatMap((spec) => spec.nodes));
  const spares = [...layout.spareOf.values()].filter((node) => !named.has(node));
  if (spares.length > 0) specs.push({ name: "spare", kind: "darq-spare", zones, nodes: spares });
  return specs;
}

/**
 * The policy a config section names, its params checked now (one call on an empty observation,
 * so a typo fails before the run, not at the first period): errors carry the section's path.
 */
function checkedPolicy(role: PolicyRole, name: string, params: PolicyParams, prices: PriceBook): Policy {
  try {
    const policy = policyNamed(role, name);
    const empty: Observation = { windowStartUs: 0, windowEndUs: 1, automata: [], nodes: [], pools: [], talk: [], spend: null, prices };
    policy(empty, params, new RandomSim("check"), policyContextDefault);
    return policy;
  } catch (error) {
    const message = error instanceof SsmsError ? error.message.replace(/^SSMS_ERR_\w+:\s*/, "") : String(error);
    throw new SsmsError(ErrorCode.configInvalid, `/${role}: ${message}`);
  }
}

function managed(config: Experiment, role: "optimizer" | "autoscaler", periodUsDefault: number, prices: PriceBook): ManagedPolicy | null {
  const section = config[role];
  if (section === undefined || section.policy === "none") return null;
  const params = (section.params ?? {}) as PolicyParams;
  return { name: section.policy, policy: checkedPolicy(role, section.policy, params, prices), params, periodUs: section.periodUs ?? periodUsDefault };
}

export class ManagerSetup {
  readonly placement: Placement | null;
  readonly overrides = new PlacementOverrides();
  readonly registry: PoolRegistry;
  manager: Manager | null = null;
  monitor: ClusterMonitor | null = null;
  actuators: DecisionActuators | null = null;
  /** Time to resume after crashes (every run has one: cold recovery is the baseline). */
  resume: ResumeMeter | null = null;
  private cluster: SimCluster | null = null;
  private nodeView: NodeMonitor | null = null;
  private nodesCached: readonly NodeObservation[] | null = null;
  private readonly optimizer: ManagedPolicy | null;
  private readonly autoscaler: ManagedPolicy | null;

  constructor(private readonly config: Experiment, layout: ClusterLayout, readonly prices: PriceBook, seed: string) {
    this.registry = new PoolRegistry(poolSpecsOf(config, layout));
    this.optimizer = managed(config, "optimizer", optimizerPeriodUsDefault, prices);
    this.autoscaler = managed(config, "autoscaler", autoscalerPeriodUsDefault, prices);
    const name = config.placement.policy;
    if (!managedPlacementNames.includes(name)) {
      this.placement = null;
      return;
    }
    const view = { nodes: () => this.nodes(), prices, nowUs: () => this.cluster?.nowUs() ?? 0 };
    const params = (config.placement.params ?? {}) as PolicyParams;
    this.placement = placementOfPolicy(checkedPolicy("placement", name, params, prices), params,
      new RandomSim(seed).fork("placement-policy"), view, this.overrides);
  }

  /** True when a manager runs (an optimizer or an autoscaler). */
  get active(): boolean {
    return this.optimizer !== null || this.autoscaler !== null;
  }

  bind(cluster: SimCluster): void {
    this.cluster = cluster;
    this.nodeView = new NodeMonitor(cluster, this.prices, this.registry.poolOf);
    this.resume = new ResumeMeter(cluster);
  }

  /** Starts the resume meter, and the monitor and the policies' timers, for the measured run. */
  attach(driver: WorkloadDriver, untilUs: number): void {
    const cluster = this.cluster;
    if (cluster === null) return;
    const resume = this.resume!;
    const before = cluster.stepHooks.onCommitted;
    cluster.stepHooks.onCommitted = (from, sends, input) => {
      before?.(from, sends, input);
      resume.onCommitted(from);
    };
    if (!this.active) return;
    const monitor = new ClusterMonitor(cluster, this.prices, this.registry.poolOf, {
      windowUs: this.optimizer?.periodUs ?? this.autoscaler!.periodUs,
      messageBytes: (to, message) => driver.messageCost(to, message).payloadBytes,
      standbysOf: (id) => { const standby = cluster.metadata?.automata[id]?.standby; return standby == null ? [] : [standby]; },
    });
    const prior = cluster.stepHooks.onCommitted;
    cluster.stepHooks.onCommitted = (from, sends, input) => {
      prior?.(from, sends, input);
      monitor.onCommitted(from, sends, input);
    };
    this.monitor = monitor;
    this.actuators = new DecisionActuators(cluster, this.overrides, this.registry);
    this.manager = new Manager(cluster, monitor, this.actuators, {
      optimizer: this.optimizer, autoscaler: this.autoscaler, ...(this.config.objective === undefined ? {} : { objective: this.config.objective as Objective }),
    });
    this.manager.start(untilUs);
  }

  /** Nodes as the last observation saw them (the placement's view), else as they are now. */
  private nodes(): readonly NodeObservation[] {
    const observed = this.manager?.lastObservation?.nodes;
    if (observed !== undefined) return observed;
    this.nodesCached ??= this.nodeView?.observe() ?? [];
    return this.nodesCached;
  }
}
