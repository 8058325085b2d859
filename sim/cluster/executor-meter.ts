// The point executor's meter: it sees every message a committed step sent (SimCluster's
// stepHooks.onCommitted) and asks the workload driver what each one finished. Throughput counts
// the items of the driver's throughput outcomes; latency is observed time − the work's startUs,
// into log histograms (whole run and current window) with no per-sample storage. It also charges
// each message's modelled extras: payload bytes (counted, and moved between the zones of the
// sender's and receiver's DARQ nodes in the ledger) and blob traffic (one PUT and one GET on the
// profile's blob tier, in the ledger).
//
// Cost per message: one completionOf call and one messageCost call, both allocation-free in the
// drivers; a completion adds two histogram increments.

import type { StagedSend } from "../../engine/runtime/context.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import type { WorkloadDriver } from "../../workloads/driver.ts";
import type { UsageLedger } from "../ledger.ts";
import type { CloudProfile } from "../profiles/schema.ts";
import { bucketOf, LogHistogram } from "./executor-histogram.ts";

export type MeterOptions = {
  readonly driver: WorkloadDriver;
  readonly nowUs: () => number;
  readonly ledger: UsageLedger;
  readonly profile: CloudProfile;
  /** Zone of the DARQ node that holds `id` now, or undefined if unknown. */
  readonly zoneOf: (id: string) => string | undefined;
};

export class CompletionMeter {
  readonly latencyAll = new LogHistogram();
  readonly latencyWindow = new LogHistogram();
  /** Items of throughput outcomes, whole run and current window. */
  itemsAll = 0;
  itemsWindow = 0;
  messagesCommitted = 0;
  payloadBytes = 0;
  blobBytes = 0;
  /** Completions per outcome (driver.outcomes order). */
  readonly outcomeCounts: Float64Array;
  private readonly outcomeIndex = new Map<string, number>();
  private readonly counted: Set<string>;
  private blobHandle = -1;
  private pathSource = "";
  private pathTarget = "";
  private pathHandle = -1;

  constructor(private readonly options: MeterOptions) {
    options.driver.outcomes.forEach((outcome, index) => this.outcomeIndex.set(outcome, index));
    this.outcomeCounts = new Float64Array(options.driver.outcomes.length);
    this.counted = new Set(options.driver.throughputOutcomes);
  }

  get driver(): WorkloadDriver {
    return this.options.driver;
  }

  /** The SimCluster hook: every send of one committed step of `from`. */
  readonly onCommitted = (from: AutomatonId, sends: readonly StagedSend[]): void => {
    const driver = this.options.driver;
    for (let index = 0; index < sends.length; index++) {
      const send = sends[index]!;
      this.messagesCommitted++;
      const completion = driver.completionOf(send.to, send.message);
      if (completion !== undefined) this.complete(completion.outcome, completion.startUs, completion.items);
      const cost = driver.messageCost(send.to, send.message);
      if (cost.payloadBytes > 0) this.payload(from, send.to, cost.payloadBytes);
      if (cost.blobWriteBytes > 0 || cost.blobReadBytes > 0) this.blob(cost.blobWriteBytes, cost.blobReadBytes);
    }
  };

  /** Ends the current window; the caller has read it. */
  windowReset(): void {
    this.itemsWindow = 0;
    this.latencyWindow.clear();
  }

  private complete(outcome: string, startUs: number, items: number): void {
    const index = this.outcomeIndex.get(outcome);
    if (index !== undefined) this.outcomeCounts[index]! += 1;
    if (!this.counted.has(outcome)) return;
    const latencyUs = this.options.nowUs() - startUs;
    this.itemsAll += items;
    this.itemsWindow += items;
    const bucket = bucketOf(latencyUs);
    this.latencyAll.addToBucket(bucket);
    this.latencyWindow.addToBucket(bucket);
  }

  private payload(from: string, to: string, bytes: number): void {
    this.payloadBytes += bytes;
    const source = this.options.zoneOf(from);
    const target = this.options.zoneOf(to);
    if (source === undefined || target === undefined) return;
    // One cached path: nearly every hop is between the same two zones.
    if (source !== this.pathSource || target !== this.pathTarget) {
      this.pathSource = source;
      this.pathTarget = target;
      this.pathHandle = this.options.ledger.networkPath(source, target);
    }
    this.options.ledger.transfer(this.pathHandle, bytes);
  }

  private blob(writeBytes: number, readBytes: number): void {
    this.blobBytes += writeBytes + readBytes;
    const ledger = this.options.ledger;
    if (this.blobHandle < 0) {
      const tier = Object.keys(this.options.profile.storage.tiers).find((name) => this.options.profile.storage.tiers[name]!.kind === "objectStore");
      if (tier === undefined) return;
      this.blobHandle = ledger.storageOpen("workload-blob", tier);
    }
    if (writeBytes > 0) ledger.storageWrite(this.blobHandle, writeBytes);
    if (readBytes > 0) ledger.storageRead(this.blobHandle, readBytes);
  }
}
