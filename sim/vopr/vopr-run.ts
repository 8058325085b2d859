// One VOPR run of a case, in two phases (TigerBeetle's VOPR): a safety phase of [0, safetyUs)
// with the client's injections, the schedule's faults (through the FaultInjector, so each
// applied fault is also mixed into the fingerprint) and operator actions; then the heal (every
// fault ends, every node restarts) and a liveness phase in which the run must go quiet — no
// event pending — within `livenessUsMax`. The cluster's models go idle when nothing is left to
// do (no periodic timers), so "quiet" means every message was delivered, acknowledged and
// processed, and the metadata workflow finished. Then the cluster audit (catalog consistency,
// leaks) runs, and the sink's outputs and the committed states are collected.
//
// The oracle run is the same case without faults and actions. Nothing here judges the outcome:
// invariants.ts compares it with the ledger and the oracle. An exception (an engine assert, a
// simulation limit) ends the run and is reported as a crash, never thrown to the caller.

import { plantedBugsSet, type PlantedBugName } from "../../engine/io/planted-bugs.ts";
import { clusterAudit } from "../cluster/cluster-audit.ts";
import { ClusterFaultTarget } from "../cluster/cluster-faults.ts";
import { SimCluster } from "../cluster/sim-cluster.ts";
import { hopDefinition, reportKey, type HopMessage } from "../cluster/swarm-workload.ts";
import type { Fault } from "../faults/fault.ts";
import { FaultInjector } from "../faults/injector.ts";
import { Fingerprint } from "../fingerprint.ts";
import type { Simulator } from "../simulator.ts";
import { EventTrace } from "./event-trace.ts";
import { healAll } from "./heal.ts";
import { isAction, type VoprAction, type VoprCase } from "./vopr-case.ts";
import { isMove, moveMessage, moveText } from "./vopr-moves.ts";

export type VoprRunOptions = {
  /** false: the fault-free oracle run (no faults, no actions). */
  readonly faults: boolean;
  /** Record every event for the determinism self-check. */
  readonly trace?: boolean;
  readonly plantedBugs?: readonly PlantedBugName[];
  /** Sees the cluster before the run starts (tests plant things with it). */
  readonly onCluster?: (cluster: SimCluster) => void;
};

export type VoprOutcome = {
  /** Sink outputs as report keys, sorted. */
  readonly outputs: readonly string[];
  readonly states: Readonly<Record<string, unknown>>;
  /** Problems reading committed states (an automaton with no up DARQ, a bad SELF entry). */
  readonly stateProblems: readonly string[];
  readonly fingerprint: string;
  readonly events: number;
  /** Virtual time the run went quiet after the heal, µs; null if it did not. */
  readonly quietAfterHealUs: number | null;
  /** Why the liveness phase failed, or null. */
  readonly liveness: string | null;
  readonly clientUnacked: number;
  readonly clientFailures: readonly string[];
  readonly audit: readonly string[];
  /** The exception that ended the run, or null. */
  readonly crash: string | null;
  readonly faultsApplied: number;
  readonly trace: EventTrace | null;
};

/** Time the audit may take (catalog reads with modelled latency). */
const auditUsMax = 10_000_000;

export function voprRun(c: VoprCase, options: VoprRunOptions): VoprOutcome {
  plantedBugsSet(options.plantedBugs ?? []);
  const run = new Run(c, options);
  try {
    run.execute();
  } catch (error) {
    run.crash = error instanceof Error ? `${error.message}\n${stackTop(error)}` : String(error);
  } finally {
    plantedBugsSet([]);
  }
  return run.outcome();
}

function stackTop(error: Error): string {
  return (error.stack ?? "").split("\n").slice(1, 4).map((line) => line.trim()).join(" | ");
}

class Run {
  crash: string | null = null;
  private cluster: SimCluster | null = null;
  private readonly trace: EventTrace | null;
  private readonly clientFailures: string[] = [];
  private injector: FaultInjector | null = null;
  private liveness: string | null = null;
  private quietAfterHealUs: number | null = null;
  private audit: string[] = [];

  constructor(private readonly c: VoprCase, private readonly options: VoprRunOptions) {
    this.trace = options.trace === true ? new EventTrace() : null;
  }

  execute(): void {
    const c = this.c;
    const hop = hopDefinition(c.counters);
    const cluster = new SimCluster(c.config, [hop]);
    this.cluster = cluster;
    this.options.onCluster?.(cluster);
    const client = cluster.client("vopr");
    const clock = cluster.sim.clock;
    for (const injection of c.injections) {
      clock.timerStart(injection.atUs, () => {
        const message: HopMessage = { type: "hop", tag: injection.tag, hops: injection.hops, amount: 1 };
        const sent = client.send(hop.ref(`${injection.to}`), message, (result) => {
          if (!result.ok) this.clientFailures.push(`${injection.tag}: ${result.reason}`);
        });
        if (!sent.ok) this.clientFailures.push(`${injection.tag}: ${sent.reason}`);
      });
    }
    const target = this.options.faults ? this.scheduleFaults(cluster) : null;
    drive(cluster.sim, c.safetyUs, this.trace);
    if (target !== null) {
      healAll(cluster, target);
      this.note("heal");
    }
    const healUs = cluster.nowUs();
    if (driveQuiet(cluster.sim, healUs + c.livenessUsMax, this.trace)) this.quietAfterHealUs = cluster.nowUs() - healUs;
    else this.liveness = `still busy ${c.livenessUsMax}us after the heal: ${cluster.sim.queue.size} events pending` + busyWith(cluster);
    if (this.liveness === null) this.runAudit(cluster);
  }

  private scheduleFaults(cluster: SimCluster): ClusterFaultTarget {
    const target = new ClusterFaultTarget(cluster);
    const faults = this.c.schedule.filter((entry): entry is Fault => !isAction(entry));
    this.injector = new FaultInjector({
      clock: cluster.sim.clock, target,
      onApplied: (fault, line) => {
        cluster.sim.fingerprintMixString(line);
        this.note(`${fault.fault} ${fault.targets.join(",")}`);
      },
    });
    this.injector.schedule(faults);
    for (const action of this.c.schedule) if (isAction(action)) this.scheduleAction(cluster, action);
    return target;
  }

  private scheduleAction(cluster: SimCluster, action: VoprAction): void {
    cluster.sim.clock.timerStart(action.timeUs, () => {
      const text = isMove(action) ? moveText(action)
        : action.action === "metadataWorkerRestart" ? "metadata worker restart" : `${action.action} ${action.target}`;
      cluster.sim.fingerprintMixString(text);
      this.note(text);
      if (isMove(action)) cluster.request(moveMessage(action));
      else if (action.action === "deactivate") cluster.request({ type: "deactivate", id: action.target });
      else if (action.action === "metadataWorkerRestart") cluster.restartMetadataWorker();
      else this.suspect(cluster, action.target, action.durationUs);
    });
  }

  /** A false suspicion: the detector says `node` is down, then up again; the node never stopped. */
  private suspect(cluster: SimCluster, node: string, durationUs: number): void {
    cluster.request({ type: "nodeDown", node });
    cluster.sim.clock.timerStart(durationUs, () => {
      if (cluster.computeNode(node) !== null) cluster.request({ type: "nodeUp", node });
    });
  }

  private runAudit(cluster: SimCluster): void {
    let found: string[] | null = null;
    clusterAudit(cluster, (problems) => {
      found = problems;
    });
    driveQuiet(cluster.sim, cluster.nowUs() + auditUsMax, this.trace);
    this.audit = found ?? ["the cluster audit did not finish"];
  }

  private note(text: string): void {
    this.trace?.note(this.cluster!.nowUs(), text);
  }

  outcome(): VoprOutcome {
    const cluster = this.cluster;
    const outputs = cluster === null ? [] : cluster.sink.outputs.map((output) => reportKey(output.message)).sort();
    const states: Record<string, unknown> = {};
    const stateProblems: string[] = [];
    if (cluster !== null && this.crash === null) {
      for (const id of cluster.automatonIds()) {
        const state = cluster.committedState(id);
        if (state.ok) states[id] = state.value;
        else stateProblems.push(`${id}: ${state.reason}`);
      }
    }
    const digest = new Fingerprint();
    digest.mixString(cluster?.sim.fingerprint() ?? "");
    for (const output of outputs) digest.mixString(output);
    digest.mixString(JSON.stringify(states));
    digest.mixString(this.crash ?? "");
    return {
      outputs, states, stateProblems, fingerprint: digest.hex(), events: cluster?.sim.eventsProcessed ?? 0,
      quietAfterHealUs: this.quietAfterHealUs, liveness: this.liveness,
      clientUnacked: cluster?.client("vopr").pending.sends ?? 0, clientFailures: this.clientFailures,
      audit: this.audit, crash: this.crash, faultsApplied: this.injector?.writer.count ?? 0, trace: this.trace,
    };
  }
}

/** Processes every event due by `untilUs`, recording each when tracing, and moves the clock there. */
function drive(sim: Simulator, untilUs: number, trace: EventTrace | null): void {
  if (trace === null) {
    sim.runUntil(untilUs);
    return;
  }
  const queue = sim.queue;
  while (queue.size > 0 && queue.peekTimeUs() <= untilUs) {
    sim.step();
    trace.push(queue.nowUs, queue.lastSeq);
  }
  sim.runUntil(untilUs);
}

/** Processes events until none is pending or the next is past `boundUs`; true when quiet. */
function driveQuiet(sim: Simulator, boundUs: number, trace: EventTrace | null): boolean {
  const queue = sim.queue;
  while (queue.size > 0 && queue.peekTimeUs() <= boundUs) {
    sim.step();
    trace?.push(queue.nowUs, queue.lastSeq);
  }
  return queue.size === 0;
}

/** What a cluster that does not go quiet is still doing, as far as cheaply known. */
function busyWith(cluster: SimCluster): string {
  const client = cluster.client("vopr").pending;
  const metadata = cluster.metadataIdle() ? "idle" : "busy";
  return ` (client: ${client.sends} sends unacknowledged; metadata workflow ${metadata})`;
}
