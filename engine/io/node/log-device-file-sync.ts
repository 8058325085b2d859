// Group commit for LogDeviceFile: the queue of flush requests, the one fdatasync batch in flight,
// and the durable offset.
//
// At most one batch is in flight. A batch writes every pending byte to the files, then runs
// fdatasync on each segment written since the previous batch (and fsync on the directory if a
// segment file was created), all in parallel on libuv's pool. When the last one returns, the
// durable offset moves to the end the batch wrote, and every waiting flush whose bytes are now
// durable is called back, oldest first; if flushes arrived meanwhile, the next batch starts.
// Descriptors of segments deleted while a batch is in flight are closed only after it returns,
// so a descriptor number is never reused under a running fdatasync.

import * as fs from "node:fs";
import type { SsmsError } from "../errors.ts";
import { deviceError, fdClose, type Segment } from "./log-device-file-dir.ts";

type Waiter = { target: number; readonly callback: (error: Error | null) => void };

export class LogDeviceFileSync {
  private durableOffset: number;
  private readonly waiters: Waiter[] = [];
  private head = 0;
  private inFlight = false;
  private inFlightTarget = 0;
  private inFlightRemaining = 0;
  private inFlightError: SsmsError | null = null;
  private dirDirty = false;
  private failure: SsmsError | null = null;
  private readonly closeAfterFlight: Segment[] = [];
  private syncs = 0;

  constructor(
    private readonly dir: string,
    private readonly dirFd: number,
    durableOffset: number,
    private readonly segments: readonly Segment[],
    /** Writes pending bytes to the files and returns the end of what the files now hold. */
    private readonly writePending: () => number,
    /** Called whenever the queue becomes idle, so a closed device can release descriptors. */
    private readonly onIdle: () => void,
  ) {
    this.durableOffset = durableOffset;
  }

  durableEnd(): number {
    return this.durableOffset;
  }

  syncCount(): number {
    return this.syncs;
  }

  idle(): boolean {
    return !this.inFlight && this.head === this.waiters.length;
  }

  /** A segment file was created: the next batch also syncs the directory. */
  dirChanged(): void {
    this.dirDirty = true;
  }

  /** Queues a flush of every byte below `target`. */
  request(target: number, callback: (error: Error | null) => void): void {
    if (this.failure !== null) {
      callback(this.failure);
      return;
    }
    this.waiters.push({ target, callback });
    if (!this.inFlight) this.start();
  }

  /** The log was cut at `offset`: nothing above it is, or will be made, durable. */
  clamp(offset: number): void {
    if (this.durableOffset > offset) this.durableOffset = offset;
    if (this.inFlightTarget > offset) this.inFlightTarget = offset;
    for (let i = this.head; i < this.waiters.length; i++) {
      const waiter = this.waiters[i]!;
      if (waiter.target > offset) waiter.target = offset;
    }
  }

  /** Closes the descriptor of a deleted segment, now or after the batch in flight. */
  closeLater(segment: Segment): void {
    if (this.inFlight) this.closeAfterFlight.push(segment);
    else fdClose(segment.fd, segment.path);
  }

  /** Closes every descriptor still waiting for a batch (the device is closing). */
  closeDeferred(): void {
    for (const segment of this.closeAfterFlight.splice(0)) fdClose(segment.fd, segment.path);
  }

  private start(): void {
    let target: number;
    try {
      target = this.writePending();
    } catch (error) {
      this.fail(error as SsmsError);
      return;
    }
    let count = 0;
    for (const segment of this.segments) if (segment.dirty) count++;
    const dirDirty = this.dirDirty;
    if (count === 0 && !dirDirty) {
      // Nothing unsynced: every byte below target is already durable.
      if (this.durableOffset < target) this.durableOffset = target;
      this.drain();
      return;
    }
    this.inFlight = true;
    this.inFlightTarget = target;
    this.inFlightRemaining = count + (dirDirty ? 1 : 0);
    this.inFlightError = null;
    this.dirDirty = false;
    for (const segment of this.segments) {
      if (!segment.dirty) continue;
      segment.dirty = false;
      fs.fdatasync(segment.fd, (error) => this.syncDone(error, "fdatasync", segment.path));
    }
    if (dirDirty) fs.fsync(this.dirFd, (error) => this.syncDone(error, "fsync directory", this.dir));
  }

  private syncDone(error: Error | null, action: string, path: string): void {
    if (error !== null && this.inFlightError === null) this.inFlightError = deviceError(action, path, error);
    if (--this.inFlightRemaining > 0) return;
    this.inFlight = false;
    this.syncs++;
    this.closeDeferred();
    if (this.inFlightError !== null) {
      this.fail(this.inFlightError);
      return;
    }
    if (this.durableOffset < this.inFlightTarget) this.durableOffset = this.inFlightTarget;
    this.drain();
  }

  /** Calls back, oldest first, every waiter whose bytes are durable; starts the next batch. */
  private drain(): void {
    while (this.head < this.waiters.length) {
      const waiter = this.waiters[this.head]!;
      if (waiter.target > this.durableOffset) break;
      this.head++;
      waiter.callback(null);
    }
    if (this.head === this.waiters.length) {
      this.waiters.length = 0;
      this.head = 0;
    }
    if (this.inFlight || this.failure !== null) return;
    if (this.head < this.waiters.length) this.start();
    else this.onIdle();
  }

  private fail(error: SsmsError): void {
    this.failure = error;
    while (this.head < this.waiters.length) this.waiters[this.head++]!.callback(error);
    this.waiters.length = 0;
    this.head = 0;
    this.onIdle();
  }
}
