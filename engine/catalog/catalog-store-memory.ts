// CatalogStoreMemory: the catalog in memory, for the simulator and for tests, optionally with the
// modelled latency of a cloud SQL store.
//
// Model: the paper keeps the catalog in "reliable cloud data stores (e.g., a cloud-native SQL
// database)". One catalog operation is one round trip to such a store: a same-zone network round
// trip (55–85 µs measured VM-to-VM, cloud-pricing.json "Measured VM-to-VM RTT, same zone"), the
// SQL engine's work, and for writes a durable commit on managed SSD (0.4–3 ms measured for Azure
// Premium SSD v1/v2, cloud-pricing.json latency entries). That is "a few milliseconds" per
// operation; `catalogLatencyUsCloudSql` draws from 1–4 ms, uniform. No entry in the pricing data
// measures a managed SQL service directly, so this range is an estimate; pass your own
// `latencyUs` to study a slower or faster catalog.
//
// With a clock, an operation takes effect and its callback fires together, `latencyUs(random)`
// after the call (via clock.timerStart), so concurrent operations are ordered by when their
// round trips complete, as they would be at a real server. Without a clock, everything is
// synchronous. `unavailableSet(true)` models an outage: operations then fail with
// catalogUnavailable (after the latency, like a timeout would) and change nothing.

import { assert } from "../io/assert.ts";
import type { Clock } from "../io/clock.ts";
import { ErrorCode } from "../io/errors.ts";
import type { Random } from "../io/random.ts";
import { err, type Result } from "../io/result.ts";
import type {
  ActiveAutomatonRow, AutomatonActivation, AutomatonChanges, AutomatonTypeRow, NodeFilter, NodeRow,
} from "./catalog-rows.ts";
import type { CatalogStore, Done } from "./catalog-store.ts";
import { CatalogTablesMemory } from "./catalog-tables-memory.ts";

export type CatalogLatencyModel = {
  readonly clock: Clock;
  /** Latency of one operation in integer microseconds, drawn from `random`. */
  readonly latencyUs: (random: Random) => number;
  readonly random: Random;
};

/** Round trip to a cloud SQL store in the same zone, commit included: 1–4 ms (see file header). */
export function catalogLatencyUsCloudSql(random: Random): number {
  return random.intRange(1_000, 4_000);
}

export class CatalogStoreMemory implements CatalogStore {
  private readonly tables = new CatalogTablesMemory();
  private unavailable = false;
  private closed = false;
  /** Operations whose callbacks have not fired yet (for tests and the simulator's quiescence). */
  pendingCount = 0;

  constructor(private readonly latency?: CatalogLatencyModel) {}

  /** Starts or ends a modelled outage of the catalog service. */
  unavailableSet(unavailable: boolean): void {
    this.unavailable = unavailable;
  }

  typeRegister(row: AutomatonTypeRow, done: Done<AutomatonTypeRow>): void {
    this.run(() => this.tables.typeRegister(row), done);
  }

  typeGet(type: string, version: number | "latest", done: Done<AutomatonTypeRow | null>): void {
    this.run(() => this.tables.typeGet(type, version), done);
  }

  typeList(done: Done<readonly AutomatonTypeRow[]>): void {
    this.run(() => this.tables.typeList(), done);
  }

  nodeUpsert(row: NodeRow, done: Done<NodeRow>): void {
    this.run(() => this.tables.nodeUpsert(row), done);
  }

  nodeRemove(id: string, done: Done<boolean>): void {
    this.run(() => this.tables.nodeRemove(id), done);
  }

  nodeGet(id: string, done: Done<NodeRow | null>): void {
    this.run(() => this.tables.nodeGet(id), done);
  }

  nodeList(filter: NodeFilter, done: Done<readonly NodeRow[]>): void {
    this.run(() => this.tables.nodeList(filter), done);
  }

  nodeLoadUpdate(id: string, loadFraction: number, done: Done<NodeRow>): void {
    this.run(() => this.tables.nodeLoadUpdate(id, loadFraction), done);
  }

  activate(row: AutomatonActivation, done: Done<ActiveAutomatonRow>): void {
    this.run(() => this.tables.activate(row), done);
  }

  lookup(id: string, done: Done<ActiveAutomatonRow | null>): void {
    this.run(() => this.tables.lookup(id), done);
  }

  update(id: string, expectedVersion: number, changes: AutomatonChanges, done: Done<ActiveAutomatonRow>): void {
    this.run(() => this.tables.update(id, expectedVersion, changes), done);
  }

  deactivate(id: string, expectedVersion: number, done: Done<ActiveAutomatonRow>): void {
    this.run(() => this.tables.deactivate(id, expectedVersion), done);
  }

  listByComputeNode(nodeId: string, done: Done<readonly ActiveAutomatonRow[]>): void {
    this.run(() => this.tables.listByComputeNode(nodeId), done);
  }

  listByDarqNode(nodeId: string, done: Done<readonly ActiveAutomatonRow[]>): void {
    this.run(() => this.tables.listByDarqNode(nodeId), done);
  }

  count(done: Done<number>): void {
    this.run(() => this.tables.count(), done);
  }

  close(done: Done<void>): void {
    this.closed = true;
    done({ ok: true, value: undefined });
  }

  /** Executes `operation` now (no latency model) or when its modelled round trip completes. */
  private run<T>(operation: () => Result<T>, done: Done<T>): void {
    assert(!this.closed, "catalog store used after close");
    const latency = this.latency;
    if (latency === undefined) {
      done(this.unavailable ? this.outage() : operation());
      return;
    }
    const delayUs = latency.latencyUs(latency.random);
    assert(Number.isSafeInteger(delayUs) && delayUs >= 0, `catalog latency must be an integer ≥ 0 µs, got ${delayUs}`);
    this.pendingCount += 1;
    latency.clock.timerStart(delayUs, () => {
      this.pendingCount -= 1;
      done(this.unavailable ? this.outage() : operation());
    });
  }

  private outage(): Result<never> {
    return err(ErrorCode.catalogUnavailable, "catalog store (memory, modelled) is in an outage; retry later");
  }
}
