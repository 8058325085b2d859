// Helpers and fixtures for the CatalogStore contract tests (catalog-store.contract.ts): the
// environment a harness opens, a promise wrapper for callback operations, and the rows the cases
// share.

import type { ExecutionContext } from "ava";
import type { ErrorCode } from "../io/errors.ts";
import type { Result } from "../io/result.ts";
import type { AutomatonActivation, NodeRow } from "./catalog-rows.ts";
import type { CatalogStore, Done } from "./catalog-store.ts";

export type CatalogEnv = {
  readonly store: CatalogStore;
  /** A second handle on the same catalog (may be `store` itself for the memory store). */
  readonly second: CatalogStore;
  /** Lets pending operations complete (fires modelled-latency timers); no-op for real stores. */
  readonly drive: () => void;
  readonly close: () => Promise<void>;
};

export type CatalogHarness = { readonly name: string; readonly open: () => Promise<CatalogEnv> };

/** A store's operations as promises: each issues the call, drives modelled time, and resolves. */
export type Promised<S> = {
  [K in keyof S]: S[K] extends (...args: [...infer A, Done<infer T>]) => void ? (...args: A) => Promise<Result<T>> : never;
};

export function promised(env: CatalogEnv, store: CatalogStore = env.store): Promised<CatalogStore> {
  return new Proxy({} as Promised<CatalogStore>, {
    get: (_, name) => (...args: unknown[]) => new Promise((resolve) => {
      (store as unknown as Record<string | symbol, (...a: unknown[]) => void>)[name]?.(...args, resolve);
      env.drive();
    }),
  });
}

export function must<T>(t: ExecutionContext, result: Result<T>): T {
  if (result.ok) return result.value;
  const why = `expected ok, got ${result.code}: ${result.reason}`;
  t.fail(why);
  throw new Error(why);
}

export function refused(t: ExecutionContext, result: Result<unknown>, code: ErrorCode, mention: string): void {
  t.false(result.ok, "operation must fail");
  if (result.ok) return;
  t.is(result.code, code, result.reason);
  t.true(result.reason.includes(mention), `reason "${result.reason}" names ${mention}`);
}

export function nodeFixture(id: string, kind: NodeRow["kind"], pool: string): NodeRow {
  return { id, kind, pool, zone: "zone-1", cores: 8, memoryMiB: 32_768, address: `addr-${id}`, loadFraction: 0, state: "up" };
}

export function activationFixture(key: string, darqNode = "d1", logicalDarq = "1"): AutomatonActivation {
  return { id: `pi/${key}`, type: "pi", typeVersion: 1, computeNode: "c1", darqNode, logicalDarq, incarnation: 0, state: "active" };
}

/** Registers type pi v1, compute nodes c1 and c2, DARQ nodes d1 and d2. */
export async function seed(t: ExecutionContext, env: CatalogEnv): Promise<void> {
  const s = promised(env);
  must(t, await s.typeRegister({ type: "pi", version: 1, module: "workloads/pi.ts" }));
  for (const node of [nodeFixture("c1", "compute", "vm:D8s_v3"), nodeFixture("c2", "compute", "serverless"),
    nodeFixture("d1", "darq", "darq:hot-replicated"), nodeFixture("d2", "darq", "darq:ssd")]) {
    must(t, await s.nodeUpsert(node));
  }
}
