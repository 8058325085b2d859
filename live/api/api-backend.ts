// What the HTTP API does inside a node process: it is a client of the cluster like any other,
// over the node's own transport (its addresses `<node>~api…` are in every address book).
//
//   send(id, message, producer?, seq?)  exactly-once enqueue, answered once durable at the
//        automaton's DARQ. With a producer and seq from the caller (numbered per target from 1),
//        a request retried after a timeout or sent to another node is a duplicate the DARQ drops;
//        without them the node numbers the message itself (at-least-once across HTTP retries).
//        Caller producers are namespaced `http:` so they never collide with the runtime's own. A
//        retry while the first attempt is still in flight waits for that attempt's answer.
//   ask(id, message)   sends with a reply-to and answers the automaton's first reply
//   readState(id)      the committed state, rebuilt from the durable SELF entries
// Every call has a deadline (`timeoutUs`); past it the caller hears limitExceeded, and a send
// may still take effect later (which the producer/seq pair makes safe to retry).

import type { Clock } from "../../engine/io/clock.ts";
import { ErrorCode } from "../../engine/io/errors.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";
import type { Transport } from "../../engine/io/transport.ts";
import type { CatalogStore } from "../../engine/catalog/catalog-store.ts";
import type { AnyAutomatonDefinition } from "../../engine/runtime/automaton.ts";
import { Client } from "../../engine/runtime/client.ts";
import { envelopeEncode } from "../../engine/runtime/codec.ts";
import { EnqueueClient } from "../../engine/runtime/enqueue-client.ts";
import type { AutomatonId, AutomatonRef } from "../../engine/runtime/ids.ts";
import { MetadataRequester } from "../../engine/runtime/metadata-requester.ts";
import { metadataId } from "../../engine/runtime/metadata-types.ts";
import { RouteCache } from "../../engine/runtime/route-cache.ts";
import { liveExternalTypes } from "../cluster/cluster-model.ts";

export type ApiBackendOptions = {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly catalog: CatalogStore;
  readonly node: string;
  readonly bootId: string;
  readonly metadataAddress: string;
  readonly definitions: ReadonlyMap<string, AnyAutomatonDefinition>;
  readonly timeoutUs?: number;
};

export type SendReceipt = { readonly producer: string; readonly seq: number };

/** Targets numbered by the node's own producer before it starts a fresh one (bounds the table). */
const ownTargetsMax = 100_000;

export class ApiBackend {
  readonly client: Client;
  private readonly routes: RouteCache;
  private readonly enqueues: EnqueueClient;
  private readonly requester: MetadataRequester;
  private readonly ownSeqs = new Map<string, number>();
  /** Callers waiting for a send in flight, by producer, seq and target. */
  private readonly inflight = new Map<string, ((result: Result<SendReceipt>) => void)[]>();
  private ownGeneration = 1;
  private readonly timeoutUs: number;

  constructor(private readonly options: ApiBackendOptions) {
    const { transport, clock, catalog, node, bootId, metadataAddress } = options;
    this.timeoutUs = options.timeoutUs ?? 10_000_000;
    this.requester = new MetadataRequester(transport, clock, `${node}~apireq`,
      new RouteCache({ catalog, clock, activationRequest: () => undefined, fixed: new Map([[metadataId, metadataAddress]]) }),
      `http-activate:${node}#${bootId}`);
    this.routes = new RouteCache({
      catalog, clock, fixed: new Map([[metadataId, metadataAddress]]), fixedTypes: liveExternalTypes,
      activationRequest: (id) => this.requester.request({ type: "activate", id }),
    });
    this.enqueues = new EnqueueClient({ transport, clock, address: `${node}~apisend`, routes: this.routes, attemptsMax: 1_000 });
    this.client = new Client({ transport, clock, address: `${node}~api`, catalog, metadataAddress, producer: `http-ask:${node}#${bootId}` });
  }

  definitionOf(type: string): AnyAutomatonDefinition | undefined {
    return this.options.definitions.get(type);
  }

  send(id: AutomatonId, message: unknown, caller: SendReceipt | undefined, done: (result: Result<SendReceipt>) => void): void {
    const receipt = caller === undefined ? this.ownReceipt(id) : { producer: `http:${caller.producer}`, seq: caller.seq };
    const finish = this.deadline(done, `send to ${id}`);
    // A retry of a send still in flight (its caller timed out) waits for the first attempt.
    const key = `${receipt.producer}\u0000${receipt.seq}\u0000${id}`;
    const waiting = this.inflight.get(key);
    if (waiting !== undefined) return void waiting.push(finish);
    const waiters = [finish];
    this.inflight.set(key, waiters);
    const settle = (result: Result<SendReceipt>): void => {
      this.inflight.delete(key);
      for (const waiter of waiters) waiter(result);
    };
    const sent = this.enqueues.enqueue(id, receipt.producer, receipt.seq, envelopeEncode(id, message), (result) => {
      settle(result.ok ? ok(receipt) : result);
    });
    if (!sent.ok) settle(sent);
  }

  ask(id: AutomatonId, message: unknown, done: (result: Result<unknown>) => void): void {
    const finish = this.deadline(done, `ask ${id}`);
    const asked = this.client.ask(id as AutomatonRef<unknown>, message, finish);
    if (!asked.ok) finish(asked);
  }

  readState(definition: AnyAutomatonDefinition, key: string, done: (result: Result<unknown>) => void): void {
    this.client.readState(definition, key, this.deadline(done, `state of ${definition.type}/${key}`));
  }

  stop(): void {
    this.client.stop();
    this.enqueues.stop();
    this.requester.stop();
    this.routes.stop();
  }

  private ownReceipt(id: string): SendReceipt {
    if (this.ownSeqs.size >= ownTargetsMax && !this.ownSeqs.has(id)) {
      this.ownSeqs.clear();
      this.ownGeneration++;
    }
    const seq = (this.ownSeqs.get(id) ?? 0) + 1;
    this.ownSeqs.set(id, seq);
    return { producer: `http-own:${this.options.node}#${this.options.bootId}.${this.ownGeneration}`, seq };
  }

  /** `done` at most once: with the result, or with limitExceeded at the deadline. */
  private deadline<T>(done: (result: Result<T>) => void, what: string): (result: Result<T>) => void {
    let settled = false;
    const timer = this.options.clock.timerStart(this.timeoutUs, () => {
      if (settled) return;
      settled = true;
      done(err(ErrorCode.limitExceeded, `${what}: no answer within ${this.timeoutUs / 1e6} s (a send may still take effect; retry with the same producer and seq)`));
    });
    return (result) => {
      if (settled) return;
      settled = true;
      this.options.clock.timerCancel(timer);
      done(result);
    };
  }
}
