// External services of a simulated cluster: a service behind a transactional outbox (its Outbox is
// the caller's: SQLite in memory, say) is registered in the catalog as an active automaton on a
// DARQ node and served by an OutboxEndpoint there, so automata reach it through ordinary routing
// (paper §3.2: "the rest of the system is able to communicate with them as if they are other
// automata"). SSMS does not manage it: the metadata workflow never activates, moves or recovers
// it; the cluster restarts its endpoint with its DARQ node, as the service's own operator would.
//
// Fault model: the service's database never fails here (its outbox may, if the caller's does); its
// endpoint dies and restarts with its DARQ node.

import type { Clock } from "../../engine/io/clock.ts";
import type { Transport } from "../../engine/io/transport.ts";
import type { CatalogStore } from "../../engine/catalog/catalog-store.ts";
import type { DarqNodeRuntime } from "../../engine/runtime/darq-node.ts";
import { EnqueueClient } from "../../engine/runtime/enqueue-client.ts";
import { automatonIdCheck, type AutomatonId } from "../../engine/runtime/ids.ts";
import { OutboxEndpoint } from "../../engine/runtime/outbox-endpoint.ts";
import type { Outbox } from "../../engine/runtime/outbox/outbox.ts";
import type { Topology } from "../network/topology.ts";

type Service = {
  readonly id: AutomatonId;
  readonly darqNode: string;
  readonly outbox: Outbox;
  endpoint: OutboxEndpoint | null;
  enqueues: EnqueueClient | null;
};

export type ClusterServicesHooks = {
  readonly clock: Clock;
  readonly transport: Transport;
  readonly catalog: CatalogStore;
  readonly topology: Topology;
  readonly darqNode: (name: string) => DarqNodeRuntime | null;
};

export class ClusterServices {
  private readonly services = new Map<string, Service>();

  constructor(private readonly hooks: ClusterServicesHooks) {}

  /** Registers service `id` (a `type/key`) on `darqNode` and starts its endpoint there. */
  add(id: string, darqNode: string, outbox: Outbox, done: (failure: string | null) => void): void {
    const checked = automatonIdCheck(id);
    if (!checked.ok) return done(checked.reason);
    const { catalog } = this.hooks;
    const node = `external:${checked.value.type}`;
    const service: Service = { id: id as AutomatonId, darqNode, outbox, endpoint: null, enqueues: null };
    this.services.set(id, service);
    this.hooks.topology.addressPlace(this.address(service), darqNode, darqNode);
    // The service's pseudo compute node: nothing listens there (it runs no processors).
    this.hooks.topology.addressPlace(node, darqNode, darqNode);
    catalog.typeRegister({ type: checked.value.type, version: 1, module: "outbox" }, (type) => {
      if (!type.ok) return done(type.reason);
      catalog.nodeUpsert({
        id: node, kind: "compute", pool: "external", zone: "external", cores: 0, memoryMiB: 0, address: node,
        loadFraction: 0, state: "up",
      }, (upserted) => {
        if (!upserted.ok) return done(upserted.reason);
        catalog.activate({
          id, type: checked.value.type, typeVersion: 1, computeNode: node, darqNode, logicalDarq: id, incarnation: 0, state: "active",
        }, (activated) => {
          if (!activated.ok) return done(activated.reason);
          this.start(service);
          done(null);
        });
      });
    });
  }

  /** Ids of the registered services (their catalog rows are not the metadata workflow's). */
  ids(): string[] {
    return [...this.services.keys()].sort();
  }

  endpoint(id: string): OutboxEndpoint | null {
    return this.services.get(id)?.endpoint ?? null;
  }

  /** The DARQ node `darqNode` crashed: its services' endpoints died with it. */
  down(darqNode: string): void {
    for (const service of this.services.values()) {
      if (service.darqNode !== darqNode) continue;
      service.endpoint?.stop();
      service.enqueues?.stop();
      service.endpoint = null;
      service.enqueues = null;
    }
  }

  /** The DARQ node `darqNode` restarted: start its services' endpoints again. */
  up(darqNode: string): void {
    for (const service of this.services.values()) if (service.darqNode === darqNode) this.start(service);
  }

  private address(service: Service): string {
    return `${service.darqNode}~svc:${service.id}`;
  }

  private start(service: Service): void {
    const runtime = this.hooks.darqNode(service.darqNode);
    if (runtime === null || service.endpoint !== null) return;
    const { clock, transport } = this.hooks;
    service.enqueues = new EnqueueClient({ transport, clock, address: this.address(service), routes: runtime.routes });
    service.endpoint = new OutboxEndpoint({
      id: service.id, darq: runtime.darq, outbox: service.outbox, clock, enqueues: service.enqueues,
    });
    service.endpoint.start();
  }
}
