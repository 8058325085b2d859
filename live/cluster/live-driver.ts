// LiveDriver: the world outside a live cluster, as one process joins it (process id "driver" on
// the spec's driverPort, authenticated by the cluster secret): it injects external arrivals with
// exactly-once enqueue (any producer id, numbered by the caller), reads committed state, and hosts
// the external sink that workloads send their outcomes to (every node routes type `sink` here).
//
// The sink ledger is the end-to-end record of effects: every message that left a committed step
// for the sink, accepted exactly once per (sending automaton, pair seq) by the DARQ pair protocol
// (ReplyInbox), plus the raw count of deliveries including the resends the protocol absorbed. A
// test counts effects per business key on top of it (one outcome per trip, per job).

import type { Result } from "../../engine/io/result.ts";
import { ClockNode } from "../../engine/io/node/clock-node.ts";
import type { CatalogStore } from "../../engine/catalog/catalog-store.ts";
import type { AnyAutomatonDefinition } from "../../engine/runtime/automaton.ts";
import { Client } from "../../engine/runtime/client.ts";
import { envelopeEncode } from "../../engine/runtime/codec.ts";
import { EnqueueClient } from "../../engine/runtime/enqueue-client.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import { MetadataRequester } from "../../engine/runtime/metadata-requester.ts";
import { metadataId } from "../../engine/runtime/metadata-types.ts";
import { ExternalSink, type SinkOutput } from "../../engine/runtime/external-sink.ts";
import { RouteCache } from "../../engine/runtime/route-cache.ts";
import { TransportTcp } from "../transport/transport-tcp.ts";
import { catalogClose, catalogOpen } from "./catalog-open.ts";
import { liveExternalTypes } from "./cluster-model.ts";
import { addressBookOf, driverProcess, type ClusterSpec } from "./cluster-spec.ts";
import type { ClusterHandle } from "./launcher.ts";

/** One message that left the system through the sink. */
export type { SinkOutput };

export class LiveDriver {
  readonly sink: ExternalSink;
  readonly client: Client;
  private readonly routes: RouteCache;
  private readonly enqueues: EnqueueClient;
  private readonly requester: MetadataRequester;

  private constructor(
    readonly spec: ClusterSpec,
    readonly clock: ClockNode,
    readonly transport: TransportTcp,
    readonly catalog: CatalogStore,
  ) {
    const metadataAddress = spec.metadataNode;
    const fixed = new Map([[metadataId, metadataAddress]]);
    this.requester = new MetadataRequester(transport, clock, "driver~req",
      new RouteCache({ catalog, clock, activationRequest: () => undefined, fixed }), `driver-activate#${clock.nowUs()}`);
    this.routes = new RouteCache({
      catalog, clock, fixed, fixedTypes: liveExternalTypes,
      activationRequest: (id) => this.requester.request({ type: "activate", id }),
    });
    this.enqueues = new EnqueueClient({
      transport, clock, address: "driver~send", routes: this.routes, retryUsMin: 20_000, retryUsMax: 1_000_000,
      attemptsMax: 1_000_000, inflightMax: 1_000_000,
    });
    this.client = new Client({ transport, clock, address: "driver~client", catalog, metadataAddress, producer: `driver#${clock.nowUs()}` });
    this.sink = new ExternalSink(transport, clock, "sink");
  }

  static async start(handle: Pick<ClusterHandle, "dir" | "spec" | "secret">): Promise<LiveDriver> {
    const { spec } = handle;
    const transport = await TransportTcp.start({
      processId: driverProcess, secret: handle.secret, host: spec.listenHost, port: spec.driverPort, book: addressBookOf(spec, driverProcess),
    });
    const catalog = await catalogOpen(spec, handle.dir);
    return new LiveDriver(spec, new ClockNode(), transport, catalog);
  }

  /** Enqueues `message` to `to` exactly once per (producer, seq); `done` once durable there. */
  enqueue(to: AutomatonId, producer: string, seq: number, message: unknown, done: (result: Result<void>) => void): Result<void> {
    return this.enqueues.enqueue(to, producer, seq, envelopeEncode(to, message), done);
  }

  /**
   * Activates `ids` (those not active yet, through the metadata workflow) and resolves once the
   * catalog routes every one: the live counterpart of the simulated executor's warm-up, so a run's
   * first tasks do not wait for activations one after another (which staggers their starts).
   */
  activate(ids: Iterable<AutomatonId>, timeoutMs = 30_000): Promise<void> {
    const pending = new Set<AutomatonId>(ids);
    if (pending.size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`activation: ${pending.size} automata not routed after ${timeoutMs} ms (first: ${[...pending][0]})`));
      }, timeoutMs);
      for (const id of [...pending]) {
        const waiting = this.routes.resolveThen(id, () => {
          pending.delete(id);
          if (pending.size > 0) return;
          clearTimeout(timer);
          resolve();
        });
        if (!waiting.ok) {
          clearTimeout(timer);
          reject(new Error(`activation of ${id}: ${waiting.reason}`));
          return;
        }
      }
    });
  }

  /** Messages enqueued and not yet durable. */
  get inflight(): number {
    return this.enqueues.inflight;
  }

  /** The committed state of `definition.type/key`. */
  readState(definition: AnyAutomatonDefinition, key: string): Promise<Result<unknown>> {
    return new Promise((resolve) => this.client.readState(definition, key, resolve));
  }

  async close(): Promise<void> {
    this.client.stop();
    this.enqueues.stop();
    this.requester.stop();
    this.routes.stop();
    await this.transport.close();
    await catalogClose(this.catalog);
  }
}
