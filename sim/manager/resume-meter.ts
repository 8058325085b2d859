// Time to resume after a crash (issue 7: standby failover against cold recovery). When a node
// crashes, the automata whose processor ran there (or whose logical DARQ lived there) are noted
// with the crash time; each one's first committed step after it is its resume. The meter keeps,
// per crash, the slowest and the mean resume over the automata that resumed, and how many never
// did within the run. Only automata of a crashed node are touched, so steady state costs one
// failed map lookup per committed step while a crash is open, and nothing otherwise.

import type { AutomatonId } from "../../engine/runtime/ids.ts";
import type { SimCluster } from "../cluster/sim-cluster.ts";

export type CrashResume = { readonly node: string; readonly atUs: number; readonly automata: number; resumed: number; resumeUsMax: number; resumeUsSum: number };

export class ResumeMeter {
  readonly crashes: CrashResume[] = [];
  private readonly open = new Map<string, CrashResume>();

  constructor(private readonly cluster: SimCluster) {
    const prior = cluster.faultHooks.onCrash;
    cluster.faultHooks.onCrash = (node) => {
      prior?.(node);
      this.crashed(node);
    };
  }

  private crashed(node: string): void {
    const records = this.cluster.metadata?.automata ?? {};
    const spares = new Set(this.cluster.sparesOf(node).map((machine) => machine.config.name));
    const affected = Object.keys(records).filter((id) => {
      const record = records[id]!;
      return record.computeNode !== null && (record.computeNode === node || record.darqNode === node || spares.has(record.computeNode));
    });
    const crash: CrashResume = { node, atUs: this.cluster.nowUs(), automata: affected.length, resumed: 0, resumeUsMax: 0, resumeUsSum: 0 };
    this.crashes.push(crash);
    for (const id of affected) this.open.set(id, crash);
  }

  /** The step hook: `from` committed a step now. */
  readonly onCommitted = (from: AutomatonId): void => {
    if (this.open.size === 0) return;
    const crash = this.open.get(from);
    if (crash === undefined) return;
    this.open.delete(from);
    const resumeUs = this.cluster.nowUs() - crash.atUs;
    crash.resumed++;
    crash.resumeUsSum += resumeUs;
    crash.resumeUsMax = Math.max(crash.resumeUsMax, resumeUs);
  };

  /** Metrics over all crashes: the slowest resume, the mean, and automata that never resumed. */
  metrics(): Record<string, number> {
    if (this.crashes.length === 0) return {};
    const resumed = this.crashes.reduce((sum, crash) => sum + crash.resumed, 0);
    return {
      crashes: this.crashes.length,
      resumeUsMax: Math.max(...this.crashes.map((crash) => crash.resumeUsMax)),
      resumeUsMean: resumed === 0 ? 0 : this.crashes.reduce((sum, crash) => sum + crash.resumeUsSum, 0) / resumed,
      automataNotResumed: this.crashes.reduce((sum, crash) => sum + crash.automata - crash.resumed, 0),
    };
  }
}
