// The metadata executor: carries out the next action of every metadata operation in progress
// and reports the outcome to the metadata automaton as a `progress` message. It acts only on
// durable state (the worker calls `scan` when every step of the metadata automaton is durable),
// so it never does something that a crash could make the workflow forget.
//
// Every action is idempotent, checked against the world before or after acting:
//   catalogInsert        insert-if-absent; a conflict with our own row (same placement) is success,
//                        with another placement the workflow adopts that row
//   catalog updates      compare-and-set on the row version; a conflict whose row already shows the
//                        intended change means an earlier attempt succeeded
//   catalogDelete        a missing row means an earlier attempt deleted it
//   darqHost/darqWatch   hosting is idempotent; the watcher is a registration (a new one fences
//                        the old)
//   processorStart       always a fresh registration: a later one fences any earlier one
//   processorStop(Abandoned) stopping what is not running is a no-op; a down node runs nothing;
//                        a stop only hits processors of older epochs, so it never hits the new one
// Failures the world causes (catalog outage, node down, no answer) are retried with backoff;
// an action that answers nothing within `actionTimeoutUs` is tried again. An outcome that is
// durably reported is never acted on again: the executor waits for the state to move on (an
// action redone after its successors ran would undo them: a second watcher would fence the
// processor started after it). Only a "replace" outcome, which may leave the state unchanged
// when no other node is up, is retried after a backoff. Timers exist only while operations are
// in progress.

import type { Clock, TimerId } from "../io/clock.ts";
import { ErrorCode } from "../io/errors.ts";
import type { Result } from "../io/result.ts";
import type { ActiveAutomatonRow, CatalogStore } from "../catalog/catalog-store.ts";
import type { LogicalState } from "../darq/index.ts";
import { actionName, type ActionResult, type MetadataState, type Op } from "./metadata-types.ts";

/** How the executor reaches nodes (RPCs in a cluster, direct calls in the simulator). */
export interface MetadataActuators {
  readonly catalog: CatalogStore;
  /**
   * Hosts logical DARQ `id` on DARQ node `node` and arms its wake-up watcher; ok once durable.
   * `epoch` (the operation's id, increasing) lets the node refuse a late, older registration.
   */
  darqWatch(node: string, id: string, epoch: number, done: (result: Result<void>) => void): void;
  /** Starts (replacing any) processor of `id` on compute node `node`; ok(incarnation) once registered. */
  processorStart(node: string, id: string, darqNode: string, epoch: number, done: (result: Result<number>) => void): void;
  /**
   * Stops the processor of `id` on `node` if it was started for an operation older than `epoch`
   * (ok if none runs or the node is down), and refuses later starts older than `epoch` there.
   */
  processorStop(node: string, id: string, epoch: number, done: (result: Result<void>) => void): void;
  /** Fences logical DARQ `id` on DARQ node `node` (no more steps, arrivals or registrations); ok once
   *  durable. Fencing a fenced one is ok. */
  darqFence(node: string, id: string, done: (result: Result<void>) => void): void;
  /**
   * Copies the fenced logical DARQ `id` from DARQ node `source` to `target` as one ADOPT record; ok
   * once durable there. Ok at once (after a durability barrier) when `target` already hosts it.
   */
  darqMove(source: string, target: string, id: string, done: (result: Result<void>) => void): void;
  /** Drops the fenced logical DARQ `id` from `node`; ok once durable (also if it is gone already). */
  darqRelease(node: string, id: string, done: (result: Result<void>) => void): void;
  /**
   * Parks dormant `id` on `node` if nothing in it is unconsumed and its state is at most about
   * `bytesMax` bytes: fences and exports it, ok(state); else ok(null), and it stays hosted.
   */
  darqPark(node: string, id: string, bytesMax: number, done: (result: Result<LogicalState | null>) => void): void;
  /** Hosts a parked logical DARQ on `node` (one ADOPT record); ok once durable, also if hosted already. */
  darqAdopt(node: string, state: LogicalState, done: (result: Result<void>) => void): void;
  /** Starts (replacing any) warm standby of `id` on compute node `node`, tailing `darqNode`. */
  standbyStart(node: string, id: string, darqNode: string, epoch: number, done: (result: Result<void>) => void): void;
}

/** Sends an outcome to the metadata automaton; `durable(true)` once it is in its log. */
export type ProgressReport = (op: Op, result: ActionResult, durable: (stored: boolean) => void) => void;

export type MetadataExecutorOptions = {
  readonly actuators: MetadataActuators;
  readonly clock: Clock;
  readonly report: ProgressReport;
  readonly retryUsMin?: number;
  readonly retryUsMax?: number;
  readonly actionTimeoutUs?: number;
  /** Told about each retryable failure (for logs and tests). */
  readonly onRetry?: (op: Op, reason: string) => void;
  /** Told just before each try of an action (tests crash the worker at every one). */
  readonly onAction?: (op: Op) => void;
  /** Largest state a deactivation parks in the metadata record (default 64 KiB). */
  readonly parkBytesMax?: number;
  /**
   * Whether `op` (as this attempt knows it) is still what the state asks for; checked before every
   * retry, so an attempt the state has moved past (even by steps not yet durable) stops at once.
   */
  readonly wanted?: (op: Op) => boolean;
};

/** Work on one op at one action, for one placement (a re-placed op is new work). */
type Attempt = { readonly key: string; tries: number; timer: TimerId };

export function attemptKey(op: Op): string {
  return `${op.opId}:${op.action}:${op.epoch}:${op.computeNode}:${op.darqNode}`;
}

export type MetadataExecutorStats = { actions: number; retries: number; reports: number };

export class MetadataExecutor {
  readonly stats: MetadataExecutorStats = { actions: 0, retries: 0, reports: 0 };
  private readonly attempts = new Map<string, Attempt>();
  private stopped = false;

  constructor(private readonly options: MetadataExecutorOptions) {}

  /** Starts the current action of every operation not already being worked on. */
  scan(state: Readonly<MetadataState>): void {
    if (this.stopped) return;
    for (const [id, attempt] of this.attempts) {
      const op = state.ops[id];
      if (op === undefined || attemptKey(op) !== attempt.key) this.forget(id);
    }
    for (const id of Object.keys(state.ops).sort()) {
      const op = state.ops[id]!;
      const attempt = this.attempts.get(id);
      if (attempt !== undefined) continue;
      const fresh: Attempt = { key: attemptKey(op), tries: 0, timer: -1 };
      this.attempts.set(id, fresh);
      this.run(op, fresh);
    }
  }

  /** Operations being worked on. */
  get inProgress(): number {
    return this.attempts.size;
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.attempts.keys()]) this.forget(id);
  }

  private forget(id: string): void {
    const attempt = this.attempts.get(id);
    if (attempt === undefined) return;
    if (attempt.timer !== -1) this.options.clock.timerCancel(attempt.timer);
    this.attempts.delete(id);
  }

  private current(op: Op, attempt: Attempt, tries: number): boolean {
    return !this.stopped && this.attempts.get(op.id) === attempt && attempt.tries === tries;
  }

  /** One try of the op's current action; its outcome is reported, a failure retried. */
  private run(op: Op, attempt: Attempt): void {
    attempt.tries++;
    const tries = attempt.tries;
    this.stats.actions++;
    this.options.onAction?.(op);
    if (this.stopped) return;
    // Whatever happens, try again if nothing comes of this try in time.
    this.arm(op, attempt, this.options.actionTimeoutUs ?? 10_000_000);
    const finish = (outcome: ActionResult | string): void => {
      if (!this.current(op, attempt, tries)) return;
      if (typeof outcome === "string") {
        this.stats.retries++;
        this.options.onRetry?.(op, outcome);
        return this.arm(op, attempt, this.backoffUs(tries));
      }
      this.stats.reports++;
      // Reported: no timeout re-run may race the report (it could undo what is being recorded).
      if (attempt.timer !== -1) this.options.clock.timerCancel(attempt.timer);
      attempt.timer = -1;
      this.options.report(op, outcome, (stored) => {
        if (!this.current(op, attempt, tries)) return;
        // Not stored (the metadata DARQ refused it), or a "replace" that may change nothing:
        // try again later. Otherwise wait for the state (scan) to move this operation on.
        if (!stored || outcome.outcome === "replace") this.arm(op, attempt, this.backoffUs(tries));
      });
    };
    this.act(op, finish);
  }

  private arm(op: Op, attempt: Attempt, delayUs: number): void {
    if (attempt.timer !== -1) this.options.clock.timerCancel(attempt.timer);
    attempt.timer = this.options.clock.timerStart(delayUs, () => {
      attempt.timer = -1;
      if (this.stopped || this.attempts.get(op.id) !== attempt) return;
      if (this.options.wanted !== undefined && !this.options.wanted(op)) return this.forget(op.id);
      this.run(op, attempt);
    });
  }

  private backoffUs(tries: number): number {
    const minUs = this.options.retryUsMin ?? 5_000;
    return Math.min(this.options.retryUsMax ?? 500_000, minUs * 2 ** Math.min(tries - 1, 20));
  }

  private act(op: Op, finish: (outcome: ActionResult | string) => void): void {
    const { actuators } = this.options;
    const catalog = actuators.catalog;
    switch (actionName(op)) {
      case "catalogInsert":
        return catalog.activate({
          id: op.id, type: op.type, typeVersion: op.typeVersion, computeNode: op.computeNode, darqNode: op.darqNode,
          logicalDarq: op.id, incarnation: 0, state: "activating",
        }, (inserted) => {
          if (inserted.ok) return finish({ outcome: "done", version: inserted.value.version });
          if (inserted.code !== ErrorCode.catalogConflict) return finish(inserted.reason);
          this.lookup(op, finish, (row) => row.darqNode === op.darqNode && row.computeNode === op.computeNode
            ? { outcome: "done", version: row.version }
            : { outcome: "adopt", computeNode: row.computeNode, darqNode: row.darqNode, version: row.version });
        });
      case "darqHost":
        if (op.parked !== undefined) return this.adoptThenWatch(op, op.parked, finish);
        return actuators.darqWatch(op.darqNode, op.id, op.epoch, (watched) => finish(watched.ok ? { outcome: "done" } : watched.reason));
      case "darqWatch":
        return actuators.darqWatch(op.darqNode, op.id, op.epoch, (watched) => finish(watched.ok ? { outcome: "done" } : watched.reason));
      case "darqPark":
        return actuators.darqPark(op.darqNode, op.id, this.options.parkBytesMax ?? 64 * 1024, (parked) => {
          if (!parked.ok) return finish(parked.reason);
          finish(parked.value === null ? { outcome: "done" } : { outcome: "done", parked: parked.value });
        });
      case "darqDrop":
        if (op.parked === undefined) return finish({ outcome: "done" });
        return actuators.darqRelease(op.darqNode, op.id, (released) => finish(released.ok ? { outcome: "done" } : released.reason));
      case "processorStart":
        return actuators.processorStart(op.computeNode, op.id, op.darqNode, op.epoch, (started) => {
          if (started.ok) return finish({ outcome: "done", incarnation: started.value });
          if (started.code === ErrorCode.nodeDown || started.code === ErrorCode.argumentInvalid) {
            return finish({ outcome: "replace", reason: started.reason });
          }
          finish(started.reason);
        });
      case "processorStop":
        // The primary and whatever else the operation leaves behind (a standby).
        return this.stopAll(op, [op.computeNode, ...op.abandoned.filter((node) => node !== op.computeNode)], finish);
      case "processorStopAbandoned":
        // The new processor fences older ones anyway; stopping them frees their nodes of zombies.
        return this.stopAll(op, op.abandoned.filter((node) => node !== op.computeNode), finish);
      case "catalogActive":
      case "catalogRecovered":
        return this.update(op, { state: "active", incarnation: op.incarnation, computeNode: op.computeNode }, finish,
          (row) => row.state === "active" && row.incarnation === op.incarnation && row.computeNode === op.computeNode);
      case "catalogMoved":
        return this.update(op, { state: "active", incarnation: op.incarnation, computeNode: op.computeNode, darqNode: op.darqNode },
          finish, (row) => row.state === "active" && row.incarnation === op.incarnation && row.computeNode === op.computeNode &&
            row.darqNode === op.darqNode);
      case "darqFence":
        // A cluster that cannot migrate refuses the fence: the migration is dropped, nothing changed.
        return actuators.darqFence(sourceOf(op), op.id, (fenced) => finish(fenced.ok ? { outcome: "done" }
          : fenced.code === ErrorCode.argumentInvalid ? { outcome: "replace", reason: fenced.reason } : fenced.reason));
      case "darqAdopt":
        return actuators.darqMove(sourceOf(op), op.darqNode, op.id, (moved) => finish(moved.ok ? { outcome: "done" } : moved.reason));
      case "darqRelease":
        return actuators.darqRelease(sourceOf(op), op.id, (released) => finish(released.ok ? { outcome: "done" } : released.reason));
      case "standbyStart":
        return actuators.standbyStart(op.computeNode, op.id, op.darqNode, op.epoch, (started) => {
          if (started.ok) return finish({ outcome: "done" });
          if (started.code === ErrorCode.nodeDown || started.code === ErrorCode.argumentInvalid) {
            return finish({ outcome: "replace", reason: started.reason });
          }
          finish(started.reason);
        });
      case "catalogDeactivating":
        return this.update(op, { state: "deactivating" }, finish, (row) => row.state === "deactivating");
      case "catalogDelete":
        return catalog.deactivate(op.id, op.version, (deleted) => {
          if (deleted.ok) return finish({ outcome: "done" });
          if (deleted.code !== ErrorCode.catalogConflict) return finish(deleted.reason);
          catalog.lookup(op.id, (found) => {
            if (!found.ok) return finish(found.reason);
            if (found.value === null) return finish({ outcome: "done" });
            // Our row under a version we did not record (a lost report): delete that version.
            catalog.deactivate(op.id, found.value.version, (again) => finish(again.ok ? { outcome: "done" } : again.reason));
          });
        });
    }
  }

  /** A parked automaton's activation: adopt its state, then host it as darqHost does. */
  private adoptThenWatch(op: Op, parked: LogicalState, finish: (outcome: ActionResult | string) => void): void {
    const { actuators } = this.options;
    actuators.darqAdopt(op.darqNode, parked, (adopted) => {
      if (!adopted.ok) return finish(adopted.reason);
      actuators.darqWatch(op.darqNode, op.id, op.epoch, (watched) => finish(watched.ok ? { outcome: "done" } : watched.reason));
    });
  }

  private stopAll(op: Op, nodes: readonly string[], finish: (outcome: ActionResult | string) => void): void {
    let pending = nodes.length + 1;
    let failure: string | null = null;
    const one = (reason: string | null): void => {
      if (reason !== null) failure = reason;
      if (--pending === 0) finish(failure ?? { outcome: "done" });
    };
    for (const node of nodes) {
      this.options.actuators.processorStop(node, op.id, op.epoch, (stopped) =>
        one(stopped.ok || stopped.code === ErrorCode.nodeDown ? null : stopped.reason));
    }
    one(null);
  }

  /** Compare-and-set; on conflict, success if the row already shows the intended change. */
  private update(
    op: Op, changes: Parameters<CatalogStore["update"]>[2], finish: (outcome: ActionResult | string) => void,
    applied: (row: ActiveAutomatonRow) => boolean,
  ): void {
    this.options.actuators.catalog.update(op.id, op.version, changes, (updated) => {
      if (updated.ok) return finish({ outcome: "done", version: updated.value.version });
      if (updated.code !== ErrorCode.catalogConflict) return finish(updated.reason);
      this.lookup(op, finish, (row) => applied(row)
        ? { outcome: "done", version: row.version }
        : `catalog row of ${op.id} is at version ${row.version} in state ${row.state}; expected version ${op.version}`);
    });
  }

  private lookup(op: Op, finish: (outcome: ActionResult | string) => void,
    decide: (row: ActiveAutomatonRow) => ActionResult | string): void {
    this.options.actuators.catalog.lookup(op.id, (found) => {
      if (!found.ok) return finish(found.reason);
      if (found.value === null) return finish(`catalog has no row for ${op.id} (after a conflict)`);
      finish(decide(found.value));
    });
  }
}

/** The DARQ node a migration moves away from. */
function sourceOf(op: Op): string {
  if (op.darqSource === undefined) throw new RangeError(`operation ${op.kind} of ${op.id} names no source DARQ node`);
  return op.darqSource;
}
