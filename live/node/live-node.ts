// LiveNode: one node process of a live cluster, runnable in its own OS process (node-main.ts) or
// inside a test. `start` boots it: the transport (TransportTcp, authenticated by the cluster
// secret), the shared catalog, the DARQ's file log (fdatasync group commit, timed), the runtimes
// (node-runtimes.ts), the boot report to the metadata workflow (every boot but the first), the
// heartbeat answerer and the HTTP API. `close` shuts it down cleanly; a crash is a SIGKILL of the
// process, which the design survives by construction (the log is the truth).
//
// Boot identity: `bootId` is unique per boot (time and pid); the first boot of a node is the one
// that finds no node directory, and only later boots report "down and up again".

import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ClockNode } from "../../engine/io/node/clock-node.ts";
import { LogDeviceFile } from "../../engine/io/node/log-device-file.ts";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { CatalogStore } from "../../engine/catalog/catalog-store.ts";
import { apiServerStart, type ApiServer } from "../api/api-server.ts";
import { ApiBackend } from "../api/api-backend.ts";
import { catalogClose, catalogNodesUpsert, catalogOpen, catalogTypesRegister } from "../cluster/catalog-open.ts";
import { definitionsOf } from "../cluster/cluster-model.ts";
import { HandlerTiming } from "./handler-timing.ts";
import { addressBookOf, computeNodeOf, type ClusterSpec, type NodeSpec } from "../cluster/cluster-spec.ts";
import { TransportTcp } from "../transport/transport-tcp.ts";
import { nodeHealth, nodeMetricsText, type NodeHealth } from "./node-observe.ts";
import { BootReporter, HeartbeatResponder } from "./node-reports.ts";
import { NodeRuntimes } from "./node-runtimes.ts";
import { LogDeviceTimed, StepMeter } from "./timed-seams.ts";

export type NodeLog = (event: string, fields?: Record<string, unknown>) => void;

export type LiveNodeOptions = {
  readonly spec: ClusterSpec;
  readonly name: string;
  readonly clusterDir: string;
  readonly secret: string | Uint8Array;
  readonly log?: NodeLog;
};

export class LiveNode {
  readonly startedUs: number;
  boots = 0;
  private closed = false;

  private constructor(
    readonly spec: ClusterSpec,
    readonly node: NodeSpec,
    readonly bootId: string,
    readonly firstBoot: boolean,
    readonly clock: ClockNode,
    readonly transport: TransportTcp,
    readonly catalog: CatalogStore,
    readonly device: LogDeviceTimed | null,
    readonly meter: StepMeter,
    readonly handlers: HandlerTiming,
    readonly runtimes: NodeRuntimes,
    readonly backend: ApiBackend,
    private readonly extras: { readonly responder: HeartbeatResponder; readonly reporter: BootReporter },
    readonly log: NodeLog,
  ) {
    this.startedUs = clock.nowUs();
  }

  api: ApiServer | null = null;

  static async start(options: LiveNodeOptions): Promise<LiveNode> {
    const { spec, name, clusterDir, secret } = options;
    const log = options.log ?? (() => undefined);
    const node = spec.nodes.find((candidate) => candidate.name === name);
    if (node === undefined) {
      throw new SsmsError(ErrorCode.argumentInvalid, `node '${name}' is not in the cluster spec (nodes: ${spec.nodes.map((n) => n.name).join(", ")})`);
    }
    const bootId = `${Date.now().toString(36)}.${process.pid}`;
    const nodeDir = join(clusterDir, "nodes", name);
    const firstBoot = !existsSync(nodeDir);
    mkdirSync(nodeDir, { recursive: true });
    const handlers = new HandlerTiming();
    const definitions = handlers.wrapAll(definitionsOf(spec));
    const clock = new ClockNode();
    const transport = await TransportTcp.start({
      processId: name, secret, host: spec.listenHost, port: node.transportPort, book: addressBookOf(spec, name),
      onProblem: (problem) => log("transportProblem", { ...problem }),
    });
    const catalog = await catalogOpen(spec, clusterDir);
    await catalogTypesRegister(catalog, definitions);
    await catalogNodesUpsert(catalog, [node]);
    const device = node.role === "darq" ? new LogDeviceTimed(LogDeviceFile.open(join(nodeDir, "log")), clock) : null;
    const meter = new StepMeter(clock);
    const runtimes = new NodeRuntimes({ spec, node, bootId, clock, transport, catalog, definitions, meter, log }, device);
    const backend = new ApiBackend({ transport, clock, catalog, node: name, bootId, metadataAddress: spec.metadataNode, definitions });
    const extras = {
      responder: new HeartbeatResponder(transport, `${name}~hb`, name),
      reporter: new BootReporter(transport, clock, `${name}~boot`, catalog, spec.metadataNode, `boot:${name}#${bootId}`),
    };
    const live = new LiveNode(spec, node, bootId, firstBoot, clock, transport, catalog, device, meter, handlers, runtimes, backend, extras, log);
    if (!firstBoot) live.reportRestart();
    live.api = await apiServerStart({
      host: spec.listenHost, port: node.apiPort, secret, backend, catalog,
      health: () => live.health(), metrics: () => live.metricsText(),
    });
    log("nodeReady", { node: name, bootId, firstBoot, transport: transport.endpoint, api: live.api.port });
    return live;
  }

  health(): NodeHealth {
    return nodeHealth(this);
  }

  metricsText(): string {
    return nodeMetricsText(this);
  }

  /** Graceful stop: the API, the runtimes, the transport, the device, the catalog. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.api?.close();
    this.backend.stop();
    this.extras.responder.stop();
    this.extras.reporter.stop();
    this.runtimes.stop();
    await this.transport.close();
    this.device?.close();
    await catalogClose(this.catalog);
    this.log("nodeClosed", { node: this.node.name, bootId: this.bootId });
  }

  private reportRestart(): void {
    const compute = computeNodeOf(this.node);
    const ids = this.node.role === "darq" ? [compute, this.node.name] : [compute];
    this.extras.reporter.report([
      ...ids.map((node) => ({ type: "nodeDown" as const, node })),
      ...ids.map((node) => ({ type: "nodeUp" as const, node })),
    ], () => this.log("restartReported", { nodes: ids }));
  }
}
