// LogDeviceReplicated: the paper's hot-replicated DARQ backend. The log lives in the memory of
// its primary (the DARQ node) and of `replicas − 1` backups on other nodes.
//
// Timing. A flush sends the new bytes to every live backup in parallel and waits for all of them
// to acknowledge: its latency is the primary's NIC time for the copies (FIFO, at
// `replicationBytesPerSecond`, default the profile's same-zone link bandwidth) plus the slowest
// of one round trip per live backup, each drawn from the tier's write-latency distribution (the
// profile states one replica's acknowledged round trip). With two backups the median flush is
// therefore above the profile's median: the 70.7th percentile of one round trip.
// Fault model. Backups crash and restart independently (`replicaCrash`/`replicaRestart`); a
// restarted backup copies the log from the primary at once (catch-up time is not modelled). A
// flush waits only for backups that are up. `crash()` is a crash of the primary: if at least one
// backup is up, the log survives as on any device (flushed bytes kept; the unflushed tail lost or
// kept in part, never torn, since replicas receive whole messages). If every backup is down too,
// the memory is gone: the log is emptied, flushed bytes included; this tier is volatile, which
// is the trade the paper makes for its speed. Memory is priced as replica VMs or a 3× memory
// share by sim/pricing, not here.

import { assert } from "../../engine/io/assert.ts";
import type { Random } from "../../engine/io/random.ts";
import type { LogDeviceCrash } from "../log-device-sim.ts";
import { latencySampler, type LatencySampler } from "../profiles/latency.ts";
import type { StorageTier } from "../profiles/schema.ts";
import { LogDeviceTier, type LogDeviceTierOptions, type TierTiming } from "./log-device-tier.ts";

type ReplicatedMemory = Extract<StorageTier, { kind: "replicatedMemory" }>;

/** The backups and the replication timing. Index 0 is the primary; backups are 1…replicas−1. */
class ReplicaSet implements TierTiming {
  readonly readBlockBytes = 1024 * 1024;
  readonly tornWriteChance = 0;
  readonly up: boolean[];
  private readonly sampler: LatencySampler;
  private readonly bytesPerUs: number;
  private nicFreeUs = 0;

  constructor(tier: ReplicatedMemory, replicationBytesPerSecond: number) {
    assert(Number.isInteger(tier.replicas) && tier.replicas >= 1, `replicas must be an integer ≥ 1, got ${tier.replicas}`);
    assert(replicationBytesPerSecond > 0, `replicationBytesPerSecond must be > 0, got ${replicationBytesPerSecond}`);
    this.up = new Array<boolean>(tier.replicas).fill(true);
    this.sampler = latencySampler(tier.writeLatency);
    this.bytesPerUs = replicationBytesPerSecond / 1e6;
  }

  backupsUp(): number {
    let count = 0;
    for (let index = 1; index < this.up.length; index++) if (this.up[index]) count++;
    return count;
  }

  writeRequests(): number {
    return 1;
  }

  flushUs(random: Random, bytes: number, nowUs: number): number {
    if (bytes === 0) return 0;
    let slowestUs = 0;
    let copies = 0;
    for (let index = 1; index < this.up.length; index++) {
      if (!this.up[index]) continue;
      copies++;
      const roundTripUs = this.sampler(random);
      if (roundTripUs > slowestUs) slowestUs = roundTripUs;
    }
    if (copies === 0) return 0;
    const startUs = this.nicFreeUs > nowUs ? this.nicFreeUs : nowUs;
    this.nicFreeUs = startUs + (copies * bytes) / this.bytesPerUs;
    return Math.ceil(this.nicFreeUs - nowUs) + slowestUs;
  }
}

export type LogDeviceReplicatedOptions = LogDeviceTierOptions & {
  /** Bandwidth of the primary's link to its backups; default: not a bottleneck. */
  readonly replicationBytesPerSecond?: number;
};

export type LogDeviceReplicatedCrash = LogDeviceCrash & {
  /** True when no backup was up: the whole log, flushed bytes included, was lost. */
  readonly volatileLost: boolean;
  /** Flushed bytes lost with it (0 unless volatileLost). */
  readonly durableBytesLost: number;
};

export class LogDeviceReplicated extends LogDeviceTier {
  private readonly replicas: ReplicaSet;

  constructor(tier: ReplicatedMemory, options: LogDeviceReplicatedOptions) {
    const replicas = new ReplicaSet(tier, options.replicationBytesPerSecond ?? Infinity);
    super(options, replicas);
    this.replicas = replicas;
  }

  /** Number of replicas including the primary. */
  get replicaCount(): number {
    return this.replicas.up.length;
  }

  /** Backups (indices 1…replicaCount−1) that are up. */
  backupsUp(): number {
    return this.replicas.backupsUp();
  }

  /** Crashes backup `index`; its memory copy is gone. */
  replicaCrash(index: number): void {
    this.checkBackup(index);
    this.replicas.up[index] = false;
  }

  /** Restarts backup `index`; it copies the log from the primary. */
  replicaRestart(index: number): void {
    this.checkBackup(index);
    this.replicas.up[index] = true;
  }

  /** A crash of the primary; see the file header for when it loses everything. */
  override crash(outcome?: LogDeviceCrash["outcome"]): LogDeviceReplicatedCrash {
    const volatileLost = this.replicas.backupsUp() === 0;
    const durableBytes = Math.max(0, this.durableEnd() - this.begin());
    const result = super.crash(outcome);
    if (!volatileLost) return { ...result, volatileLost, durableBytesLost: 0 };
    this.truncateTail(this.begin());
    return { outcome: "lost", unflushedBytes: result.unflushedBytes, keptBytes: 0, garbledBytes: 0, volatileLost, durableBytesLost: durableBytes };
  }

  private checkBackup(index: number): void {
    assert(Number.isInteger(index) && index >= 1 && index < this.replicas.up.length,
      `backup index must be in [1, ${this.replicas.up.length - 1}], got ${index} (0 is the primary: use crash())`);
  }
}
