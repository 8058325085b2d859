// LogDeviceSim: a simulated durable log device in virtual time, its bytes in a LogStoreChunked.
//
// Fault model. A flush completes `flushLatencyUs` after it is requested (a constant or drawn per
// flush from `random`), and never before an earlier flush: completions are in request order.
// `crash()` models a power loss of the machine: flush callbacks still pending never fire, and
// the bytes appended after the durable point are, as drawn from `random`, lost entirely, kept in
// part (any prefix, possibly all of them), or kept torn (a prefix whose last 1–16 bytes are
// garbled, as a sector half written). Flushed bytes always survive. After `crash()` the same
// object is the device as reopened: what survived is on the medium, hence durable. Readers find
// and cut a torn tail with frame.ts (framesScan) and truncateTail.

import { assert } from "../engine/io/assert.ts";
import type { Clock, TimerId } from "../engine/io/clock.ts";
import type { LogDevice } from "../engine/io/log-device.ts";
import type { Random } from "../engine/io/random.ts";
import { LogStoreChunked } from "./log-store-chunked.ts";

export type LogDeviceSimOptions = {
  clock: Clock;
  random: Random;
  /**
   * Time from a flush request to its completion: a constant, or drawn per flush. A function also
   * gets the bytes this flush makes durable (appended since the previous flush request), so a
   * tier can charge for size (throughput caps, requests per object block).
   */
  flushLatencyUs: number | ((random: Random, bytes: number) => number);
  /**
   * Chance that a crash leaves a torn tail when unflushed bytes exist; otherwise the tail is lost
   * or kept in part, equally likely. Default 1/3, so all three outcomes are equally likely.
   */
  tornWriteChance?: number;
};

/** What a crash did to the unflushed tail (for tests and traces). */
export type LogDeviceCrash = {
  readonly outcome: "lost" | "partial" | "torn";
  /** Unflushed bytes before the crash. */
  readonly unflushedBytes: number;
  /** Of those, how many the reopened log still holds. */
  readonly keptBytes: number;
  /** Garbled bytes at the end of the kept ones (torn only). */
  readonly garbledBytes: number;
};

const garbledBytesMax = 16;
const flushesCompactMin = 1024;

type FlushPending = { target: number; readonly callback: (error: Error | null) => void; readonly timer: TimerId };

export class LogDeviceSim implements LogDevice {
  private readonly store = new LogStoreChunked();
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly flushLatencyUs: number | ((random: Random, bytes: number) => number);
  private readonly tornWriteChance: number;
  private durableOffset = 0;
  /** Flushes in request order; completions advance `flushHead`. */
  private readonly flushes: FlushPending[] = [];
  private flushHead = 0;
  private lastCompletionUs = 0;
  private readonly complete = (): void => this.flushComplete();

  constructor(options: LogDeviceSimOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.flushLatencyUs = options.flushLatencyUs;
    this.tornWriteChance = options.tornWriteChance ?? 1 / 3;
    assert(this.tornWriteChance >= 0 && this.tornWriteChance <= 1,
      `tornWriteChance must be within [0, 1], got ${this.tornWriteChance}`);
    if (typeof this.flushLatencyUs === "number") latencyCheck(this.flushLatencyUs);
  }

  append(bytes: Uint8Array): number {
    return this.store.append(bytes);
  }

  flush(callback: (error: Error | null) => void): void {
    const latency = this.flushLatencyUs;
    const latencyUs = typeof latency === "number" ? latency : latencyCheck(latency(this.random, this.flushBytes()));
    const nowUs = this.clock.nowUs();
    // Never complete before an earlier flush: a fast flush waits behind a slow one.
    const completionUs = Math.max(nowUs + latencyUs, this.lastCompletionUs);
    this.lastCompletionUs = completionUs;
    const timer = this.clock.timerStart(completionUs - nowUs, this.complete);
    this.flushes.push({ target: this.store.end(), callback, timer });
  }

  begin(): number {
    return this.store.begin();
  }

  end(): number {
    return this.store.end();
  }

  durableEnd(): number {
    return this.durableOffset;
  }

  read(offset: number, length: number): Uint8Array {
    return this.store.read(offset, length);
  }

  /** A view without copying where the bytes lie in one chunk (see LogStoreChunked.view). */
  view(offset: number, length: number): Uint8Array {
    return this.store.view(offset, length);
  }

  truncatePrefix(offset: number): void {
    this.store.truncatePrefix(offset);
  }

  truncateTail(offset: number): void {
    this.store.truncateTail(offset);
    if (this.durableOffset > offset) this.durableOffset = offset;
    for (let i = this.flushHead; i < this.flushes.length; i++) {
      const flush = this.flushes[i]!;
      if (flush.target > offset) flush.target = offset;
    }
  }

  close(): void {
    this.store.close();
  }

  /** Bytes a flush requested now would add to the durable prefix or to the pending flushes. */
  private flushBytes(): number {
    const pending = this.flushes.length > this.flushHead ? this.flushes[this.flushes.length - 1]!.target : 0;
    return Math.max(0, this.store.end() - Math.max(pending, this.durableOffset, this.store.begin()));
  }

  /** Flushes requested and not yet completed. */
  flushesPending(): number {
    return this.flushes.length - this.flushHead;
  }

  /**
   * Crashes the device; afterwards it acts as the reopened device. `outcome` forces what happens
   * to an unflushed tail (a torn-write fault); by default it is drawn as described above.
   */
  crash(outcome?: LogDeviceCrash["outcome"]): LogDeviceCrash {
    for (let i = this.flushHead; i < this.flushes.length; i++) this.clock.timerCancel(this.flushes[i]!.timer);
    this.flushes.length = 0;
    this.flushHead = 0;
    // Bytes below begin are gone whatever happens; only [max(durable, begin), end) is at risk.
    const safeEnd = Math.max(this.durableOffset, this.store.begin());
    const unflushedBytes = this.store.end() - safeEnd;
    const result = this.tailDamage(safeEnd, unflushedBytes, outcome);
    this.durableOffset = this.store.end();
    return result;
  }

  private tailDamage(safeEnd: number, unflushedBytes: number, forced: LogDeviceCrash["outcome"] | undefined): LogDeviceCrash {
    const random = this.random;
    if (unflushedBytes === 0) return { outcome: "lost", unflushedBytes, keptBytes: 0, garbledBytes: 0 };
    if (forced === "torn" || (forced === undefined && random.chance(this.tornWriteChance))) {
      const keptBytes = random.intRange(1, unflushedBytes);
      const garbledBytes = random.intRange(1, Math.min(keptBytes, garbledBytesMax));
      const garbleAt = safeEnd + keptBytes - garbledBytes;
      const garbled = this.store.read(garbleAt, garbledBytes);
      // XOR with a non-zero byte: every garbled byte really differs from what was written.
      for (let i = 0; i < garbled.length; i++) garbled[i] = garbled[i]! ^ random.intRange(1, 255);
      this.store.truncateTail(garbleAt);
      this.store.append(garbled);
      return { outcome: "torn", unflushedBytes, keptBytes, garbledBytes };
    }
    const lost = forced === undefined ? random.chance(0.5) : forced === "lost";
    const keptBytes = lost ? 0 : random.intRange(1, unflushedBytes);
    this.store.truncateTail(safeEnd + keptBytes);
    return { outcome: keptBytes === 0 ? "lost" : "partial", unflushedBytes, keptBytes, garbledBytes: 0 };
  }

  private flushComplete(): void {
    // Timers fire in completion order, which is request order, so the oldest flush is done.
    const flush = this.flushes[this.flushHead++];
    assert(flush !== undefined, "a flush timer fired with no flush pending");
    if (this.flushHead === this.flushes.length) {
      this.flushes.length = 0;
      this.flushHead = 0;
    } else if (this.flushHead >= flushesCompactMin && 2 * this.flushHead >= this.flushes.length) {
      this.flushes.splice(0, this.flushHead); // under steady load the queue never empties
      this.flushHead = 0;
    }
    if (this.durableOffset < flush.target) this.durableOffset = flush.target;
    flush.callback(null);
  }
}

function latencyCheck(latencyUs: number): number {
  // Tested before calling assert so the message is only built on failure (once per flush).
  if (!(Number.isInteger(latencyUs) && latencyUs >= 0)) {
    assert(false, `flushLatencyUs must be a non-negative integer of microseconds, got ${latencyUs}`);
  }
  return latencyUs;
}
