// The machines of a simulated cluster and their lives: a DarqMachine is a DARQ node (its log
// device survives crashes, its runtime does not), a ComputeMachine a compute node (its compute
// model survives, its runtime, processor link and requester do not). Each boot gets a fresh
// runtime with a producer id and session prefix of its own, so nothing from an earlier boot is
// mistaken for the current one. The failure detector is told of every crash and restart.
//
// Fault model: crash = the process dies (a DARQ's device loses or tears its unflushed tail; a
// compute node's in-flight work is dropped); restart = a fresh process on the same machine.

import type { Transport } from "../../engine/io/transport.ts";
import type { CatalogStore } from "../../engine/catalog/catalog-store.ts";
import type { AnyAutomatonDefinition } from "../../engine/runtime/automaton.ts";
import { ComputeNodeRuntime, type ComputeNodeOptions } from "../../engine/runtime/compute-node.ts";
import { DarqNodeRuntime } from "../../engine/runtime/darq-node.ts";
import { MetadataRequester } from "../../engine/runtime/metadata-requester.ts";
import { metadataId } from "../../engine/runtime/metadata-types.ts";
import { RemoteDarqLink } from "../../engine/runtime/remote-darq-link.ts";
import { RouteCache } from "../../engine/runtime/route-cache.ts";
import type { ClockSim } from "../clock-sim.ts";
import type { LogDeviceCrash } from "../log-device-sim.ts";
import type { LogDeviceTier } from "../storage/log-device-tier.ts";
import type { ComputeNodeConfig, DarqNodeConfig } from "./cluster-config.ts";
import { computeAddress, computeRequesterAddress } from "./cluster-nodes.ts";
import type { ComputeModel } from "./compute-models.ts";

/** What every machine needs from its cluster. */
export type MachineContext = {
  readonly clock: ClockSim;
  readonly transport: Transport;
  readonly catalog: CatalogStore;
  readonly metadataNode: string;
  readonly definitions: ReadonlyMap<string, AnyAutomatonDefinition>;
  readonly darqConfig: Readonly<Record<string, unknown>>;
  readonly hostConfig: Readonly<Record<string, unknown>> | undefined;
  readonly fixedTypes: ReadonlyMap<string, string>;
  readonly darqRuntime: (name: string) => DarqNodeRuntime | null;
  /** The failure detector: nodeDown/nodeUp after its detection delay. */
  readonly report: (node: string, up: boolean) => void;
  /** Observes every committed step's sends on every compute node (metering). */
  readonly onCommitted?: ComputeNodeOptions["onCommitted"];
};

export class DarqMachine {
  runtime: DarqNodeRuntime | null = null;
  private boots = 0;

  constructor(readonly config: DarqNodeConfig, readonly device: LogDeviceTier, private readonly context: MachineContext) {}

  start(): void {
    if (this.runtime !== null) return;
    this.boots++;
    const { clock, transport, catalog, metadataNode, darqConfig, fixedTypes } = this.context;
    const name = this.config.name;
    this.runtime = new DarqNodeRuntime({
      id: name, address: name, device: this.device, clock, transport, catalog, metadataAddress: metadataNode,
      producer: `darq:${name}#${this.boots}`, darqConfig, routes: { fixedTypes },
    });
  }

  /** The process dies; the device loses (or, with "torn", tears) its unflushed tail. */
  crash(outcome?: LogDeviceCrash["outcome"]): boolean {
    if (this.runtime === null) return false;
    this.runtime.stop();
    this.runtime = null;
    this.device.crash(outcome);
    this.context.report(this.config.name, false);
    return true;
  }

  restart(): boolean {
    if (this.runtime !== null) return false;
    this.start();
    this.context.report(this.config.name, true);
    return true;
  }
}

/**
 * Modelled compute to rebuild state per SELF record a starting processor replays (decode one
 * msgpack record and fold its events): what a cold recovery pays and a warm standby has paid ahead.
 */
export const replayCoreUsPerRecord = 10;

export class ComputeMachine {
  runtime: ComputeNodeRuntime | null = null;
  private requester: MetadataRequester | null = null;
  private boots = 0;

  constructor(readonly config: ComputeNodeConfig, readonly model: ComputeModel, private readonly context: MachineContext) {}

  start(): void {
    if (this.runtime !== null) return;
    this.boots++;
    const { clock, transport, catalog, metadataNode, definitions, hostConfig } = this.context;
    const name = this.config.name;
    const localDarqNode = this.config.kind === "darq-spare" ? this.config.darqNode! : null;
    const routes = new RouteCache({ catalog, clock, activationRequest: () => undefined, fixed: new Map([[metadataId, metadataNode]]) });
    const requester = new MetadataRequester(transport, clock, computeRequesterAddress(name), routes, `compute:${name}#${this.boots}`);
    this.requester = requester;
    const model = this.model;
    this.runtime = new ComputeNodeRuntime({
      id: name, clock, definitions,
      link: new RemoteDarqLink(transport, clock, computeAddress(name), `${name}#${this.boots}`),
      localDarqNode,
      localPort: (epoch, onFenced) => (localDarqNode === null ? null
        : this.context.darqRuntime(localDarqNode)?.localPort(epoch, onFenced) ?? null),
      serviceAddress: (darqNode) => `${darqNode}~proc`,
      work: (coreUs, done) => model.work(coreUs, done),
      ...(hostConfig === undefined ? {} : { hostConfig }),
      ...(this.context.onCommitted === undefined ? {} : { onCommitted: this.context.onCommitted }),
      onLost: (id, computeNode) => requester.request({ type: "recover", id, computeNode }),
      replayCoreUsPerRecord,
    });
  }

  /** The process dies: processors vanish, work in flight is dropped. */
  crash(): boolean {
    if (this.runtime === null) return false;
    this.runtime.stop();
    this.requester?.stop();
    this.model.crash();
    this.runtime = null;
    this.requester = null;
    this.context.report(this.config.name, false);
    return true;
  }

  restart(): boolean {
    if (this.runtime !== null) return false;
    this.model.restart();
    this.start();
    this.context.report(this.config.name, true);
    return true;
  }
}
