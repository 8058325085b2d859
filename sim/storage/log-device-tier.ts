// LogDeviceTier: a LogDevice on one storage tier of the simulated cloud. It is a LogDeviceSim
// (bytes, in-order flush completion, crash faults) whose flush latency comes from a TierTiming
// (the tier's latency distribution, caps and request sizes), and which records its usage in the
// UsageLedger: write requests and bytes per flush, read requests per block touched, and the
// stored size after every append or truncation (for GB-months).
//
// Fault model (LogDeviceSim): flushed bytes survive a crash; the unflushed tail is lost, kept in
// part, or torn, with the tier's torn-write chance (0 where writes are atomic messages or
// blocks); `crash("torn")` forces a torn tail (the diskTornWrite fault).
// Not modelled: read latency (LogDevice.read is synchronous by contract; reads are counted and
// priced but take no virtual time) and device errors (flush never calls back with an error).

import { assert } from "../../engine/io/assert.ts";
import type { Clock } from "../../engine/io/clock.ts";
import type { LogDevice } from "../../engine/io/log-device.ts";
import type { Random } from "../../engine/io/random.ts";
import type { UsageLedger } from "../ledger.ts";
import { type LogDeviceCrash, LogDeviceSim } from "../log-device-sim.ts";

/** What makes one tier differ from another: how long a flush takes and how requests are counted. */
export interface TierTiming {
  /** Latency of a flush of `bytes` requested at `nowUs`, integer µs ≥ 0 (0 bytes: free). */
  flushUs(random: Random, bytes: number, nowUs: number): number;
  /** Write requests a flush of `bytes` > 0 makes (billed per request on object stores). */
  writeRequests(bytes: number): number;
  /** Bytes one read request fetches; reads are counted per block of this size touched. */
  readonly readBlockBytes: number;
  /** Chance that a crash tears the unflushed tail rather than losing it or keeping a prefix. */
  readonly tornWriteChance: number;
}

export type LogDeviceTierOptions = {
  readonly clock: Clock;
  /** The device's stream, e.g. `random.fork("storage/darq-3")`. */
  readonly random: Random;
  /** Ledger id of the device and the profile tier it is priced on. */
  readonly storageId: string;
  readonly tierName: string;
  readonly ledger?: UsageLedger;
  /** VM size of the host of a replicated-memory log (its replica VMs are priced alike). */
  readonly hostVmSize?: string | null;
};

export class LogDeviceTier implements LogDevice {
  protected readonly device: LogDeviceSim;
  private readonly clock: Clock;
  private readonly ledger: UsageLedger | undefined;
  private readonly handle: number;
  private readonly timing: TierTiming;
  private readonly readBlockBytes: number;
  /** Block index of the last read request, so sequential reads of one block count once. */
  private lastReadBlock = -1;
  private busyUntilUs: (() => number) | undefined = undefined;

  constructor(options: LogDeviceTierOptions, timing: TierTiming) {
    this.clock = options.clock;
    this.ledger = options.ledger;
    this.timing = timing;
    this.readBlockBytes = timing.readBlockBytes;
    assert(Number.isInteger(this.readBlockBytes) && this.readBlockBytes > 0,
      `storage ${options.storageId}: readBlockBytes must be a positive integer, got ${this.readBlockBytes}`);
    this.handle = this.ledger?.storageOpen(options.storageId, options.tierName, options.hostVmSize ?? null) ?? -1;
    this.device = new LogDeviceSim({
      clock: options.clock,
      random: options.random,
      flushLatencyUs: (random, bytes) => this.flushLatencyUs(random, bytes),
      tornWriteChance: timing.tornWriteChance,
    });
  }

  append(bytes: Uint8Array): number {
    const offset = this.device.append(bytes);
    this.resized();
    return offset;
  }

  flush(callback: (error: Error | null) => void): void {
    const busyUntilUs = this.busyUntilUs;
    if (busyUntilUs === undefined) return this.device.flush(callback);
    this.device.flush((error) => {
      const freeUs = busyUntilUs();
      if (freeUs > this.clock.nowUs()) this.clock.timerStart(freeUs - this.clock.nowUs(), () => callback(error));
      else callback(error);
    });
  }

  /**
   * Flush completions that arrive before `busyUntilUs()` wait until then: the owner's process is
   * one event loop, busy running a step (in order: completions stay in flush order).
   */
  gateCompletions(busyUntilUs: () => number): void {
    this.busyUntilUs = busyUntilUs;
  }

  begin(): number {
    return this.device.begin();
  }

  end(): number {
    return this.device.end();
  }

  durableEnd(): number {
    return this.device.durableEnd();
  }

  read(offset: number, length: number): Uint8Array {
    if (this.ledger !== undefined && length > 0) this.countReads(offset, length);
    return this.device.read(offset, length);
  }

  truncatePrefix(offset: number): void {
    this.device.truncatePrefix(offset);
    this.resized();
  }

  truncateTail(offset: number): void {
    this.device.truncateTail(offset);
    this.resized();
  }

  /** Closes the device and ends its provisioned (billed) lifetime. */
  close(): void {
    this.device.close();
    if (this.ledger !== undefined) this.ledger.storageClose(this.handle);
  }

  flushesPending(): number {
    return this.device.flushesPending();
  }

  /** A power loss of the device's machine; afterwards the object is the reopened device. */
  crash(outcome?: LogDeviceCrash["outcome"]): LogDeviceCrash {
    const result = this.device.crash(outcome);
    this.lastReadBlock = -1;
    this.resized();
    return result;
  }

  private flushLatencyUs(random: Random, bytes: number): number {
    if (bytes > 0 && this.ledger !== undefined) {
      const requests = this.timing.writeRequests(bytes);
      // Requests split the bytes evenly, in whole bytes.
      const share = Math.floor(bytes / requests);
      const larger = bytes - share * requests;
      for (let request = 0; request < requests; request++) {
        this.ledger.storageWrite(this.handle, request < larger ? share + 1 : share);
      }
    }
    return this.timing.flushUs(random, bytes, this.clock.nowUs());
  }

  private countReads(offset: number, length: number): void {
    const first = Math.floor(offset / this.readBlockBytes);
    const last = Math.floor((offset + length - 1) / this.readBlockBytes);
    const blockBytes = this.readBlockBytes;
    for (let block = first; block <= last; block++) {
      if (block !== this.lastReadBlock) {
        const bytes = Math.min(offset + length, (block + 1) * blockBytes) - Math.max(offset, block * blockBytes);
        this.ledger!.storageRead(this.handle, bytes);
      }
      this.lastReadBlock = block;
    }
  }

  private resized(): void {
    if (this.ledger !== undefined) this.ledger.storageResize(this.handle, this.device.end() - this.device.begin());
  }
}
