// The metadata executor's actuators in the simulated cluster: calls on node runtimes, delayed by
// a modelled RPC (one-way latency there and back, the profile's median for how far apart the
// metadata node and the target are). A call to a node that is down answers nodeDown after the
// round trip, as a connection refused would; a node that crashes while a call is in flight never
// answers, and the executor's action timeout retries.

import type { Clock } from "../../engine/io/clock.ts";
import { ErrorCode } from "../../engine/io/errors.ts";
import { err, type Result } from "../../engine/io/result.ts";
import type { CatalogStore } from "../../engine/catalog/catalog-store.ts";
import type { LogicalState } from "../../engine/darq/index.ts";
import type { ComputeNodeRuntime } from "../../engine/runtime/compute-node.ts";
import type { DarqNodeRuntime } from "../../engine/runtime/darq-node.ts";
import type { MetadataActuators } from "../../engine/runtime/metadata-executor.ts";

export type ClusterActuatorHooks = {
  readonly clock: Clock;
  readonly catalog: CatalogStore;
  readonly darqNode: (name: string) => DarqNodeRuntime | null;
  readonly computeNode: (name: string) => ComputeNodeRuntime | null;
  /** One-way latency of a control call from the metadata worker to `node`, µs. */
  readonly oneWayUs: (node: string) => number;
};

export class ClusterActuators implements MetadataActuators {
  readonly catalog: CatalogStore;
  calls = 0;

  constructor(private readonly hooks: ClusterActuatorHooks) {
    this.catalog = hooks.catalog;
  }

  darqWatch(node: string, id: string, epoch: number, done: (result: Result<void>) => void): void {
    this.call(node, done, () => {
      const runtime = this.hooks.darqNode(node);
      if (runtime === null) return this.back(node, done, down(node));
      runtime.watch(id, epoch, (result) => this.back(node, done, result));
    });
  }

  processorStart(node: string, id: string, darqNode: string, epoch: number, done: (result: Result<number>) => void): void {
    this.call(node, done, () => {
      const runtime = this.hooks.computeNode(node);
      if (runtime === null) return this.back(node, done, down(node));
      runtime.processorStart(id, darqNode, epoch, (result) => this.back(node, done, result));
    });
  }

  processorStop(node: string, id: string, epoch: number, done: (result: Result<void>) => void): void {
    this.call(node, done, () => {
      const runtime = this.hooks.computeNode(node);
      if (runtime === null) return this.back(node, done, down(node));
      runtime.processorStop(id, epoch, (result) => this.back(node, done, result));
    });
  }

  darqFence(node: string, id: string, done: (result: Result<void>) => void): void {
    this.call(node, done, () => {
      const runtime = this.hooks.darqNode(node);
      if (runtime === null) return this.back(node, done, down(node));
      runtime.migrationFence(id, (result) => this.back(node, done, result));
    });
  }

  /** Export at the source, carry the state to the target (one more hop), adopt it there. */
  darqMove(source: string, target: string, id: string, done: (result: Result<void>) => void): void {
    this.call(source, done, () => {
      const from = this.hooks.darqNode(source);
      if (from === null) return this.back(source, done, down(source));
      const exported = from.migrationExport(id);
      // Released already (a resumed workflow): the target has it, if the adopt was ever durable.
      const released = !exported.ok && exported.code === ErrorCode.logicalDarqUnknown;
      if (!exported.ok && !released) return this.back(source, done, exported);
      this.hooks.clock.timerStart(this.hooks.oneWayUs(target), () => {
        const to = this.hooks.darqNode(target);
        if (to === null) return this.back(target, done, down(target));
        if (exported.ok) return to.migrationAdopt(exported.value, (result) => this.back(target, done, result));
        this.back(target, done, to.darq.hosts(id) ? { ok: true, value: undefined }
          : err(ErrorCode.logicalDarqUnknown, `logical DARQ ${id} is on neither ${source} nor ${target}`));
      });
    });
  }

  darqRelease(node: string, id: string, done: (result: Result<void>) => void): void {
    this.call(node, done, () => {
      const runtime = this.hooks.darqNode(node);
      if (runtime === null) return this.back(node, done, down(node));
      runtime.migrationRelease(id, (result) => this.back(node, done, result));
    });
  }

  darqPark(node: string, id: string, bytesMax: number, done: (result: Result<LogicalState | null>) => void): void {
    this.call(node, done, () => {
      const runtime = this.hooks.darqNode(node);
      if (runtime === null) return this.back(node, done, down(node));
      runtime.migrationPark(id, bytesMax, (result) => this.back(node, done, result));
    });
  }

  darqAdopt(node: string, state: LogicalState, done: (result: Result<void>) => void): void {
    this.call(node, done, () => {
      const runtime = this.hooks.darqNode(node);
      if (runtime === null) return this.back(node, done, down(node));
      runtime.migrationAdopt(state, (result) => this.back(node, done, result));
    });
  }

  standbyStart(node: string, id: string, darqNode: string, epoch: number, done: (result: Result<void>) => void): void {
    this.call(node, done, () => {
      const runtime = this.hooks.computeNode(node);
      if (runtime === null) return this.back(node, done, down(node));
      runtime.standbyStart(id, darqNode, epoch, (result) => this.back(node, done, result));
    });
  }

  private call<T>(node: string, _done: (result: Result<T>) => void, there: () => void): void {
    this.calls++;
    this.hooks.clock.timerStart(this.hooks.oneWayUs(node), there);
  }

  private back<T>(node: string, done: (result: Result<T>) => void, result: Result<T>): void {
    this.hooks.clock.timerStart(this.hooks.oneWayUs(node), () => done(result));
  }
}

function down(node: string): Result<never> {
  return err(ErrorCode.nodeDown, `node ${node} is down`);
}
