// SimCluster: a whole SSMS deployment inside the simulator, built from a plain config
// (cluster-config.ts): the network (sim/network), a log device per DARQ node on its storage tier
// (sim/storage), the catalog (in memory, with the profile's cloud SQL latency), a DarqNodeRuntime
// per DARQ node and a ComputeNodeRuntime per compute node (cluster-machines.ts) over the compute
// models (sim/compute, sim/serverless), the metadata automaton's worker on the metadata DARQ
// node, a failure detector, an external sink for outputs, outbox-wrapped services and clients.
// Nothing in it is per automaton: an idle automaton costs no events.
//
//   const cluster = new SimCluster(config, [counter, ...]);
//   const client = cluster.client("c");
//   client.send(counter.ref("a"), { type: "add", amount: 1 });
//   cluster.runFor(1_000_000);
//   cluster.crashDarqNode("d1"); cluster.runFor(…); cluster.restartDarqNode("d1");
//   cluster.sink.outputs; cluster.stateOf(counter, "a");
//
// Fault model: crashes and restarts of DARQ nodes (the device loses its unflushed tail; the spare
// compute and the metadata worker on that machine die with it) and of compute nodes, pauses, spot
// preemption, and the network's faults — through these methods or the FaultTarget adapter
// (cluster-faults.ts). The failure detector reports each crash and restart after `failureDetectUs`.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Result } from "../../engine/io/result.ts";
import { CatalogStoreMemory } from "../../engine/catalog/catalog-store-memory.ts";
import type { AnyAutomatonDefinition, StateOf } from "../../engine/runtime/automaton.ts";
import { Client } from "../../engine/runtime/client.ts";
import type { ComputeNodeRuntime } from "../../engine/runtime/compute-node.ts";
import type { StagedSend } from "../../engine/runtime/context.ts";
import type { CommittedInput } from "../../engine/runtime/host-config.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";
import type { DarqNodeRuntime } from "../../engine/runtime/darq-node.ts";
import { metadataDefinition } from "../../engine/runtime/metadata-automaton.ts";
import {
  reservedTypePrefix, type ActionResult, type MetadataMessage, type MetadataState, type Op,
} from "../../engine/runtime/metadata-types.ts";
import { MetadataWorker } from "../../engine/runtime/metadata-worker.ts";
import type { Outbox } from "../../engine/runtime/outbox/outbox.ts";
import { placementOf, type Placement, type PlacementSpec } from "../../engine/runtime/placement.ts";
import { UsageLedger } from "../ledger.ts";
import { NetworkModel } from "../network/network-model.ts";
import { Topology } from "../network/topology.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import { vmSizeKey } from "../profiles/lookup.ts";
import type { CloudProfile } from "../profiles/schema.ts";
import { Simulator } from "../simulator.ts";
import { logDeviceForTier } from "../storage/storage-factory.ts";
import { TransportSim } from "../transport-sim.ts";
import { ClusterActuators } from "./cluster-actuators.ts";
import { clusterConfigCheck, tierNameOf, type ComputeNodeConfig, type DarqNodeConfig, type SimClusterConfig } from "./cluster-config.ts";
import { ComputeMachine, DarqMachine, type MachineContext } from "./cluster-machines.ts";
import { computeInfo, computeRow, darqInfo, darqRow, topologyAddCompute, topologyAddDarq, topologyBuild, worldHost } from "./cluster-nodes.ts";
import { ClusterServices } from "./cluster-services.ts";
import { computeModelFor, type ComputeModel } from "./compute-models.ts";
import { ExternalSink } from "../../engine/runtime/external-sink.ts";
import { FailureDetector } from "./failure-detector.ts";
import { bootDone, catalogFor, committedStateOf, definitionsIndex, oneWayUs } from "./cluster-wiring.ts";
import { parkedStateOf } from "./parked-state.ts";

/** Cluster defaults the engine's own defaults do not suit: a quicker first retry of out-messages. */
const darqConfigCluster = { retryUsMin: 5_000 };

export class SimCluster {
  readonly config: SimClusterConfig;
  readonly sim: Simulator;
  readonly profile: CloudProfile;
  readonly ledger: UsageLedger;
  readonly topology = new Topology();
  readonly network: NetworkModel;
  readonly transport: TransportSim;
  readonly catalog: CatalogStoreMemory;
  readonly sink: ExternalSink;
  readonly metadataNode: string;
  readonly definitions: ReadonlyMap<string, AnyAutomatonDefinition>;
  /** External services behind transactional outboxes (cluster-services.ts). */
  readonly services: ClusterServices;
  /** Observers of the metadata worker, for tests that crash it at every step. */
  readonly metadataHooks: {
    onAction?: ((op: Op) => void) | undefined;
    onProgress?: ((op: Op, result: ActionResult) => void) | undefined;
  } = {};
  /** Observers of every committed step of the user automata (set before the run starts). */
  readonly stepHooks: { onCommitted?: ((id: AutomatonId, sends: readonly StagedSend[], input: CommittedInput) => void) | undefined } = {};
  /** Observers of node crashes (the manager's resume meter), called before the node goes down. */
  readonly faultHooks: { onCrash?: ((node: string) => void) | undefined } = {};
  readonly darqMachines = new Map<string, DarqMachine>();
  readonly computeMachines = new Map<string, ComputeMachine>();
  private readonly placement: Placement;
  private readonly detector: FailureDetector;
  private readonly actuators: ClusterActuators;
  private worker: MetadataWorker | null = null;
  /** Ledger handles of the VMs that DARQ nodes run on (billing stops when the node is removed). */
  private readonly darqVms = new Map<string, number>();
  private readonly clients = new Map<string, Client>();

  constructor(config: SimClusterConfig, definitions: readonly AnyAutomatonDefinition[], placement?: Placement) {
    this.config = clusterConfigCheck(config, (name) => loadCloudProfile(name));
    this.profile = loadCloudProfile(this.config.profile);
    this.definitions = definitionsIndex(definitions);
    this.placement = placement ?? placementOf(this.config.placement as PlacementSpec);
    this.sim = new Simulator({
      seed: this.config.seed, eventsMax: this.config.eventsMax ?? 50_000_000,
      ...(this.config.timeUsMax === undefined ? {} : { timeUsMax: this.config.timeUsMax }),
    });
    this.metadataNode = this.config.metadataDarqNode ?? this.config.darqNodes[0]!.name;
    this.ledger = new UsageLedger({ clock: this.sim.clock });
    topologyBuild(this.topology, this.config, this.profile);
    for (const address of ["sink", "failure-detector"]) this.topology.addressPlace(address, worldHost);
    this.network = new NetworkModel({
      clock: this.sim.clock, random: this.sim.random.fork("network"), topology: this.topology,
      links: this.profile.network.links, vmSizes: this.profile.compute.vmSizes, ledger: this.ledger, ...this.config.network,
    });
    this.transport = new TransportSim(this.sim.queue, this.network);
    this.catalog = catalogFor(this.config, this.profile, this.sim);
    this.sink = new ExternalSink(this.transport, this.sim.clock, "sink");
    this.detector = new FailureDetector(this.transport, this.sim.clock, "failure-detector", this.metadataNode,
      this.catalog, this.config.failureDetectUs ?? 100_000);
    const darqRuntime = (name: string): DarqNodeRuntime | null => this.darqMachines.get(name)?.runtime ?? null;
    this.services = new ClusterServices({
      clock: this.sim.clock, transport: this.transport, catalog: this.catalog, topology: this.topology, darqNode: darqRuntime,
    });
    this.actuators = new ClusterActuators({
      clock: this.sim.clock, catalog: this.catalog, darqNode: darqRuntime,
      computeNode: (name) => this.computeMachines.get(name)?.runtime ?? null,
      oneWayUs: (node) => oneWayUs(this.topology, this.profile, this.darqMachines, this.metadataNode, node),
    });
    this.boot();
  }

  // ---- running ----

  runFor(durationUs: number): number {
    return this.sim.runFor(durationUs);
  }

  nowUs(): number {
    return this.sim.nowUs();
  }

  /** A client at address `client:<name>` on the world host; one per name. */
  client(name: string, producer = `client:${name}`): Client {
    const known = this.clients.get(name);
    if (known !== undefined) return known;
    const address = `client:${name}`;
    this.topology.addressPlace(address, worldHost);
    const client = new Client({
      transport: this.transport, clock: this.sim.clock, address, catalog: this.catalog, metadataAddress: this.metadataNode, producer,
    });
    this.clients.set(name, client);
    return client;
  }

  /** Sends a request (deactivate, recover, …) to the metadata automaton, as an operator would. */
  request(message: MetadataMessage): void {
    this.detector.report(message, false);
  }

  /** Registers an external service behind a transactional outbox as automaton `id` on `darqNode`. */
  addOutboxService(id: string, darqNode: string, outbox: Outbox): void {
    this.darqMachine(darqNode);
    this.services.add(id, darqNode, outbox, (failure) => {
      if (failure !== null) throw new SsmsError(ErrorCode.configInvalid, `outbox service ${id}: ${failure}`);
    });
  }

  // ---- faults ----

  /** The machine of DARQ node `name` fails: its DARQ, spare compute and (if here) the metadata worker. */
  crashDarqNode(name: string, outcome?: "lost" | "partial" | "torn"): void {
    const machine = this.darqMachine(name);
    if (machine.runtime !== null) this.faultHooks.onCrash?.(name);
    for (const spare of this.sparesOf(name)) spare.crash();
    if (!machine.crash(outcome)) return;
    this.services.down(name);
    if (name === this.metadataNode) this.workerStop();
  }

  restartDarqNode(name: string): void {
    if (!this.darqMachine(name).restart()) return;
    this.services.up(name);
    if (name === this.metadataNode) this.workerStart();
    for (const spare of this.sparesOf(name)) spare.restart();
  }

  crashComputeNode(name: string): void {
    const machine = this.computeMachine(name);
    if (machine.config.kind === "darq-spare") {
      throw new SsmsError(ErrorCode.argumentInvalid, `compute node ${name} is the spare cores of ${machine.config.darqNode}; crash that DARQ node`);
    }
    if (machine.runtime !== null) this.faultHooks.onCrash?.(name);
    machine.crash();
  }

  restartComputeNode(name: string): void {
    this.computeMachine(name).restart();
  }

  /** Crashes the metadata worker alone (its DARQ stays up) and starts a new one at once. */
  restartMetadataWorker(): void {
    if (this.darqMachine(this.metadataNode).runtime === null) return;
    this.workerStop();
    this.workerStart();
  }

  // ---- pools (the autoscaler's actuators) ----

  /** Adds a compute node to the running cluster; placement sees it once the metadata hears of it. */
  addComputeNode(node: ComputeNodeConfig): void {
    if (this.computeMachines.has(node.name) || this.darqMachines.has(node.name)) {
      throw new SsmsError(ErrorCode.argumentInvalid, `node '${node.name}' already exists`);
    }
    if (node.kind === "darq-spare") throw new SsmsError(ErrorCode.argumentInvalid, `compute node ${node.name}: spare cores come with their DARQ node`);
    topologyAddCompute(this.topology, this.profile, node);
    this.catalog.nodeUpsert(computeRow(this.config, this.profile, node), bootDone);
    const model = computeModelFor({
      clock: this.sim.clock, random: this.sim.random.fork(`compute/${node.name}`), profile: this.profile, ledger: this.ledger, node,
    });
    const machine = new ComputeMachine(node, model, this.machineContext());
    this.computeMachines.set(node.name, machine);
    machine.start();
    this.poolsReport();
  }

  /** Gives a compute node back (scale-in): its processors end, a VM's billing stops. */
  removeComputeNode(name: string): void {
    const machine = this.computeMachine(name);
    if (machine.config.kind === "darq-spare") throw new SsmsError(ErrorCode.argumentInvalid, `compute node ${name}: spare cores go with their DARQ node`);
    machine.crash();
    machine.model.stop();
    this.computeMachines.delete(name);
    this.poolsReport();
  }

  /** Adds a DARQ node (e.g. of another storage tier) to the running cluster; billed from now. */
  addDarqNode(node: DarqNodeConfig): void {
    if (this.computeMachines.has(node.name) || this.darqMachines.has(node.name)) {
      throw new SsmsError(ErrorCode.argumentInvalid, `node '${node.name}' already exists`);
    }
    if (tierNameOf(this.profile, node.tier) === undefined) {
      throw new SsmsError(ErrorCode.argumentInvalid, `DARQ node ${node.name}: tier '${node.tier}' is not a tier of ${this.profile.name}`);
    }
    if (node.vmSize !== undefined && vmSizeKey(this.profile, node.vmSize) === undefined) {
      throw new SsmsError(ErrorCode.argumentInvalid, `DARQ node ${node.name}: '${node.vmSize}' is not a VM size of ${this.profile.name}`);
    }
    topologyAddDarq(this.topology, this.profile, node);
    this.darqMachineAdd(node, this.machineContext());
    this.poolsReport();
  }

  /**
   * Gives a DARQ node back once it hosts no logical DARQ but the runtime's own: its process ends,
   * its log device closes (storage billing stops), its VM (if any) and its spare cores go with it.
   * The metadata DARQ node stays.
   */
  removeDarqNode(name: string): void {
    const machine = this.darqMachine(name);
    if (name === this.metadataNode) throw new SsmsError(ErrorCode.argumentInvalid, `DARQ node ${name} hosts the metadata automaton`);
    const hosted = (machine.runtime?.darq.logicalDarqs() ?? []).filter((id) => !id.startsWith(reservedTypePrefix));
    if (hosted.length > 0) throw new SsmsError(ErrorCode.argumentInvalid, `DARQ node ${name} still hosts ${hosted.join(", ")}`);
    for (const spare of this.sparesOf(name)) {
      spare.crash();
      spare.model.stop();
      this.computeMachines.delete(spare.config.name);
    }
    machine.runtime?.stop();
    machine.runtime = null;
    machine.device.close();
    const vm = this.darqVms.get(name);
    if (vm !== undefined) this.ledger.vmStop(vm);
    this.darqVms.delete(name);
    this.darqMachines.delete(name);
    this.poolsReport();
  }

  /** Tells the metadata automaton the pools as they are now (nodes added or removed). */
  private poolsReport(): void {
    const types: Record<string, number> = {};
    for (const type of this.definitions.keys()) types[type] = 1;
    const compute = [...this.computeMachines.values()].map((machine) => ({
      ...computeInfo(this.config, this.profile, machine.config), up: machine.runtime !== null,
    }));
    const darq = [...this.darqMachines.values()].map((machine) => ({ ...darqInfo(this.profile, machine.config), up: machine.runtime !== null }));
    this.detector.report({ type: "pools", types, compute, darq }, false);
  }

  // ---- observing ----

  get metadata(): Readonly<MetadataState> | null {
    return this.worker?.state ?? null;
  }

  /** True when the metadata worker runs, has nothing in progress, and the detector has no backlog. */
  metadataIdle(): boolean {
    return this.worker !== null && this.worker.status === "running" && this.worker.idle && this.detector.backlog === 0;
  }

  darqNode(name: string): DarqNodeRuntime | null {
    return this.darqMachine(name).runtime;
  }

  computeNode(name: string): ComputeNodeRuntime | null {
    return this.computeMachine(name).runtime;
  }

  darqNodeNames(): string[] {
    return [...this.darqMachines.keys()];
  }

  computeNodeNames(): string[] {
    return [...this.computeMachines.keys()];
  }

  /** Ids of the user automata whose logical DARQs the up DARQ nodes host or the metadata parks, sorted. */
  automatonIds(): string[] {
    const ids = new Set<string>();
    for (const machine of this.darqMachines.values()) {
      for (const id of machine.runtime?.darq.logicalDarqs() ?? []) if (!id.startsWith(reservedTypePrefix)) ids.add(id);
    }
    for (const [id, record] of Object.entries(this.metadata?.automata ?? {})) if (record.parked !== undefined) ids.add(id);
    for (const id of this.services.ids()) ids.delete(id);
    return [...ids].sort();
  }

  /**
   * The committed state of `id`, rebuilt from the durable SELF entries on its DARQ node (or, for a
   * parked automaton, from those its metadata record keeps).
   */
  committedState(id: string): Result<unknown> {
    const found = committedStateOf(this.definitions, [...this.darqMachines.values()].map((machine) => machine.runtime?.darq), id);
    const parked = this.metadata?.automata[id]?.parked;
    if (found.ok || parked === undefined) return found;
    return parkedStateOf(this.definitions, id, parked);
  }

  stateOf<D extends AnyAutomatonDefinition>(definition: D, key: string): StateOf<D> | undefined {
    const state = this.committedState(definition.ref(key));
    return state.ok ? (state.value as StateOf<D>) : undefined;
  }

  darqMachine(name: string): DarqMachine {
    const machine = this.darqMachines.get(name);
    if (machine === undefined) throw new SsmsError(ErrorCode.argumentInvalid, `no DARQ node '${name}' in the cluster`);
    return machine;
  }

  computeMachine(name: string): ComputeMachine {
    const machine = this.computeMachines.get(name);
    if (machine === undefined) throw new SsmsError(ErrorCode.argumentInvalid, `no compute node '${name}' in the cluster`);
    return machine;
  }

  sparesOf(darqNode: string): ComputeMachine[] {
    return [...this.computeMachines.values()].filter((machine) => machine.config.kind === "darq-spare" && machine.config.darqNode === darqNode);
  }

  // ---- wiring ----

  private boot(): void {
    const context = this.machineContext();
    const types: Record<string, number> = {};
    for (const type of this.definitions.keys()) {
      types[type] = 1;
      this.catalog.typeRegister({ type, version: 1, module: `sim:${type}` }, bootDone);
    }
    for (const node of this.config.darqNodes) this.darqMachineAdd(node, context);
    for (const node of this.config.computeNodes) {
      this.catalog.nodeUpsert(computeRow(this.config, this.profile, node), bootDone);
      const model = computeModelFor({
        clock: this.sim.clock, random: this.sim.random.fork(`compute/${node.name}`), profile: this.profile, ledger: this.ledger, node,
      });
      const machine = new ComputeMachine(node, model, context);
      this.computeMachines.set(node.name, machine);
      machine.start();
      if (node.kind === "darq-spare" && this.profile.compute.darqSpareOneEventLoop === true) this.oneEventLoop(node.darqNode!, model);
    }
    this.workerStart();
    this.detector.report({
      type: "pools", types,
      compute: this.config.computeNodes.map((node) => computeInfo(this.config, this.profile, node)),
      darq: this.config.darqNodes.map((node) => darqInfo(this.profile, node)),
    }, false);
  }

  /**
   * DARQ node `darqNode` and its spare compute share one event loop (profile
   * darqSpareOneEventLoop): messages to either and the DARQ's flush completions wait while the
   * spare core runs a step.
   */
  private oneEventLoop(darqNode: string, model: ComputeModel): void {
    const busyUntilUs = (): number => model.freeAtUs();
    // The spare's addresses are placed in the DARQ node's process (cluster-nodes.ts topologyBuild).
    for (const address of this.topology.addressesInProcess(darqNode, darqNode)) this.transport.gate(address, busyUntilUs);
    this.darqMachine(darqNode).device.gateCompletions(busyUntilUs);
  }

  /** Bills, builds and starts the machine of DARQ node `node` (its catalog row first). */
  private darqMachineAdd(node: DarqNodeConfig, context: MachineContext): void {
    this.catalog.nodeUpsert(darqRow(this.profile, node), bootDone);
    const vmSize = node.vmSize === undefined ? null : vmSizeKey(this.profile, node.vmSize)!;
    if (vmSize !== null) this.darqVms.set(node.name, this.ledger.vmStart(node.name, vmSize, false));
    const device = logDeviceForTier(this.profile, {
      clock: this.sim.clock, random: this.sim.random.fork(`storage/${node.name}`), storageId: node.name,
      tierName: tierNameOf(this.profile, node.tier)!, ledger: this.ledger, hostVmSize: vmSize,
    });
    const machine = new DarqMachine(node, device, context);
    this.darqMachines.set(node.name, machine);
    machine.start();
  }

  private machineContext(): MachineContext {
    return {
      clock: this.sim.clock, transport: this.transport, catalog: this.catalog, metadataNode: this.metadataNode,
      definitions: this.definitions, darqConfig: { ...darqConfigCluster, ...this.config.darq }, hostConfig: this.config.host,
      fixedTypes: new Map((this.config.externalTypes ?? ["sink"]).map((type) => [type, "sink"])),
      darqRuntime: (name) => this.darqMachines.get(name)?.runtime ?? null,
      report: (node, up) => this.detector.report({ type: up ? "nodeUp" : "nodeDown", node }, true),
      onCommitted: (id, sends, input) => this.stepHooks.onCommitted?.(id, sends, input),
    };
  }

  private workerStart(): void {
    const runtime = this.darqMachine(this.metadataNode).runtime;
    if (runtime === null) return;
    this.worker = new MetadataWorker({
      darq: runtime.darq, clock: this.sim.clock, definition: metadataDefinition(this.placement), actuators: this.actuators,
      ...(this.config.metadataHost === undefined ? {} : { hostConfig: this.config.metadataHost }),
      onAction: (op) => this.metadataHooks.onAction?.(op),
      onProgress: (op, result) => this.metadataHooks.onProgress?.(op, result),
    });
    this.worker.start();
  }

  private workerStop(): void {
    this.worker?.stop();
    this.worker = null;
  }
}
