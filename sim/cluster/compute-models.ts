// The compute model behind each compute node of a simulated cluster: a VM's cores (sim/compute,
// billed as a VM), the spare cores of a DARQ machine (the same model, not billed again: the
// machine is the DARQ node's), or a serverless function (sim/serverless: cold starts, per
// invocation billing, concurrency limit). Processors see only `work(coreUs, done)`; the cluster
// drives the node's life (crash, restart, pause, resume, spot preemption) through this seam.
//
// Fault model: a crash drops every step still computing (its callback never fires: the processor
// died with the node); pause freezes progress until resume; preemption (spot VMs only) kills the
// node after the profile's eviction notice.

import type { Random } from "../../engine/io/random.ts";
import type { ClockSim } from "../clock-sim.ts";
import { ComputeNode, computeNodeFromProfile } from "../compute/compute-node.ts";
import type { UsageLedger } from "../ledger.ts";
import { vmSizeKey } from "../profiles/lookup.ts";
import type { CloudProfile } from "../profiles/schema.ts";
import { FunctionPool } from "../serverless/function-pool.ts";
import type { ComputeNodeConfig } from "./cluster-config.ts";

export interface ComputeModel {
  work(coreUs: number, done: () => void): void;
  crash(): void;
  restart(): void;
  pause(): void;
  resume(): void;
  /** Starts a spot eviction; `onKilled` when it ends. False if the node is not a spot VM. */
  preempt(onKilled: () => void): boolean;
  /** Core-µs of work served so far (the monitor's utilisation; serverless: work served). */
  busyCoreUs(): number;
  /** When the node can next start work (now if a core is idle; serverless: always now). */
  freeAtUs(): number;
  /** Work started so far, and how much of it had to wait (for a busy core; serverless: throttled). */
  jobCounts(): { readonly started: number; readonly queued: number };
  /** The node is given back (scale-in): work is dropped and a VM's billing stops. */
  stop(): void;
}

/** VM and spare cores: sim/compute's ComputeNode. */
class ComputeModelCores implements ComputeModel {
  private onKilled: (() => void) | null = null;
  constructor(private readonly node: ComputeNode, private readonly spot: boolean, private readonly runtimeCoreUs: number) {
    node.start();
  }

  work(coreUs: number, done: () => void): void {
    this.node.submit(coreUs + this.runtimeCoreUs, done);
  }

  crash(): void {
    this.node.crash();
  }

  restart(): void {
    if (this.node.state === "stopped") this.node.start();
    else this.node.restart();
  }

  pause(): void {
    this.node.pause();
  }

  resume(): void {
    this.node.resume();
  }

  preempt(onKilled: () => void): boolean {
    if (!this.spot) return false;
    this.onKilled = onKilled;
    return this.node.preempt();
  }

  killed(): void {
    this.onKilled?.();
  }

  busyCoreUs(): number {
    return this.node.busyCoreUs();
  }

  freeAtUs(): number {
    return this.node.freeAtUs();
  }

  jobCounts(): { readonly started: number; readonly queued: number } {
    return { started: this.node.stats.jobsStarted, queued: this.node.stats.jobsQueued };
  }

  stop(): void {
    if (this.node.state !== "stopped") this.node.stop();
  }
}

/** Serverless: one FunctionPool; a crash (of the function's host side) drops invocations in flight. */
class ComputeModelFunction implements ComputeModel {
  private generation = 0;
  private paused: { readonly coreUs: number; readonly done: () => void }[] | null = null;
  private servedCoreUs = 0;
  private started = 0;
  private throttled = 0;

  constructor(private readonly pool: FunctionPool, private readonly clock: ClockSim, private readonly runtimeCoreUs: number) {}

  work(coreUs: number, done: () => void): void {
    this.invoke(coreUs, done, false);
  }

  private invoke(coreUs: number, done: () => void, retry: boolean): void {
    if (this.paused !== null) return void this.paused.push({ coreUs, done });
    const generation = this.generation;
    const invoked = this.pool.invoke(coreUs + this.runtimeCoreUs, () => {
      this.servedCoreUs += coreUs;
      if (generation === this.generation) done();
    });
    if (invoked) this.started++;
    else if (!retry) this.throttled++;
    // Throttled with a full queue: try again shortly, as a client of the function would.
    if (!invoked) this.clock.timerStart(1_000, () => generation === this.generation && this.invoke(coreUs, done, true));
  }

  crash(): void {
    this.generation++;
    this.paused = null;
  }

  restart(): void {}

  pause(): void {
    this.paused ??= [];
  }

  resume(): void {
    const paused = this.paused ?? [];
    this.paused = null;
    for (const item of paused) this.work(item.coreUs, item.done);
  }

  preempt(): boolean {
    return false;
  }

  busyCoreUs(): number {
    return this.servedCoreUs;
  }

  freeAtUs(): number {
    return this.clock.nowUs();
  }

  jobCounts(): { readonly started: number; readonly queued: number } {
    return { started: this.started, queued: this.throttled };
  }

  stop(): void {
    this.crash();
  }
}

export type ComputeModelOptions = {
  readonly clock: ClockSim;
  readonly random: Random;
  readonly profile: CloudProfile;
  readonly ledger: UsageLedger;
  readonly node: ComputeNodeConfig;
};

export function computeModelFor(options: ComputeModelOptions): ComputeModel {
  const { clock, profile, ledger, node } = options;
  const runtimeCoreUs = profile.compute.runtimeStepCoreUs ?? 0;
  if (node.kind === "serverless") {
    const plan = profile.serverless.plans[profile.serverless.defaultPlan]!;
    const pool = new FunctionPool({ clock, random: options.random, plan, functionId: node.name, memoryMb: plan.memoryMbMax, ledger });
    return new ComputeModelFunction(pool, clock, runtimeCoreUs);
  }
  if (node.kind === "darq-spare") {
    const family = profile.compute.families[profile.compute.baselineFamily]!;
    return new ComputeModelCores(new ComputeNode({ clock, nodeId: node.name, cores: node.cores ?? 1, speedFactor: family.speedFactor }), false, runtimeCoreUs);
  }
  let model: ComputeModelCores | null = null;
  const spot = node.spot ?? false;
  const cores = computeNodeFromProfile(profile, vmSizeKey(profile, node.size!)!, {
    clock, nodeId: node.name, ledger, spot, onPreempted: () => model?.killed(),
  });
  model = new ComputeModelCores(cores, spot, runtimeCoreUs);
  return model;
}
