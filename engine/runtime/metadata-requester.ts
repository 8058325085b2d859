// MetadataRequester: how a node sends requests to the metadata automaton (activate on a wake-up,
// recover a lost processor): external enqueues to the metadata automaton's logical DARQ, resent
// until durable. Each requester has its own producer id, unique per boot of its node, so its
// sequence numbers never collide with an earlier boot's. The metadata workflow treats requests as
// idempotent, so at-least-once would do; the DARQ's dedup makes them exactly once anyway.

import type { Clock } from "../io/clock.ts";
import type { Address, Transport } from "../io/transport.ts";
import { envelopeEncode } from "./codec.ts";
import { EnqueueClient } from "./enqueue-client.ts";
import type { AutomatonId } from "./ids.ts";
import { metadataId, type MetadataMessage } from "./metadata-types.ts";
import type { RouteCache } from "./route-cache.ts";

export class MetadataRequester {
  sent = 0;
  private readonly client: EnqueueClient;
  private seqNext = 1;
  private stopped = false;

  constructor(transport: Transport, clock: Clock, address: Address, routes: RouteCache, private readonly producer: string) {
    this.client = new EnqueueClient({ transport, clock, address, routes });
  }

  request(message: MetadataMessage): void {
    if (this.stopped) return;
    this.sent++;
    const body = envelopeEncode(metadataId as AutomatonId, message);
    this.client.enqueue(metadataId, this.producer, this.seqNext++, body, () => undefined);
  }

  stop(): void {
    this.stopped = true;
    this.client.stop();
  }
}
