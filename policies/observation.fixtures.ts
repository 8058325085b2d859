// Hand-built observations for the policies' tests: a small price book with round numbers (so
// expected values can be worked out by hand in the tests) and builders with quiet defaults that a
// test overrides only where it makes its point.

import { decisionCheck } from "./decision-check.ts";
import type { Decision } from "./decision.ts";
import { observationIndex, type AutomatonObservation, type NodeObservation, type Observation, type PoolObservation, type TalkEdge } from "./observation.ts";
import type { PriceBook } from "./price-book.ts";

const latency = (p50Us: number, p99Us: number) => ({ p50Us, p99Us });

/** Round-number prices: VMs at 0.05 USD per vCPU-hour, a 1e9-byte GB, a 730-hour month. */
export const testPrices: PriceBook = Object.freeze<PriceBook>({
  profile: "test-book",
  asOf: "2024-01-01",
  hoursPerMonth: 730,
  bytesPerGb: 1e9,
  spotDiscountFraction: 0.5,
  vmSizes: {
    vm2: { family: "general", vcpu: 2, memoryGib: 8, usdPerHour: 0.1, speedFactor: 1 },
    vm4: { family: "general", vcpu: 4, memoryGib: 16, usdPerHour: 0.2, speedFactor: 1 },
    vm8: { family: "general", vcpu: 8, memoryGib: 32, usdPerHour: 0.4, speedFactor: 1 },
    fast4: { family: "fast", vcpu: 4, memoryGib: 8, usdPerHour: 0.3, speedFactor: 2 },
  },
  storageTiers: {
    mem: { kind: "replicatedMemory", flushLatency: latency(100, 200), flushesPerSMax: null, bytesPerSMax: null, usdPerMonth: 0, usdPerGbMonth: 0, usdPerWrite: 0, usdPerGbWritten: 0, replicaVms: 2 },
    disk: { kind: "managedDisk", flushLatency: latency(1000, 3000), flushesPerSMax: 500, bytesPerSMax: 100e6, usdPerMonth: 20, usdPerGbMonth: 0, usdPerWrite: 0, usdPerGbWritten: 0, replicaVms: 0 },
    fastdisk: { kind: "managedDisk", flushLatency: latency(500, 1000), flushesPerSMax: 5000, bytesPerSMax: 200e6, usdPerMonth: 100, usdPerGbMonth: 0, usdPerWrite: 0, usdPerGbWritten: 0, replicaVms: 0 },
    blob: { kind: "objectStore", flushLatency: latency(30_000, 150_000), flushesPerSMax: null, bytesPerSMax: null, usdPerMonth: 0, usdPerGbMonth: 0.02, usdPerWrite: 5.5e-6, usdPerGbWritten: 0, replicaVms: 0 },
  },
  serverless: {
    plan: "functions", usdPerGbSecond: 1.6667e-5, usdPerInvocation: 2e-7, billedDurationStepUs: 1000, billedDurationMinUs: 0,
    memoryMb: 1024, mbPerGb: 1024, coldStart: latency(200_000, 1_500_000), idleExpiryUs: 600_000_000, instancesMax: 1000, speedFactor: 1,
  },
  links: {
    sameProcess: { oneWayLatency: latency(0, 0), bandwidthBytesPerS: null, usdPerGb: 0 },
    sameVm: { oneWayLatency: latency(15, 50), bandwidthBytesPerS: null, usdPerGb: 0 },
    sameZone: { oneWayLatency: latency(50, 150), bandwidthBytesPerS: 1.25e9, usdPerGb: 0 },
    crossZone: { oneWayLatency: latency(300, 600), bandwidthBytesPerS: 1.25e9, usdPerGb: 0.02 },
  },
  catalogWrite: latency(2000, 5000),
});

export function automatonAt(id: string, computeNode: string | null, darqNode: string | null, overrides: Partial<AutomatonObservation> = {}): AutomatonObservation {
  return {
    id, type: id.split("/")[0] ?? id,
    messagesInPerS: 0, messagesOutPerS: 0, stepsPerS: 0,
    stepLatencyUsP50: 0, stepLatencyUsP99: 0, computeCoreUsPerStep: 100,
    bytesInPerS: 0, bytesOutPerS: 0, logBytesPerS: 0, logBytes: 0, backlogMessages: 0,
    placement: { computeNode, darqNode }, placedAtUs: 0, idleSinceUs: null, pending: false, standbys: [], mergedInto: null,
    ...overrides,
  };
}

/** An automaton stepping `stepsPerS`, one message in and one out per step, 100 bytes each. */
export function busyAutomaton(id: string, computeNode: string | null, darqNode: string | null, stepsPerS: number, overrides: Partial<AutomatonObservation> = {}): AutomatonObservation {
  return automatonAt(id, computeNode, darqNode, {
    stepsPerS, messagesInPerS: stepsPerS, messagesOutPerS: stepsPerS,
    bytesInPerS: 100 * stepsPerS, bytesOutPerS: 100 * stepsPerS, logBytesPerS: 300 * stepsPerS, logBytes: 10_000,
    ...overrides,
  });
}

export function vmNode(id: string, overrides: Partial<NodeObservation> = {}): NodeObservation {
  return {
    id, kind: "vm", pool: "vms", size: "vm4", storageTier: null, zone: "z1", cores: 4, hostNode: null, spot: false,
    utilisation: 0, costUsdPerHour: 0.2, state: "up", failuresPerHour: 0, ...overrides,
  };
}

export function darqNode(id: string, overrides: Partial<NodeObservation> = {}): NodeObservation {
  return {
    id, kind: "darq", pool: "darqs", size: "vm4", storageTier: "mem", zone: "z1", cores: 0, hostNode: null, spot: false,
    utilisation: 0, costUsdPerHour: 0.6, state: "up", failuresPerHour: 0, ...overrides,
  };
}

export function spareNode(id: string, hostNode: string, overrides: Partial<NodeObservation> = {}): NodeObservation {
  return {
    id, kind: "darq-spare", pool: "spares", size: null, storageTier: null, zone: "z1", cores: 2, hostNode, spot: false,
    utilisation: 0, costUsdPerHour: 0, state: "up", failuresPerHour: 0, ...overrides,
  };
}

export function serverlessNode(id: string, overrides: Partial<NodeObservation> = {}): NodeObservation {
  return {
    id, kind: "serverless", pool: "functions", size: null, storageTier: null, zone: "z1", cores: 1000, hostNode: null, spot: false,
    utilisation: 0, costUsdPerHour: 0, state: "up", failuresPerHour: 0, ...overrides,
  };
}

export function edge(from: string, to: string, messagesPerS: number, bytesPerS = 100 * messagesPerS): TalkEdge {
  return { from, to, messagesPerS, bytesPerS };
}

/** Pools derived from the nodes (one per pool name), unless given. */
function poolsOf(nodes: readonly NodeObservation[]): PoolObservation[] {
  const pools = new Map<string, PoolObservation>();
  for (const node of nodes) {
    const held = pools.get(node.pool);
    const count = (held?.count ?? 0) + 1;
    pools.set(node.pool, {
      name: node.pool, role: node.kind === "darq" ? "darq" : "compute", kind: node.kind, size: node.size, storageTier: node.storageTier,
      count: node.kind === "serverless" ? node.cores : count,
    });
  }
  return [...pools.values()];
}

export function observationOf(parts: {
  automata: readonly AutomatonObservation[];
  nodes: readonly NodeObservation[];
  talk?: readonly TalkEdge[];
  pools?: readonly PoolObservation[];
  windowEndUs?: number;
  windowUs?: number;
}): Observation {
  const windowEndUs = parts.windowEndUs ?? 600_000_000;
  return {
    windowStartUs: windowEndUs - (parts.windowUs ?? 10_000_000),
    windowEndUs,
    automata: parts.automata,
    nodes: parts.nodes,
    pools: parts.pools ?? poolsOf(parts.nodes),
    talk: parts.talk ?? [],
    spend: null,
    prices: testPrices,
  };
}

/** What decisionCheck says about each decision that does not fit the observation (none: []). */
export function decisionProblems(observation: Observation, decisions: readonly Decision[]): string[] {
  const index = observationIndex(observation);
  const problems: string[] = [];
  for (const decision of decisions) {
    const result = decisionCheck(index, decision);
    if (!result.ok) problems.push(result.reason);
  }
  return problems;
}
