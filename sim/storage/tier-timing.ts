// Timing of the disk and object-store tiers (see log-device-tier.ts for what a TierTiming is).
//
// Managed disk (Azure premium SSD P-tiers, EBS gp3/io2). A flush is one write I/O per started
// 256 KiB (both clouds count I/Os in 256 KiB units); it needs tokens from two buckets, IOPS and
// bytes per second, at the tier's caps. Flushes are served in FIFO order: a flush starts when
// both buckets allow it and not before the previous flush started, and completes after a latency
// drawn from the tier's write-latency distribution. Over the cap, flushes therefore queue, and
// the started rate never exceeds cap + bucket depth ÷ window. The buckets hold `capWindowUs`
// worth of budget (default 100 ms): bursts shorter than that pass at full speed. Credit-based
// bursting (Azure P1–P20 burst to 3,500 IOPS for 30 min) is not modelled: the caps are the
// baseline ones, which is conservative.
//
// Object store (Azure blob, S3). A flush appends the new bytes as blocks of at most
// `blockBytesMax` (default 4 MiB, the append-block size limit): one PUT/append request per
// block, all in parallel, so its latency is the slowest of the requests' drawn latencies. No
// bandwidth or request-rate cap (neither profile gives one). Blocks are atomic: a crash loses or
// keeps whole flushes' worth of bytes at random, never tears them (torn-write chance 0). Reads
// are counted per `readBlockBytes` (default 4 MiB) range request.

import { assert } from "../../engine/io/assert.ts";
import type { Random } from "../../engine/io/random.ts";
import { latencySampler, type LatencySampler } from "../profiles/latency.ts";
import type { StorageTier } from "../profiles/schema.ts";
import type { TierTiming } from "./log-device-tier.ts";
import { TokenBucket } from "./token-bucket.ts";

/** Both providers count SSD I/Os in units of up to 256 KiB. */
export const ioUnitBytes = 256 * 1024;
const mebibyte = 1024 * 1024;

type ManagedDisk = Extract<StorageTier, { kind: "managedDisk" }>;
type ObjectStore = Extract<StorageTier, { kind: "objectStore" }>;

export type DiskTimingOptions = {
  /** Budget the cap buckets hold, in µs of their rate; default 100 ms. */
  readonly capWindowUs?: number;
  /** Torn-write chance on crash; default 1/3 (lost, partial and torn equally likely). */
  readonly tornWriteChance?: number;
};

export class DiskTiming implements TierTiming {
  readonly readBlockBytes = ioUnitBytes;
  readonly tornWriteChance: number;
  readonly iops: TokenBucket;
  readonly throughput: TokenBucket;
  private readonly sampler: LatencySampler;
  private lastStartUs = 0;

  constructor(tier: ManagedDisk, options: DiskTimingOptions = {}) {
    const windowUs = options.capWindowUs ?? 100_000;
    assert(windowUs > 0, `capWindowUs must be > 0, got ${windowUs}`);
    const bytesPerSecond = tier.throughputMBpsMax * 1e6;
    this.iops = new TokenBucket(tier.iopsMax, Math.max(1, (tier.iopsMax * windowUs) / 1e6));
    this.throughput = new TokenBucket(bytesPerSecond, Math.max(ioUnitBytes, (bytesPerSecond * windowUs) / 1e6));
    this.sampler = latencySampler(tier.writeLatency);
    this.tornWriteChance = options.tornWriteChance ?? 1 / 3;
  }

  writeRequests(bytes: number): number {
    return Math.max(1, Math.ceil(bytes / ioUnitBytes));
  }

  flushUs(random: Random, bytes: number, nowUs: number): number {
    if (bytes === 0) return 0;
    const operations = this.writeRequests(bytes);
    let startUs = this.lastStartUs > nowUs ? this.lastStartUs : nowUs;
    startUs = Math.max(this.iops.readyUs(operations, startUs), this.throughput.readyUs(bytes, startUs));
    this.iops.take(operations, startUs);
    this.throughput.take(bytes, startUs);
    this.lastStartUs = startUs;
    return Math.ceil(startUs - nowUs) + this.sampler(random);
  }
}

export type BlobTimingOptions = {
  readonly blockBytesMax?: number;
  readonly readBlockBytes?: number;
};

export class BlobTiming implements TierTiming {
  readonly readBlockBytes: number;
  readonly tornWriteChance = 0;
  private readonly blockBytesMax: number;
  private readonly sampler: LatencySampler;

  constructor(tier: ObjectStore, options: BlobTimingOptions = {}) {
    this.blockBytesMax = options.blockBytesMax ?? 4 * mebibyte;
    this.readBlockBytes = options.readBlockBytes ?? 4 * mebibyte;
    assert(this.blockBytesMax > 0, `blockBytesMax must be > 0, got ${this.blockBytesMax}`);
    this.sampler = latencySampler(tier.writeLatency);
  }

  writeRequests(bytes: number): number {
    return Math.max(1, Math.ceil(bytes / this.blockBytesMax));
  }

  flushUs(random: Random, bytes: number): number {
    if (bytes === 0) return 0;
    const requests = this.writeRequests(bytes);
    let slowestUs = 0;
    for (let request = 0; request < requests; request++) {
      const latencyUs = this.sampler(random);
      if (latencyUs > slowestUs) slowestUs = latencyUs;
    }
    return slowestUs;
  }
}
