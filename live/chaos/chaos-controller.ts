// The chaos controller: applies a fault schedule — the simulator's JSONL format (sim/faults,
// parsed by parseFaultSchedule) — to a live cluster, at the schedule's times measured from
// `run`'s start. What each fault means on real processes:
//
//   crash, diskTornWrite, spotPreempt   SIGKILL the node process (its file log keeps what was
//                                       fdatasync'ed and maybe a torn unsynced tail, as modelled)
//   restart                             start the node process again (same ports, same log)
//   pause / resume                      SIGSTOP / SIGCONT
//   networkPartition / heal             the loopback link proxy cuts / restores links between
//                                       groups of nodes (needs a cluster started with links)
//   linkReorder {jitterUs}              the proxy delays every chunk by up to jitterUs, in order
//                                       (TCP never reorders; this is how delay is applied live)
//   linkLoss {rate}                     the proxy resets a link's connection with that chance per
//                                       chunk (TCP cannot lose bytes; it loses connections)
//   linkDuplicate                       refused: TCP cannot duplicate (the simulator covers it)
// Targets name node processes ("n2") or the nodes they run ("n2-c"). Every fault applied is
// recorded with the time it was applied, so a run's faults can be written as its schedule.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Fault } from "../../sim/faults/fault.ts";
import { pidsRead, pidsWrite } from "../cluster/cluster-dir.ts";
import { processOfNode } from "../cluster/cluster-spec.ts";
import type { ClusterHandle } from "../cluster/launcher.ts";
import { nodeSpawn, pidAlive, pidSignal, sleepMs } from "../cluster/node-process.ts";

/** The link faults the loopback proxy applies (live/chaos/link-proxy.ts). */
export interface LinkFaults {
  partition(groups: readonly (readonly string[])[], asymmetric: boolean): void;
  heal(): void;
  delay(jitterUs: number, nodes: readonly string[]): void;
  loss(rate: number, nodes: readonly string[]): void;
}

export type FaultApplied = { readonly atUs: number; readonly fault: Fault };

export class ChaosController {
  readonly applied: FaultApplied[] = [];
  private stopped = false;

  constructor(
    private readonly handle: ClusterHandle,
    private readonly links: LinkFaults | null = null,
    private readonly log: (event: string, fields: Record<string, unknown>) => void = () => undefined,
  ) {}

  /** Applies `schedule` in time order, each fault at its timeUs after the call; resolves after the last. */
  async run(schedule: readonly Fault[]): Promise<FaultApplied[]> {
    const startMs = Date.now();
    for (const fault of schedule) {
      const waitMs = startMs + fault.timeUs / 1000 - Date.now();
      if (waitMs > 0) await sleepMs(waitMs);
      if (this.stopped) break;
      this.apply(fault, Math.round((Date.now() - startMs) * 1000));
    }
    return this.applied;
  }

  /** Stops a running schedule before its next fault. */
  stop(): void {
    this.stopped = true;
  }

  /** Applies one fault now; `atUs` is recorded as its time. */
  apply(fault: Fault, atUs = fault.timeUs): void {
    switch (fault.fault) {
      case "crash":
      case "diskTornWrite":
      case "spotPreempt":
        this.eachProcess(fault, (name, pid) => pid !== undefined && pidSignal(pid, "SIGKILL"));
        break;
      case "restart":
        this.eachProcess(fault, (name, pid) => {
          // A node still running (never crashed) is left alone: restart means "start it again".
          if (pid !== undefined && pidAlive(pid)) return;
          const pids = pidsRead(this.handle.dir);
          pids[name] = nodeSpawn(this.handle.dir, name);
          pidsWrite(this.handle.dir, pids);
        });
        break;
      case "pause":
        this.eachProcess(fault, (_name, pid) => pid !== undefined && pidSignal(pid, "SIGSTOP"));
        break;
      case "resume":
        this.eachProcess(fault, (_name, pid) => pid !== undefined && pidSignal(pid, "SIGCONT"));
        break;
      case "networkPartition":
        this.linksOf(fault).partition(fault.params.groups.map((group) => group.map((node) => this.processName(node))), fault.params.asymmetric);
        break;
      case "heal":
        this.linksOf(fault).heal();
        break;
      case "linkReorder":
        this.linksOf(fault).delay(fault.params.jitterUs, fault.targets.map((node) => this.processName(node)));
        break;
      case "linkLoss":
        this.linksOf(fault).loss(fault.params.rate, fault.targets.map((node) => this.processName(node)));
        break;
      case "linkDuplicate":
        throw new SsmsError(ErrorCode.argumentInvalid, "linkDuplicate cannot be applied to a live cluster: TCP never duplicates; use the simulator");
    }
    this.applied.push({ atUs, fault });
    this.log("faultApplied", { atUs, fault: fault.fault, targets: fault.targets });
  }

  private processName(node: string): string {
    const owner = processOfNode(this.handle.spec, node);
    if (owner === undefined) throw new SsmsError(ErrorCode.argumentInvalid, `fault target '${node}' is no node of the cluster in ${this.handle.dir}`);
    return owner.name;
  }

  private eachProcess(fault: Fault, act: (name: string, pid: number | undefined) => void): void {
    const names = [...new Set(fault.targets.map((node) => this.processName(node)))];
    const pids = pidsRead(this.handle.dir);
    for (const name of names) act(name, pids[name]);
  }

  private linksOf(fault: Fault): LinkFaults {
    if (this.links === null) {
      throw new SsmsError(ErrorCode.argumentInvalid, `${fault.fault} needs the link proxy: start the cluster with links (clusterUp({links: true})) and give the controller its proxy`);
    }
    return this.links;
  }
}

/**
 * A schedule that SIGKILLs one node every `periodUs` (± a quarter, from `random`) for
 * `durationUs`, each restarted `downUs` later: what the SIGKILL acceptance test applies.
 */
export function killSchedule(nodes: readonly string[], options: { periodUs: number; downUs: number; durationUs: number; random: () => number }): Fault[] {
  const faults: Fault[] = [];
  let timeUs = options.periodUs;
  while (timeUs + options.downUs < options.durationUs) {
    const node = nodes[Math.floor(options.random() * nodes.length)]!;
    faults.push({ timeUs, fault: "crash", targets: [node], params: {} });
    faults.push({ timeUs: timeUs + options.downUs, fault: "restart", targets: [node], params: {} });
    timeUs += Math.round(options.periodUs * (0.75 + options.random() * 0.5));
  }
  return faults;
}
