// The cluster spec: DIR/cluster.json, written once by the launcher (`ssms cluster up`) and read
// by every node process at boot, by the driver of a live experiment and by the chaos controller.
// It is plain data, validated once (unknown keys rejected, every problem named with its path) and
// then frozen, so a hand-edited file that is wrong fails at boot with a sentence, not later.
//
// Layout of a live cluster on one machine:
// - one OS process per node. A "darq" node hosts a physical DARQ (file log with fdatasync group
//   commit) and a compute node on the same process (the paper's spare cores of a DARQ machine:
//   co-located processors call the DARQ in-process); a "compute" node only runs processors,
//   which reach their DARQs over the transport.
// - node-to-node traffic over TransportTcp on `transportPort`; the fastify API on `apiPort`.
// - the driver (a live experiment, the SIGKILL test, a benchmark) joins as the process "driver"
//   on `driverPort`: it hosts the external sink and the producers of external arrivals.
// - `links`, when present, routes each ordered pair of processes through the chaos controller's
//   loopback proxy (live/chaos/link-proxy.ts) so that delays and network partitions can be
//   applied; absent, processes connect directly.
// The catalog is one SQLite file shared by the node processes (WAL mode; see live/README.md for
// why) or a PostgreSQL database.

import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Workload } from "../../experiments/schema-workload.ts";
import type { WorkloadTuning } from "../../workloads/index.ts";

export const clusterSpecFormat = "ssms-cluster";

const strict = { additionalProperties: false } as const;
const NodeName = Type.String({ pattern: "^[a-z][a-z0-9]{0,31}$" });
const Port = Type.Integer({ minimum: 1, maximum: 65_535 });
const Scalars = Type.Record(Type.String(), Type.Union([Type.Number(), Type.Boolean()]));

const NodeSpecSchema = Type.Object({
  name: NodeName,
  role: Type.Union([Type.Literal("darq"), Type.Literal("compute")]),
  transportPort: Port,
  apiPort: Port,
}, strict);

const CatalogSpecSchema = Type.Union([
  Type.Object({ kind: Type.Literal("sqlite"), path: Type.String({ minLength: 1 }) }, strict),
  Type.Object({ kind: Type.Literal("postgres"), url: Type.String({ minLength: 1 }), schema: Type.String({ pattern: "^[a-z_][a-z0-9_]{0,62}$" }) }, strict),
]);

const PlacementSchema = Type.Union([
  Type.Object({ policy: Type.Literal("round-robin") }, strict),
  Type.Object({ policy: Type.Literal("hash") }, strict),
  Type.Object({
    policy: Type.Literal("groups"),
    colocation: Type.Union([Type.Literal("none"), Type.Literal("darq"), Type.Literal("darq-and-compute")]),
  }, strict),
  Type.Object({
    policy: Type.Literal("static"),
    types: Type.Record(Type.String(), Type.Object({ compute: Type.String(), darq: Type.String() }, strict)),
  }, strict),
]);

/** A workload whose automaton definitions every node serves (config as in an experiment). */
const WorkloadSpecSchema = Type.Object({
  workload: Type.Object({ kind: Type.String({ minLength: 1 }) }, { additionalProperties: true }),
  tuning: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
}, strict);

export const ClusterSpecSchema = Type.Object({
  format: Type.Literal(clusterSpecFormat),
  version: Type.Literal(1),
  /** Interface every process listens on; 127.0.0.1 unless configured. */
  listenHost: Type.String({ minLength: 1 }),
  catalog: CatalogSpecSchema,
  metadataNode: NodeName,
  nodes: Type.Array(NodeSpecSchema, { minItems: 1, maxItems: 64 }),
  driverPort: Port,
  links: Type.Optional(Type.Record(Type.String({ pattern: "^[a-z][a-z0-9]*>[a-z][a-z0-9]*$" }), Port)),
  workloads: Type.Array(WorkloadSpecSchema, { maxItems: 8 }),
  placement: PlacementSchema,
  darq: Type.Optional(Scalars),
  hostConfig: Type.Optional(Scalars),
  detector: Type.Object({
    heartbeatUs: Type.Integer({ minimum: 10_000, maximum: 60_000_000 }),
    downAfterUs: Type.Integer({ minimum: 50_000, maximum: 600_000_000 }),
  }, strict),
  seed: Type.String({ minLength: 1, maxLength: 128 }),
}, strict);

/** A workload as an experiment config writes it, with the drivers' tuning (checked when built). */
export type WorkloadSpec = { readonly workload: Workload; readonly tuning?: WorkloadTuning };
export type ClusterSpec = Omit<Static<typeof ClusterSpecSchema>, "workloads"> & { readonly workloads: readonly WorkloadSpec[] };
export type NodeSpec = ClusterSpec["nodes"][number];
export type CatalogSpec = ClusterSpec["catalog"];

/** The driver's process id and its fixed addresses (the nodes' address books name them). */
export const driverProcess = "driver";
export const driverAddresses = ["sink", "driver~send", "driver~req", "driver~client"] as const;

/** The compute node a process runs: `<name>-c` beside a DARQ, or the process's own name. */
export function computeNodeOf(node: Pick<NodeSpec, "name" | "role">): string {
  return node.role === "darq" ? `${node.name}-c` : node.name;
}

/** Every transport address a node process listens on (so every book can route to it). */
export function addressesOfProcess(node: Pick<NodeSpec, "name" | "role">): string[] {
  const compute = computeNodeOf(node);
  const own = [`${node.name}~ctl`, `${node.name}~hb`, `${node.name}~boot`, `${node.name}~api`, `${node.name}~apisend`,
    `${node.name}~apireq`, `${node.name}~fd`, `${node.name}~ctlc`, `${compute}~proc`, `${compute}~req`];
  return node.role === "darq" ? [node.name, `${node.name}~proc`, `${node.name}~req`, ...own] : own;
}

/** The node process that runs node id `nodeId` (a DARQ node or a compute node), if any. */
export function processOfNode(spec: ClusterSpec, nodeId: string): NodeSpec | undefined {
  return spec.nodes.find((node) => node.name === nodeId || computeNodeOf(node) === nodeId);
}

export function endpointOf(spec: ClusterSpec, port: number): string {
  return spec.listenHost.includes(":") ? `[${spec.listenHost}]:${port}` : `${spec.listenHost}:${port}`;
}

/**
 * The address book of process `self` (a node name or "driver"): every other process's addresses,
 * through the chaos proxy's link port when the spec has links, else directly.
 */
export function addressBookOf(spec: ClusterSpec, self: string): Record<string, string> {
  const book: Record<string, string> = {};
  for (const node of spec.nodes) {
    if (node.name === self) continue;
    const linkPort = self === driverProcess ? undefined : spec.links?.[`${self}>${node.name}`];
    const endpoint = endpointOf(spec, linkPort ?? node.transportPort);
    for (const address of addressesOfProcess(node)) book[address] = endpoint;
  }
  if (self !== driverProcess) for (const address of driverAddresses) book[address] = endpointOf(spec, spec.driverPort);
  return book;
}

/** Checks a parsed cluster.json; throws SsmsError(configInvalid) naming every problem. */
export function clusterSpecCheck(value: unknown, origin: string): ClusterSpec {
  const problems: string[] = [];
  for (const error of Value.Errors(ClusterSpecSchema, value)) problems.push(`${error.path || "/"}: ${error.message}`);
  if (problems.length === 0) problems.push(...referenceProblems(value as ClusterSpec));
  if (problems.length > 0) {
    throw new SsmsError(ErrorCode.configInvalid, `cluster spec ${origin} is invalid: ${problems.slice(0, 20).join("; ")}`, { problems });
  }
  return deepFreeze(structuredClone(value as ClusterSpec));
}

function referenceProblems(spec: ClusterSpec): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const ports = new Set<number>([spec.driverPort]);
  spec.nodes.forEach((node, index) => {
    if (names.has(node.name) || node.name === driverProcess) problems.push(`/nodes/${index}/name: '${node.name}' is used twice or reserved`);
    names.add(node.name);
    for (const port of [node.transportPort, node.apiPort]) {
      if (ports.has(port)) problems.push(`/nodes/${index}: port ${port} is used twice`);
      ports.add(port);
    }
  });
  const metadata = spec.nodes.find((node) => node.name === spec.metadataNode);
  if (metadata?.role !== "darq") problems.push(`/metadataNode: '${spec.metadataNode}' must name a node with role darq`);
  for (const key of Object.keys(spec.links ?? {})) {
    const [source, target] = key.split(">");
    if (!names.has(source!) || !names.has(target!) || source === target) problems.push(`/links/${key}: must join two different nodes`);
  }
  if (spec.detector.downAfterUs < 2 * spec.detector.heartbeatUs) problems.push("/detector/downAfterUs: must be at least two heartbeats");
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
