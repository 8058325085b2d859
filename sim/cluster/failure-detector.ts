// FailureDetector: tells the metadata automaton about the cluster's nodes — the pools at start,
// then `nodeDown`/`nodeUp` some `detectUs` after a node crashes or restarts (a heartbeat
// detector's delay, without simulating heartbeats: idle clusters stay event-free).
//
// Reports are sent one at a time, each after the previous one is durable at the metadata DARQ,
// so the metadata automaton sees them in the order they happened even over a lossy network or
// across its own DARQ's restarts (the producer resends until acknowledged; the DARQ dedups).
// Fault model: the detector itself never fails; it stands outside the simulated cluster.

import type { Clock } from "../../engine/io/clock.ts";
import type { Address, Transport } from "../../engine/io/transport.ts";
import type { CatalogStore } from "../../engine/catalog/catalog-store.ts";
import { envelopeEncode } from "../../engine/runtime/codec.ts";
import { EnqueueClient } from "../../engine/runtime/enqueue-client.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import { metadataId, type MetadataMessage } from "../../engine/runtime/metadata-types.ts";
import { RouteCache } from "../../engine/runtime/route-cache.ts";

export class FailureDetector {
  reported = 0;
  private readonly queue: MetadataMessage[] = [];
  private sending = false;
  private seqNext = 1;
  private readonly client: EnqueueClient;

  constructor(
    transport: Transport,
    private readonly clock: Clock,
    address: Address,
    metadataAddress: Address,
    catalog: CatalogStore,
    private readonly detectUs: number,
  ) {
    const routes = new RouteCache({
      catalog, clock, activationRequest: () => undefined, fixed: new Map([[metadataId, metadataAddress]]),
    });
    this.client = new EnqueueClient({ transport, clock, address, routes, retryUsMin: 10_000, retryUsMax: 200_000 });
  }

  /** Reports `message` now (pools) or after the detection delay (node state changes). */
  report(message: MetadataMessage, detected: boolean): void {
    if (!detected) return this.enqueue(message);
    this.clock.timerStart(this.detectUs, () => this.enqueue(message));
  }

  /** Reports not yet durable at the metadata DARQ. */
  get backlog(): number {
    return this.queue.length + (this.sending ? 1 : 0);
  }

  private enqueue(message: MetadataMessage): void {
    this.queue.push(message);
    this.pump();
  }

  private pump(): void {
    if (this.sending) return;
    const message = this.queue.shift();
    if (message === undefined) return;
    this.sending = true;
    const body = envelopeEncode(metadataId as AutomatonId, message);
    this.client.enqueue(metadataId, "ssms.failure-detector", this.seqNext++, body, () => {
      this.sending = false;
      this.reported++;
      this.pump();
    });
  }
}
