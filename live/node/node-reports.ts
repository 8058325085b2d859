// How the metadata automaton learns that node processes died and came back, in a live cluster
// where no simulator can tell it (the simulated cluster's FailureDetector knows every crash).
//
// BootReporter (every node, at every boot but the first): "my compute node and my DARQ node went
// down and are up again": nodeDown(compute), nodeDown(darq), nodeUp(compute), nodeUp(darq), each
// sent after the previous one is durable, so the metadata workflow sees them in this order. That
// order matters: when the DARQ node comes up its automata are recovered, and by then its spare
// compute is up again, so the placement can put their processors back beside their DARQ. A
// restart faster than any heartbeat could notice is thus reported too.
//
// HeartbeatDetector (the metadata node only): pings every other node process each `heartbeatUs`
// (HeartbeatResponder answers); a process silent for `downAfterUs` that the workflow still
// believes up is reported down, and one answering again for `downAfterUs` that it believes down
// is reported up (a paused process resumes without rebooting). Reports compare against the
// workflow's own state, so they are idempotent and stop once the state agrees; a report is not
// repeated within three detection periods. Nothing is reported during the first detection
// period after start (peers may still be booting).

import type { Clock, TimerId } from "../../engine/io/clock.ts";
import type { Address, Transport } from "../../engine/io/transport.ts";
import type { CatalogStore } from "../../engine/catalog/catalog-store.ts";
import { envelopeEncode } from "../../engine/runtime/codec.ts";
import { EnqueueClient } from "../../engine/runtime/enqueue-client.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import { metadataId, type MetadataMessage, type MetadataState } from "../../engine/runtime/metadata-types.ts";
import { RouteCache } from "../../engine/runtime/route-cache.ts";

export class BootReporter {
  reported = 0;
  private readonly client: EnqueueClient;
  private readonly routes: RouteCache;
  private seqNext = 1;

  constructor(transport: Transport, clock: Clock, address: Address, catalog: CatalogStore, metadataAddress: Address, private readonly producer: string) {
    this.routes = new RouteCache({ catalog, clock, activationRequest: () => undefined, fixed: new Map([[metadataId, metadataAddress]]) });
    this.client = new EnqueueClient({ transport, clock, address, routes: this.routes, retryUsMin: 20_000, retryUsMax: 500_000, attemptsMax: 1_000_000 });
  }

  /** Sends `messages` one after another, each once the previous one is durable; `done` after the last. */
  report(messages: readonly MetadataMessage[], done: () => void = () => undefined): void {
    const message = messages[0];
    if (message === undefined) return done();
    this.client.enqueue(metadataId, this.producer, this.seqNext++, envelopeEncode(metadataId as AutomatonId, message), () => {
      this.reported++;
      this.report(messages.slice(1), done);
    });
  }

  stop(): void {
    this.client.stop();
    this.routes.stop();
  }
}

/** Answers heartbeats: a pong naming this process. */
export class HeartbeatResponder {
  constructor(private readonly transport: Transport, private readonly address: Address, process: string) {
    transport.listen(address, (from, message) => {
      if (typeof message === "object" && message !== null && (message as { kind?: unknown }).kind === "ping") {
        transport.send(address, from, { kind: "pong", process }, 32);
      }
    });
  }

  stop(): void {
    this.transport.unlisten(this.address);
  }
}

/** A node process as the detector sees it: its node ids and its heartbeat history. */
export type WatchedProcess = { readonly name: string; readonly nodeIds: readonly string[]; readonly heartbeat: Address };

type Watch = WatchedProcess & { lastPongUs: number; aliveSinceUs: number; reportedUs: number };

export type HeartbeatDetectorOptions = {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly address: Address;
  readonly processes: readonly WatchedProcess[];
  readonly heartbeatUs: number;
  readonly downAfterUs: number;
  /** The workflow's state now (null while its worker is not running). */
  readonly state: () => Readonly<MetadataState> | null;
  /** Enqueues a report to the metadata automaton. */
  readonly report: (message: MetadataMessage) => void;
};

export class HeartbeatDetector {
  reportsDown = 0;
  reportsUp = 0;
  private readonly watches: Watch[];
  private readonly startUs: number;
  private timer: TimerId = -1;
  private stopped = false;

  constructor(private readonly options: HeartbeatDetectorOptions) {
    this.startUs = options.clock.nowUs();
    this.watches = options.processes.map((process) => ({ ...process, lastPongUs: -Infinity, aliveSinceUs: Infinity, reportedUs: -Infinity }));
    options.transport.listen(options.address, (_from, message) => this.pong(message));
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.options.clock.timerCancel(this.timer);
    this.options.transport.unlisten(this.options.address);
  }

  private pong(message: unknown): void {
    if (typeof message !== "object" || message === null) return;
    const { kind, process } = message as { kind?: unknown; process?: unknown };
    if (kind !== "pong") return;
    const watch = this.watches.find((candidate) => candidate.name === process);
    if (watch === undefined) return;
    const nowUs = this.options.clock.nowUs();
    if (nowUs - watch.lastPongUs > this.options.downAfterUs) watch.aliveSinceUs = nowUs;
    watch.lastPongUs = nowUs;
  }

  private tick(): void {
    if (this.stopped) return;
    const { transport, clock, address, heartbeatUs } = this.options;
    for (const watch of this.watches) transport.send(address, watch.heartbeat, { kind: "ping" }, 32);
    this.evaluate(clock.nowUs());
    this.timer = clock.timerStart(heartbeatUs, () => this.tick());
  }

  private evaluate(nowUs: number): void {
    const state = this.options.state();
    const { downAfterUs } = this.options;
    if (state === null || state.compute.length === 0 || nowUs - this.startUs < downAfterUs) return;
    for (const watch of this.watches) {
      if (nowUs - watch.reportedUs < 3 * downAfterUs) continue;
      const alive = nowUs - watch.lastPongUs <= downAfterUs;
      const believedUp = watch.nodeIds.every((id) => isUp(state, id));
      const believedDown = watch.nodeIds.every((id) => !isUp(state, id));
      if (!alive && !believedDown) {
        watch.reportedUs = nowUs;
        this.reportsDown++;
        for (const node of watch.nodeIds) this.options.report({ type: "nodeDown", node });
      } else if (alive && !believedUp && nowUs - watch.aliveSinceUs >= downAfterUs) {
        watch.reportedUs = nowUs;
        this.reportsUp++;
        for (const node of watch.nodeIds) this.options.report({ type: "nodeUp", node });
      }
    }
  }
}

function isUp(state: Readonly<MetadataState>, node: string): boolean {
  return state.compute.some((info) => info.id === node && info.up) || state.darq.some((info) => info.id === node && info.up);
}
