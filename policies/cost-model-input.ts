// The cost model's input, and its compiled form. Input is plain data (the observation's nodes,
// automata and talk edges already fit it; hypothetical deployments add or change nodes); the
// compiled form indexes it into typed arrays once, so that predicting a candidate placement is
// loops over arrays with no lookups by string and no allocation. The rules are in cost-model.ts.

import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import type { AutomatonObservation, NodeKind, NodeObservation, TalkEdge } from "./observation.ts";
import { linkClasses, storageTierNamed, vmPriceNamed, type PriceBook } from "./price-book.ts";

export type ModelNode = Pick<NodeObservation, "id" | "kind" | "zone" | "cores" | "hostNode" | "size" | "storageTier" | "spot" | "state">;
export type ModelAutomaton = Pick<AutomatonObservation,
  "id" | "stepsPerS" | "messagesInPerS" | "messagesOutPerS" | "computeCoreUsPerStep" | "logBytesPerS" | "logBytes" | "placement">;

export type ModelInput = {
  readonly nodes: readonly ModelNode[];
  readonly automata: readonly ModelAutomaton[];
  readonly talk: readonly TalkEdge[];
  readonly prices: PriceBook;
};

export const kindCode = { vm: 0, serverless: 1, "darq-spare": 2, darq: 3 } as const satisfies Record<NodeKind, number>;

/** Typed-array form of a ModelInput. Indices follow the input's order. */
export type CompiledModel = {
  readonly nodeIds: readonly string[];
  readonly nodeIndex: ReadonlyMap<string, number>;
  readonly automatonIds: readonly string[];
  readonly automatonIndex: ReadonlyMap<string, number>;
  readonly kind: Uint8Array;
  readonly zone: Int32Array;
  /** darq-spare: index of the DARQ node it shares a machine with; else -1. */
  readonly host: Int32Array;
  readonly cores: Float64Array;
  readonly speed: Float64Array;
  readonly up: Uint8Array;
  /** USD per month the node costs while provisioned (VMs, DARQ host VMs, replicas, disks). */
  readonly fixedUsdPerMonth: Float64Array;
  readonly flushP50Us: Float64Array;
  readonly flushP99Us: Float64Array;
  readonly flushesPerSMax: Float64Array;
  readonly bytesPerSMax: Float64Array;
  readonly usdPerWrite: Float64Array;
  readonly usdPerGbWritten: Float64Array;
  readonly usdPerGbMonth: Float64Array;
  readonly steps: Float64Array;
  readonly messagesIn: Float64Array;
  readonly messagesOut: Float64Array;
  readonly workUs: Float64Array;
  readonly logBytesPerS: Float64Array;
  readonly logBytes: Float64Array;
  /** Messages per second from outside the automata (clients), per automaton. */
  readonly externalIn: Float64Array;
  readonly edgeFrom: Int32Array;
  readonly edgeTo: Int32Array;
  readonly edgeMessages: Float64Array;
  readonly edgeBytes: Float64Array;
  /** Incoming edges per automaton (CSR): edges inEdgeList[inEdgeStart[i] .. inEdgeStart[i+1]). */
  readonly inEdgeStart: Int32Array;
  readonly inEdgeList: Int32Array;
  /** One-way latency quantiles and price per link class, indexed by linkCode (cost-model-load). */
  readonly linkP50Us: Float64Array;
  readonly linkP99Us: Float64Array;
  readonly linkUsdPerGb: Float64Array;
  readonly prices: PriceBook;
};

function problem(message: string): SsmsError {
  return new SsmsError(ErrorCode.argumentInvalid, `cost model input: ${message}`);
}

function nodeFixedUsdPerMonth(node: ModelNode, prices: PriceBook): number {
  if (node.kind !== "vm" && node.kind !== "darq") return 0;
  const vm = node.size === null ? undefined : vmPriceNamed(prices, node.size);
  if (node.size !== null && vm === undefined) throw problem(`node ${node.id}: VM size '${node.size}' is not in price book ${prices.profile}`);
  if (node.kind === "vm" && vm === undefined) throw problem(`node ${node.id}: a vm node needs a size`);
  const spotFactor = node.spot ? 1 - prices.spotDiscountFraction : 1;
  const vmUsdPerMonth = (vm?.usdPerHour ?? 0) * prices.hoursPerMonth * spotFactor;
  if (node.kind === "vm") return vmUsdPerMonth;
  const tier = node.storageTier === null ? undefined : storageTierNamed(prices, node.storageTier);
  if (tier === undefined) throw problem(`node ${node.id}: storage tier '${node.storageTier}' is not in price book ${prices.profile}`);
  return vmUsdPerMonth * (1 + tier.replicaVms) + tier.usdPerMonth;
}

function nodeSpeed(node: ModelNode, nodes: readonly ModelNode[], prices: PriceBook): number {
  if (node.kind === "serverless") return prices.serverless.speedFactor;
  const machine = node.kind === "darq-spare" ? nodes.find((other) => other.id === node.hostNode) : node;
  const size = machine?.size ?? null;
  return size === null ? 1 : vmPriceNamed(prices, size)?.speedFactor ?? 1;
}

function compileNodes(input: ModelInput, model: CompiledModel, zones: Map<string, number>): void {
  input.nodes.forEach((node, index) => {
    if (!zones.has(node.zone)) zones.set(node.zone, zones.size);
    model.kind[index] = kindCode[node.kind];
    model.zone[index] = zones.get(node.zone)!;
    model.cores[index] = node.kind === "serverless" && node.cores <= 0 ? input.prices.serverless.instancesMax : node.cores;
    model.speed[index] = nodeSpeed(node, input.nodes, input.prices);
    model.up[index] = node.state === "down" ? 0 : 1;
    model.fixedUsdPerMonth[index] = nodeFixedUsdPerMonth(node, input.prices);
    model.host[index] = node.hostNode === null ? -1 : model.nodeIndex.get(node.hostNode) ?? -1;
    if (node.kind === "darq-spare" && model.host[index] === -1) throw problem(`node ${node.id}: darq-spare needs a known hostNode`);
    if (node.kind !== "darq") return;
    const tier = storageTierNamed(input.prices, node.storageTier ?? "")!;
    model.flushP50Us[index] = tier.flushLatency.p50Us;
    model.flushP99Us[index] = tier.flushLatency.p99Us;
    model.flushesPerSMax[index] = tier.flushesPerSMax ?? Number.POSITIVE_INFINITY;
    model.bytesPerSMax[index] = tier.bytesPerSMax ?? Number.POSITIVE_INFINITY;
    model.usdPerWrite[index] = tier.usdPerWrite;
    model.usdPerGbWritten[index] = tier.usdPerGbWritten;
    model.usdPerGbMonth[index] = tier.usdPerGbMonth;
  });
}

function compileAutomata(input: ModelInput, model: CompiledModel): void {
  input.automata.forEach((automaton, index) => {
    const values = [automaton.stepsPerS, automaton.messagesInPerS, automaton.messagesOutPerS, automaton.computeCoreUsPerStep,
      automaton.logBytesPerS, automaton.logBytes];
    if (!values.every((value) => Number.isFinite(value) && value >= 0)) throw problem(`automaton ${automaton.id}: rates must be finite and ≥ 0`);
    model.steps[index] = automaton.stepsPerS;
    model.messagesIn[index] = automaton.messagesInPerS;
    model.messagesOut[index] = automaton.messagesOutPerS;
    model.workUs[index] = automaton.computeCoreUsPerStep;
    model.logBytesPerS[index] = automaton.logBytesPerS;
    model.logBytes[index] = automaton.logBytes;
    model.externalIn[index] = automaton.messagesInPerS;
  });
}

/** Edges between two distinct automata of the model. Traffic with anything else (clients,
 *  external services) is external input, known from the receiver's messagesInPerS. */
function internalEdges(input: ModelInput, automatonIndex: ReadonlyMap<string, number>): TalkEdge[] {
  return input.talk.filter((edge) => edge.from !== edge.to && automatonIndex.has(edge.from) && automatonIndex.has(edge.to));
}

function compileEdges(edges: readonly TalkEdge[], model: CompiledModel): void {
  edges.forEach((edge, index) => {
    const from = model.automatonIndex.get(edge.from)!;
    const to = model.automatonIndex.get(edge.to)!;
    if (!(Number.isFinite(edge.messagesPerS) && edge.messagesPerS >= 0 && Number.isFinite(edge.bytesPerS) && edge.bytesPerS >= 0)) {
      throw problem(`talk edge ${edge.from} → ${edge.to}: rates must be finite and ≥ 0`);
    }
    model.edgeFrom[index] = from;
    model.edgeTo[index] = to;
    model.edgeMessages[index] = edge.messagesPerS;
    model.edgeBytes[index] = edge.bytesPerS;
    model.externalIn[to] = Math.max(0, model.externalIn[to]! - edge.messagesPerS);
  });
}

/** Groups edge indices by receiving automaton (counting sort, stable). */
function compileIncoming(model: CompiledModel): void {
  const start = model.inEdgeStart;
  for (const to of model.edgeTo) start[to + 1]! += 1;
  for (let index = 1; index < start.length; index++) start[index]! += start[index - 1]!;
  const next = start.slice(0, start.length - 1);
  model.edgeTo.forEach((to, edge) => {
    model.inEdgeList[next[to]!] = edge;
    next[to]! += 1;
  });
}

/** Compiles a ModelInput; an unknown size or tier, or a bad rate, is an argumentInvalid error. */
export function compileModel(input: ModelInput): CompiledModel {
  const nodeCount = input.nodes.length;
  const automatonCount = input.automata.length;
  const nodeIndex = new Map(input.nodes.map((node, index) => [node.id, index]));
  const automatonIndex = new Map(input.automata.map((automaton, index) => [automaton.id, index]));
  if (nodeIndex.size !== nodeCount) throw problem("node ids must be unique");
  if (automatonIndex.size !== automatonCount) throw problem("automaton ids must be unique");
  const perNode = () => new Float64Array(nodeCount);
  const perAutomaton = () => new Float64Array(automatonCount);
  const edges = internalEdges(input, automatonIndex);
  const edgeCount = edges.length;
  const model: CompiledModel = {
    nodeIds: input.nodes.map((node) => node.id), nodeIndex,
    automatonIds: input.automata.map((automaton) => automaton.id), automatonIndex,
    kind: new Uint8Array(nodeCount), zone: new Int32Array(nodeCount), host: new Int32Array(nodeCount),
    cores: perNode(), speed: perNode(), up: new Uint8Array(nodeCount), fixedUsdPerMonth: perNode(),
    flushP50Us: perNode(), flushP99Us: perNode(), flushesPerSMax: perNode(), bytesPerSMax: perNode(),
    usdPerWrite: perNode(), usdPerGbWritten: perNode(), usdPerGbMonth: perNode(),
    steps: perAutomaton(), messagesIn: perAutomaton(), messagesOut: perAutomaton(), workUs: perAutomaton(),
    logBytesPerS: perAutomaton(), logBytes: perAutomaton(), externalIn: perAutomaton(),
    edgeFrom: new Int32Array(edgeCount), edgeTo: new Int32Array(edgeCount),
    edgeMessages: new Float64Array(edgeCount), edgeBytes: new Float64Array(edgeCount),
    inEdgeStart: new Int32Array(automatonCount + 1), inEdgeList: new Int32Array(edgeCount),
    linkP50Us: Float64Array.from(linkClasses, (name) => input.prices.links[name].oneWayLatency.p50Us),
    linkP99Us: Float64Array.from(linkClasses, (name) => input.prices.links[name].oneWayLatency.p99Us),
    linkUsdPerGb: Float64Array.from(linkClasses, (name) => input.prices.links[name].usdPerGb),
    prices: input.prices,
  };
  compileNodes(input, model, new Map());
  compileAutomata(input, model);
  compileEdges(edges, model);
  compileIncoming(model);
  return model;
}
