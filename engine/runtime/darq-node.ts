// DarqNodeRuntime: what runs on a DARQ node besides the PhysicalDarq itself — the route cache the
// DARQ's out-sender resolves targets with, the processor service for remote processors, wake-up
// watchers for dormant automata, and a small producer that sends activation requests to the
// metadata automaton.
//
// Dormant automata (deactivated: no processor, no catalog row) keep their logical DARQ here, with
// their state and dedup tables. A watcher is a registration of that logical DARQ whose input
// handler only asks the metadata workflow to activate the automaton: a message that reaches a
// dormant automaton — over the network from a sender with a cached route, or in-process from a
// co-located one — thus wakes it up. Registering the watcher also fences any processor still
// running, which is what makes deactivation safe against a slow one.
//
// Addresses: the DARQ listens on `address`, the processor service on `address~proc`, the
// activation producer on `address~req` (addressesOf).

import type { Clock } from "../io/clock.ts";
import { ErrorCode } from "../io/errors.ts";
import { err, type Err, ok, type Result } from "../io/result.ts";
import type { LogDevice } from "../io/log-device.ts";
import type { Address, Transport } from "../io/transport.ts";
import type { CatalogStore } from "../catalog/catalog-store.ts";
import { EntryKind, type LogicalState, PhysicalDarq } from "../darq/index.ts";
import type { DarqPort } from "./darq-port.ts";
import { MetadataRequester } from "./metadata-requester.ts";
import { metadataId, type MetadataMessage } from "./metadata-types.ts";
import { ProcessorService } from "./processor-service.ts";
import { RouteCache, type RouteCacheOptions } from "./route-cache.ts";

export type DarqNodeAddresses = { readonly darq: Address; readonly service: Address; readonly requests: Address };

export function addressesOf(address: Address): DarqNodeAddresses {
  return { darq: address, service: `${address}~proc`, requests: `${address}~req` };
}

export type DarqNodeOptions = {
  readonly id: string;
  readonly address: Address;
  readonly device: LogDevice;
  readonly clock: Clock;
  readonly transport: Transport;
  readonly catalog: CatalogStore;
  /** The DARQ address of the metadata automaton (a fixed route). */
  readonly metadataAddress: Address;
  /** Producer id of this node's requests to the metadata automaton; unique per boot. */
  readonly producer: string;
  readonly darqConfig?: Readonly<Record<string, unknown>>;
  readonly routes?: Partial<Omit<RouteCacheOptions, "catalog" | "clock" | "activationRequest" | "fixed">>;
  /** Fixed routes besides the metadata automaton's (external services). */
  readonly fixedRoutes?: ReadonlyMap<string, Address>;
  /** At most one wake-up request per dormant automaton per this period. */
  readonly wakeRetryUs?: number;
};

export type DarqNodeStats = { watches: number; wakeRequests: number };

export class DarqNodeRuntime {
  readonly stats: DarqNodeStats = { watches: 0, wakeRequests: 0 };
  readonly darq: PhysicalDarq;
  readonly routes: RouteCache;
  readonly service: ProcessorService;
  readonly addresses: DarqNodeAddresses;
  private readonly requests: MetadataRequester;
  private readonly wokenAtUs = new Map<string, number>();
  private stopped = false;

  constructor(private readonly options: DarqNodeOptions) {
    this.addresses = addressesOf(options.address);
    const fixed = new Map(options.fixedRoutes ?? []);
    fixed.set(metadataId, options.metadataAddress);
    this.routes = new RouteCache({
      ...options.routes, catalog: options.catalog, clock: options.clock, fixed,
      activationRequest: (id) => this.request({ type: "activate", id }),
    });
    this.darq = PhysicalDarq.open({
      device: options.device, clock: options.clock, transport: options.transport, router: this.routes,
      address: this.addresses.darq, ...(options.darqConfig === undefined ? {} : { config: options.darqConfig }),
    });
    this.service = new ProcessorService(this.darq, options.transport, options.clock, this.addresses.service, options.producer);
    // Compute nodes may hold sessions with this node's previous boot: tell them it restarted.
    options.catalog.nodeList({ kind: "compute" }, (nodes) => {
      if (nodes.ok && !this.stopped) this.service.announce(nodes.value.map((node) => node.address));
    });
    this.requests = new MetadataRequester(options.transport, options.clock, this.addresses.requests, this.routes,
      options.producer);
  }

  get id(): string {
    return this.options.id;
  }

  /**
   * Hosts `id` if needed and registers a watcher for it; done once durable. A watcher that finds
   * or later receives an input asks the metadata workflow to activate the automaton.
   */
  watch(id: string, epoch: number, done: (result: Result<void>) => void): void {
    if (this.stopped) return done(err(ErrorCode.nodeDown, `DARQ node ${this.options.id} is down`));
    if (!this.service.admit(id, epoch, () => undefined)) {
      return done(err(ErrorCode.stepStaleIncarnation, `watcher of '${id}' at epoch ${epoch} is older than a registration already admitted`));
    }
    const hosted = this.darq.host(id);
    if (!hosted.ok) return done(hosted);
    this.wokenAtUs.delete(id); // a new dormant period: a wake-up of the last one must not mute this one's
    const registered = this.darq.register(id, () => this.wake(id), (failure) => {
      if (failure !== null) return done(failure);
      const entries = this.darq.readUnconsumed(id);
      if (entries.ok && entries.value.some((entry) => entry.kind === EntryKind.in)) this.wake(id);
      done(ok(undefined));
    });
    if (!registered.ok) return done(registered);
    this.stats.watches++;
  }

  /**
   * The DarqPort of a co-located processor started by the metadata operation `epoch`: the
   * PhysicalDarq itself, except that a registration older than one already admitted is refused,
   * and `onFenced` is called when a newer registration replaces this one.
   */
  localPort(epoch: number, onFenced: () => void): DarqPort {
    const darq = this.darq;
    const service = this.service;
    return {
      host: (id) => darq.host(id),
      register: (id, onInput, done) => service.admit(id, epoch, onFenced) ? darq.register(id, onInput, done)
        : err(ErrorCode.stepStaleIncarnation, `registration of '${id}' at epoch ${epoch} is older than one already admitted`),
      readUnconsumed: (id) => darq.readUnconsumed(id),
      submitStep: (step, done) => darq.submitStep(step, done),
      get lsnDurable() {
        return darq.lsnDurable;
      },
    };
  }

  // ---- migration (DESIGN §3 property 10; the workflow is the metadata automaton's "migrate") ----

  /** Fences logical DARQ `id` here; ok once the fence is durable (again ok if fenced before). */
  migrationFence(id: string, done: (result: Result<void>) => void): void {
    if (this.stopped) return done(err(ErrorCode.nodeDown, `DARQ node ${this.options.id} is down`));
    const fenced = this.darq.migration.fence(id, (failure) => done(failure === null ? ok(undefined) : failure));
    if (!fenced.ok) done(fenced);
  }

  /** The fenced logical DARQ `id` as plain data; logicalDarqUnknown once it is released. */
  migrationExport(id: string): Result<LogicalState> {
    if (this.stopped) return err(ErrorCode.nodeDown, `DARQ node ${this.options.id} is down`);
    return this.darq.migration.exportState(id);
  }

  /** Hosts exported state here as one ADOPT record (or waits for the earlier one to be durable). */
  migrationAdopt(state: LogicalState, done: (result: Result<void>) => void): void {
    if (this.stopped) return done(err(ErrorCode.nodeDown, `DARQ node ${this.options.id} is down`));
    const whenDurable = (failure: Err | null): void => done(failure === null ? ok(undefined) : failure);
    const adopted = this.darq.hosts(state.name) ? this.darq.migration.barrier(whenDurable) : this.darq.migration.adopt(state, whenDurable);
    if (!adopted.ok) done(adopted);
  }

  /**
   * Deactivation's park: when dormant `id` has nothing unconsumed and its state is small, fences
   * and exports it (ok(state): the metadata automaton keeps it, and the DARQ is dropped next);
   * otherwise ok(null) and it stays here, watched. Once fenced, it is exported whatever arrived.
   */
  migrationPark(id: string, bytesMax: number, done: (result: Result<LogicalState | null>) => void): void {
    if (this.stopped) return done(err(ErrorCode.nodeDown, `DARQ node ${this.options.id} is down`));
    const exported = this.darq.migration.exportState(id);
    if (exported.ok) return done(exported);
    const quiescent = this.darq.migration.quiescent(id, bytesMax);
    if (!quiescent.ok) return done(quiescent);
    if (!quiescent.value) return done(ok(null));
    this.migrationFence(id, (fenced) => done(fenced.ok ? this.darq.migration.exportState(id) : fenced));
  }

  /** Drops the fenced logical DARQ `id` here; ok once durable, also when it is gone already. */
  migrationRelease(id: string, done: (result: Result<void>) => void): void {
    if (this.stopped) return done(err(ErrorCode.nodeDown, `DARQ node ${this.options.id} is down`));
    const released = this.darq.migration.release(id, (failure) => done(failure === null ? ok(undefined) : failure));
    if (!released.ok) return done(released);
    this.service.release(id);
  }

  /** Sends a message to the metadata automaton, exactly once per (this node's producer, seq). */
  request(message: MetadataMessage): void {
    if (!this.stopped) this.requests.request(message);
  }

  /** Crash or shutdown: the DARQ, its service and its producer stop; nothing more runs. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.darq.stop();
    this.service.stop();
    this.requests.stop();
    this.routes.stop();
  }

  private wake(id: string): void {
    const nowUs = this.options.clock.nowUs();
    const lastUs = this.wokenAtUs.get(id);
    if (lastUs !== undefined && nowUs - lastUs < (this.options.wakeRetryUs ?? 50_000)) return;
    if (this.wokenAtUs.size > 100_000) this.wokenAtUs.clear();
    this.wokenAtUs.set(id, nowUs);
    this.stats.wakeRequests++;
    this.request({ type: "activate", id });
  }
}
