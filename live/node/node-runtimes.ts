// The runtime objects of one node process, wired as the simulated cluster wires them
// (sim/cluster/cluster-machines.ts) but over real seams: a DarqNodeRuntime on a file log device,
// a ComputeNodeRuntime whose co-located processors call that DARQ in-process (through the step
// meter) and whose remote processors use a RemoteDarqLink, and, on the metadata node, the
// metadata worker with transport actuators and the heartbeat detector. Every boot gets producer
// ids and session prefixes of its own (the boot id), so nothing from an earlier boot is mistaken
// for the current one.

import type { Clock } from "../../engine/io/clock.ts";
import type { LogDevice } from "../../engine/io/log-device.ts";
import type { Transport } from "../../engine/io/transport.ts";
import type { CatalogStore } from "../../engine/catalog/catalog-store.ts";
import type { AnyAutomatonDefinition } from "../../engine/runtime/automaton.ts";
import { ComputeNodeRuntime } from "../../engine/runtime/compute-node.ts";
import { DarqNodeRuntime } from "../../engine/runtime/darq-node.ts";
import { metadataDefinition } from "../../engine/runtime/metadata-automaton.ts";
import { MetadataRequester } from "../../engine/runtime/metadata-requester.ts";
import { metadataId, type MetadataMessage } from "../../engine/runtime/metadata-types.ts";
import { MetadataWorker } from "../../engine/runtime/metadata-worker.ts";
import { RemoteDarqLink } from "../../engine/runtime/remote-darq-link.ts";
import { RouteCache } from "../../engine/runtime/route-cache.ts";
import { liveExternalTypes, placementOfSpec, poolsOf, typeVersionsOf } from "../cluster/cluster-model.ts";
import { computeNodeOf, processOfNode, type ClusterSpec, type NodeSpec } from "../cluster/cluster-spec.ts";
import { ActuatorServer, ActuatorsLive } from "./actuator-rpc.ts";
import { HeartbeatDetector } from "./node-reports.ts";
import type { StepMeter } from "./timed-seams.ts";

export type NodeRuntimeContext = {
  readonly spec: ClusterSpec;
  readonly node: NodeSpec;
  readonly bootId: string;
  readonly clock: Clock;
  readonly transport: Transport;
  readonly catalog: CatalogStore;
  readonly definitions: ReadonlyMap<string, AnyAutomatonDefinition>;
  readonly meter: StepMeter;
  readonly log: (event: string, fields?: Record<string, unknown>) => void;
};

export class NodeRuntimes {
  readonly darq: DarqNodeRuntime | null;
  readonly compute: ComputeNodeRuntime;
  readonly computeId: string;
  readonly worker: MetadataWorker | null = null;
  readonly detector: HeartbeatDetector | null = null;
  private readonly actuators: ActuatorsLive | null = null;
  private readonly server: ActuatorServer;
  private readonly requester: MetadataRequester;
  private readonly routes: RouteCache;
  private fdSeq = 1;

  constructor(private readonly context: NodeRuntimeContext, device: LogDevice | null) {
    const { spec, node, bootId, clock, transport, catalog, definitions, meter } = context;
    this.computeId = computeNodeOf(node);
    this.darq = device === null ? null : new DarqNodeRuntime({
      id: node.name, address: node.name, device, clock, transport, catalog, metadataAddress: spec.metadataNode,
      producer: `darq:${node.name}#${bootId}`, darqConfig: { ...spec.darq },
      routes: { fixedTypes: liveExternalTypes },
    });
    this.routes = new RouteCache({ catalog, clock, activationRequest: () => undefined, fixed: new Map([[metadataId, spec.metadataNode]]) });
    const requester = new MetadataRequester(transport, clock, `${this.computeId}~req`, this.routes, `compute:${this.computeId}#${bootId}`);
    this.requester = requester;
    const localDarqNode = this.darq === null ? null : node.name;
    const darq = this.darq;
    this.compute = new ComputeNodeRuntime({
      id: this.computeId, clock, definitions,
      link: new RemoteDarqLink(transport, clock, `${this.computeId}~proc`, `${this.computeId}#${bootId}`),
      localDarqNode,
      localPort: (epoch, onFenced) => (darq === null ? null : meter.wrap(darq.localPort(epoch, onFenced))),
      serviceAddress: (darqNode) => `${darqNode}~proc`,
      ...(spec.hostConfig === undefined ? {} : { hostConfig: spec.hostConfig }),
      onLost: (id, computeNode, reason) => {
        context.log("processorLost", { id, computeNode, reason });
        requester.request({ type: "recover", id, computeNode });
      },
    });
    this.server = new ActuatorServer(transport, `${node.name}~ctl`, {
      darqNode: (id) => (id === node.name ? this.darq : null),
      computeNode: (id) => (id === this.computeId ? this.compute : null),
    });
    if (node.name === spec.metadataNode && this.darq !== null) {
      this.actuators = new ActuatorsLive(catalog, transport, clock, `${node.name}~ctlc`, (id) => {
        const owner = processOfNode(spec, id);
        return owner === undefined ? undefined : `${owner.name}~ctl`;
      });
      this.worker = this.workerStart(this.darq, this.actuators);
      this.detector = this.detectorStart();
    }
  }

  /** Crash or shutdown: everything stops; nothing more runs. */
  stop(): void {
    this.detector?.stop();
    this.worker?.stop();
    this.actuators?.stop();
    this.server.stop();
    this.compute.stop();
    this.requester.stop();
    this.routes.stop();
    this.darq?.stop();
  }

  private workerStart(darq: DarqNodeRuntime, actuators: ActuatorsLive): MetadataWorker {
    const { spec, clock, definitions, log } = this.context;
    const worker: MetadataWorker = new MetadataWorker({
      darq: darq.darq, clock, definition: metadataDefinition(placementOfSpec(spec)), actuators,
      onProgress: (op, result) => log("metadataAction", {
        op: op.kind, id: op.id, action: op.action, computeNode: op.computeNode, darqNode: op.darqNode, outcome: result.outcome,
      }),
      onReport: (report) => {
        if (report.kind === "ready") {
          log("metadataReady", { incarnation: report.incarnation, replayed: report.selfReplayed });
          // The pools, exactly once in the cluster's life: a fixed producer and seq 1, so a
          // resend after any crash is a duplicate the DARQ drops.
          if (worker.state.compute.length === 0) {
            const pools = poolsOf(spec);
            worker.enqueue({ type: "pools", compute: [...pools.compute], darq: [...pools.darq], types: typeVersionsOf(definitions) }, "ssms.pools", 1);
          }
        }
        if (report.kind === "ended") log("metadataEnded", { status: report.status, reason: report.reason.reason });
      },
    });
    worker.start();
    return worker;
  }

  private detectorStart(): HeartbeatDetector {
    const { spec, node, bootId, clock, transport, log } = this.context;
    const worker = this.worker!;
    return new HeartbeatDetector({
      transport, clock, address: `${node.name}~fd`, heartbeatUs: spec.detector.heartbeatUs, downAfterUs: spec.detector.downAfterUs,
      processes: spec.nodes.filter((other) => other.name !== node.name).map((other) => ({
        name: other.name, heartbeat: `${other.name}~hb`,
        nodeIds: other.role === "darq" ? [computeNodeOf(other), other.name] : [computeNodeOf(other)],
      })),
      state: () => (worker.status === "running" ? worker.state : null),
      report: (message: MetadataMessage) => {
        log("detectorReport", { ...message });
        // A refused enqueue stored nothing, so its seq is used by the next report.
        if (worker.enqueue(message, `ssms.fd#${bootId}`, this.fdSeq)) this.fdSeq++;
        else log("detectorReportRefused", { ...message });
      },
    });
  }
}
