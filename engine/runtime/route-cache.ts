// RouteCache: where an automaton's logical DARQ lives, as far as one DARQ node (or one client)
// knows — the paper's cached id → address map with its lazy invalidation protocol (§3.3):
//
//   resolve(id)     cached address, or undefined after starting a catalog lookup (the DARQ's
//                   out-sender simply retries later; a client queues with `resolveThen`)
//   invalidate(id)  a DARQ answered "not here": forget the entry; the next resolve asks again
//   lookup miss     the catalog has no row: the automaton is not active, so ask the metadata
//                   workflow to activate it (virtual automata: activated on first message) and
//                   look again after a backoff while someone waits
//
// The catalog row's `version` is the automaton's routing epoch: a migration flips the row, the
// old DARQ answers notHere, and the sender's next lookup finds the new home. Logical DARQ names
// equal automaton ids, so the only thing to find is the DARQ node's transport address, which is
// the catalog's node row (cached separately: nodes rarely change address).
//
// Clients receive replies at addresses named in their reply ids (`ssms.client/<address>/<n>`),
// which resolve without the catalog. Everything is bounded: cached entries (oldest evicted),
// waiters, and the rate of activation requests per id.

import type { Clock, TimerId } from "../io/clock.ts";
import { coverageMark } from "../io/coverage.ts";
import { ErrorCode } from "../io/errors.ts";
import { err, ok, type Result } from "../io/result.ts";
import type { Address } from "../io/transport.ts";
import type { CatalogStore } from "../catalog/catalog-store.ts";
import type { DarqRouter } from "../darq/index.ts";

/** The type of reply ids: `ssms.client/<client address>/<request number>`. */
export const clientReplyType = "ssms.client";
const clientReplyPrefix = `${clientReplyType}/`;

export type RouteCacheOptions = {
  readonly catalog: CatalogStore;
  readonly clock: Clock;
  /** Asks the metadata workflow to activate `id` (the catalog has no row for it). */
  readonly activationRequest: (id: string) => void;
  /** Routes that never go through the catalog (the metadata automaton, external services). */
  readonly fixed?: ReadonlyMap<string, Address>;
  /** Whole automaton types served at one fixed address (an external sink, a service). */
  readonly fixedTypes?: ReadonlyMap<string, Address>;
  readonly entriesMax?: number;
  readonly waitersMax?: number;
  /** Backoff of repeated lookups while someone waits; doubles up to the max. */
  readonly lookupRetryUsMin?: number;
  readonly lookupRetryUsMax?: number;
  /** At most one activation request per id per this period. */
  readonly activationRetryUs?: number;
};

export type RouteCacheStats = {
  hits: number; misses: number; lookups: number; invalidations: number; activationRequests: number; evictions: number;
};

type Waiter = (address: Address) => void;

/** The address inside a client reply id, or undefined for any other id. */
export function clientReplyAddress(id: string): Address | undefined {
  if (!id.startsWith(clientReplyPrefix)) return undefined;
  const key = id.slice(clientReplyPrefix.length);
  const slash = key.lastIndexOf("/");
  const address = slash < 0 ? key : key.slice(0, slash);
  return address.length === 0 ? undefined : address;
}

export class RouteCache implements DarqRouter {
  readonly stats: RouteCacheStats = { hits: 0, misses: 0, lookups: 0, invalidations: 0, activationRequests: 0, evictions: 0 };
  private readonly routes = new Map<string, Address>();
  private readonly nodeAddresses = new Map<string, Address>();
  private readonly inflight = new Set<string>();
  private readonly waiters = new Map<string, Waiter[]>();
  private waiterCount = 0;
  private readonly retryTimers = new Map<string, { timer: TimerId; attempts: number }>();
  private readonly activationAtUs = new Map<string, number>();
  private readonly entriesMax: number;
  private readonly waitersMax: number;
  private stopped = false;

  constructor(private readonly options: RouteCacheOptions) {
    this.entriesMax = options.entriesMax ?? 100_000;
    this.waitersMax = options.waitersMax ?? 100_000;
  }

  resolve(target: string): Address | undefined {
    const fixed = this.options.fixed?.get(target) ?? clientReplyAddress(target) ?? this.fixedTypeAddress(target);
    if (fixed !== undefined) return fixed;
    const cached = this.routes.get(target);
    if (cached !== undefined) {
      this.stats.hits++;
      return cached;
    }
    this.stats.misses++;
    this.lookup(target);
    // A synchronous catalog (SQLite, memory without latency) has answered already.
    return this.routes.get(target);
  }

  invalidate(target: string): void {
    if (!this.routes.delete(target)) return;
    this.stats.invalidations++;
    coverageMark("runtime.routeCache.staleRoute");
  }

  /**
   * Calls `callback` with the address of `target` once it is known: at once (inside this call)
   * when cached, else after the catalog lookup and any activation. Fails when too many wait.
   */
  resolveThen(target: string, callback: Waiter): Result<void> {
    const address = this.resolve(target);
    if (address !== undefined) {
      callback(address);
      return ok(undefined);
    }
    if (this.waiterCount >= this.waitersMax) {
      return err(ErrorCode.limitExceeded,
        `route cache: ${this.waiterCount} senders already wait for routes (waitersMax); cannot route to '${target}' now`);
    }
    let list = this.waiters.get(target);
    if (list === undefined) {
      list = [];
      this.waiters.set(target, list);
    }
    list.push(callback);
    this.waiterCount++;
    // A synchronous catalog (SQLite) answered inside resolve(), before this waiter existed, so
    // no retry was scheduled for it then: schedule one now.
    if (!this.inflight.has(target)) this.retryLater(target);
    return ok(undefined);
  }

  private fixedTypeAddress(target: string): Address | undefined {
    const types = this.options.fixedTypes;
    if (types === undefined || types.size === 0) return undefined;
    const slash = target.indexOf("/");
    return slash < 0 ? undefined : types.get(target.slice(0, slash));
  }

  /** Cached entries (for tests and the monitor). */
  get size(): number {
    return this.routes.size;
  }

  /** Cancels retry timers and drops waiters: the owner is going away. */
  stop(): void {
    this.stopped = true;
    for (const retry of this.retryTimers.values()) this.options.clock.timerCancel(retry.timer);
    this.retryTimers.clear();
    this.waiters.clear();
    this.waiterCount = 0;
  }

  private lookup(target: string): void {
    if (this.inflight.has(target) || this.stopped) return;
    this.inflight.add(target);
    this.stats.lookups++;
    this.options.catalog.lookup(target, (found) => {
      this.inflight.delete(target);
      if (this.stopped) return;
      if (!found.ok) return this.retryLater(target);
      const row = found.value;
      if (row === null) {
        this.activationMaybe(target);
        return this.retryLater(target);
      }
      this.nodeAddress(row.darqNode, (address) => {
        if (address === undefined) return this.retryLater(target);
        this.learn(target, address);
      });
    });
  }

  private nodeAddress(nodeId: string, callback: (address: Address | undefined) => void): void {
    const known = this.nodeAddresses.get(nodeId);
    if (known !== undefined) return callback(known);
    this.options.catalog.nodeGet(nodeId, (found) => {
      if (!found.ok || found.value === null) return callback(undefined);
      this.nodeAddresses.set(nodeId, found.value.address);
      callback(found.value.address);
    });
  }

  private learn(target: string, address: Address): void {
    if (!this.routes.has(target) && this.routes.size >= this.entriesMax) {
      const oldest = this.routes.keys().next().value;
      if (oldest !== undefined) this.routes.delete(oldest);
      this.stats.evictions++;
    }
    this.routes.set(target, address);
    this.activationAtUs.delete(target);
    const retry = this.retryTimers.get(target);
    if (retry !== undefined) {
      this.options.clock.timerCancel(retry.timer);
      this.retryTimers.delete(target);
    }
    const list = this.waiters.get(target);
    if (list === undefined) return;
    this.waiters.delete(target);
    this.waiterCount -= list.length;
    for (const waiter of list) waiter(address);
  }

  private activationMaybe(target: string): void {
    const nowUs = this.options.clock.nowUs();
    const lastUs = this.activationAtUs.get(target);
    if (lastUs !== undefined && nowUs - lastUs < (this.options.activationRetryUs ?? 50_000)) return;
    if (lastUs === undefined && this.activationAtUs.size >= this.entriesMax) this.activationAtUs.clear();
    this.activationAtUs.set(target, nowUs);
    this.stats.activationRequests++;
    this.options.activationRequest(target);
  }

  /** Looks again after a backoff, but only while someone waits for this route. */
  private retryLater(target: string): void {
    if (!this.waiters.has(target) || this.retryTimers.has(target) && this.retryTimers.get(target)!.timer !== -1) return;
    const attempts = (this.retryTimers.get(target)?.attempts ?? 0) + 1;
    const minUs = this.options.lookupRetryUsMin ?? 2_000;
    const maxUs = this.options.lookupRetryUsMax ?? 200_000;
    const delayUs = Math.min(maxUs, minUs * 2 ** Math.min(attempts - 1, 20));
    const entry = { timer: -1 as TimerId, attempts };
    this.retryTimers.set(target, entry);
    entry.timer = this.options.clock.timerStart(delayUs, () => {
      entry.timer = -1;
      if (this.waiters.has(target)) this.lookup(target);
      else this.retryTimers.delete(target);
    });
  }
}
