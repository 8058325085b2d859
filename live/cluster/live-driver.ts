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
import type { ActiveAutomatonRow, CatalogStore } from "../../engine/catalog/catalog-store.ts";
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

/** How often activate looks at the catalog for rows still activating. */
const activePollMs = 5;

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
   * Activates `ids` (those not active yet, through the metadata workflow) and resolves once every
   * one is `active` in the catalog, its processor started: the live counterpart of the simulated
   * executor's warm-up, which waits for the activations to finish. Waiting for routes alone is not
   * enough: the row exists (and routes) from the activation's first action, and a message sent
   * then waits for the processor to start, which staggers the first tasks of a run by the time the
   * processor starts take one after another.
   */
  async activate(ids: Iterable<AutomatonId>, timeoutMs = 30_000): Promise<void> {
    let waiting = [...new Set(ids)];
    if (waiting.length === 0) return;
    const deadlineUs = this.clock.nowUs() + timeoutMs * 1000;
    await this.routed(waiting, timeoutMs);
    for (;;) {
      const rows = await Promise.all(waiting.map((id) => this.lookup(id)));
      waiting = waiting.filter((_id, at) => rows[at]?.state !== "active");
      if (waiting.length === 0) return;
      if (this.clock.nowUs() > deadlineUs) {
        throw new Error(`activation: ${waiting.length} automata not active after ${timeoutMs} ms (first: ${waiting[0]}, state ${rows.find((row) => row?.id === waiting[0])?.state ?? "none"})`);
      }
      await new Promise((resolve) => setTimeout(resolve, activePollMs));
    }
  }

  /** Resolves once the catalog routes every one of `ids` (asking the metadata workflow to activate them). */
  private routed(ids: readonly AutomatonId[], timeoutMs: number): Promise<void> {
    const pending = new Set<AutomatonId>(ids);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`activation: ${pending.size} automata not routed after ${timeoutMs} ms (first: ${[...pending][0]})`));
      }, timeoutMs);
      for (const id of ids) {
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

  private lookup(id: AutomatonId): Promise<ActiveAutomatonRow | null> {
    return new Promise((resolve, reject) => this.catalog.lookup(id, (result) => (result.ok ? resolve(result.value) : reject(new Error(`activation: catalog lookup of ${id}: ${result.reason}`)))));
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
