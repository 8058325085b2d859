// The simulated cluster's configuration: plain data, validated once (unknown keys rejected, every
// problem reported with its path, cross-references checked against each other and against the
// cloud profile), then frozen (STYLE 12). Defaults mean "no faults": a reliable network, a
// catalog with the profile's latency, nodes that never crash unless a test crashes them.
//
//   { seed, profile,
//     darqNodes:    [{ name, tier, zone, vmSize? }]          tier: hot-replicated | ssd | blob, or
//                                                          a tier name of the profile
//     computeNodes: [{ name, kind, size?, zone?, darqNode?, cores?, spot? }]
//                   kind vm (size: a VM size of the profile), serverless (the profile's default
//                   plan), darq-spare (the spare cores of darqNode's machine, `cores` of them)
//     placement:    { policy: "round-robin" | "hash" } | { policy: "static", types: {type: {compute, darq}} }
//     catalogLatency?: "profile" | "none" | { minUs, maxUs }
//     metadataDarqNode?, darq?, host?, metadataHost?, failureDetectUs?, externalTypes?, network?, eventsMax?, timeUsMax? }

import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { CloudProfile } from "../profiles/schema.ts";
import { vmSizeKey } from "../profiles/lookup.ts";

const strict = { additionalProperties: false } as const;
const Name = Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_.:-]+$" });
const Count = Type.Integer({ minimum: 0 });

const DarqNodeSchema = Type.Object({
  name: Name,
  tier: Type.String({ minLength: 1 }),
  zone: Type.String({ minLength: 1 }),
  vmSize: Type.Optional(Type.String({ minLength: 1 })),
}, strict);

const ComputeNodeSchema = Type.Object({
  name: Name,
  kind: Type.Union([Type.Literal("vm"), Type.Literal("serverless"), Type.Literal("darq-spare")]),
  size: Type.Optional(Type.String({ minLength: 1 })),
  zone: Type.Optional(Type.String({ minLength: 1 })),
  darqNode: Type.Optional(Name),
  cores: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
  /** vm only: a spot VM, which spotPreempt faults may evict. */
  spot: Type.Optional(Type.Boolean()),
}, strict);

const PlacementSchema = Type.Union([
  Type.Object({ policy: Type.Literal("round-robin") }, strict),
  Type.Object({ policy: Type.Literal("hash") }, strict),
  Type.Object({
    policy: Type.Literal("static"),
    types: Type.Record(Type.String(), Type.Object({ compute: Type.String(), darq: Type.String() }, strict)),
  }, strict),
]);

export const SimClusterConfigSchema = Type.Object({
  seed: Type.String({ minLength: 1 }),
  profile: Type.String({ minLength: 1 }),
  darqNodes: Type.Array(DarqNodeSchema, { minItems: 1 }),
  computeNodes: Type.Array(ComputeNodeSchema, { minItems: 1 }),
  placement: PlacementSchema,
  catalogLatency: Type.Optional(Type.Union([
    Type.Literal("profile"), Type.Literal("none"),
    Type.Object({ minUs: Count, maxUs: Count }, strict),
  ])),
  metadataDarqNode: Type.Optional(Name),
  darq: Type.Optional(Type.Record(Type.String(), Type.Number())),
  host: Type.Optional(Type.Record(Type.String(), Type.Number())),
  /** Host config of the metadata automaton's worker (e.g. a longer snapshotEverySteps at scale). */
  metadataHost: Type.Optional(Type.Record(Type.String(), Type.Number())),
  failureDetectUs: Type.Optional(Count),
  externalTypes: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  network: Type.Optional(Type.Object({
    lossRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    duplicateRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    reorderJitterUs: Type.Optional(Count),
  }, strict)),
  eventsMax: Type.Optional(Type.Integer({ minimum: 1 })),
  timeUsMax: Type.Optional(Type.Integer({ minimum: 1 })),
}, strict);

export type SimClusterConfig = Static<typeof SimClusterConfigSchema>;
export type DarqNodeConfig = SimClusterConfig["darqNodes"][number];
export type ComputeNodeConfig = SimClusterConfig["computeNodes"][number];

/** Generic tier names and the profile tier kind each maps to (the first tier of that kind). */
const tierKinds = { "hot-replicated": "replicatedMemory", ssd: "managedDisk", blob: "objectStore" } as const;

/** The profile's storage tier a node's `tier` names, or undefined. */
export function tierNameOf(profile: CloudProfile, tier: string): string | undefined {
  if (Object.hasOwn(profile.storage.tiers, tier)) return tier;
  const kind = (tierKinds as Record<string, string | undefined>)[tier];
  if (kind === undefined) return undefined;
  return Object.keys(profile.storage.tiers).find((name) => profile.storage.tiers[name]!.kind === kind);
}

/** Checks a config; throws SsmsError(configInvalid) listing every problem with its path. */
export function clusterConfigCheck(config: unknown, profileOf: (name: string) => CloudProfile): SimClusterConfig {
  const problems: string[] = [];
  for (const error of Value.Errors(SimClusterConfigSchema, config)) problems.push(`${error.path || "/"}: ${error.message}`);
  if (problems.length === 0) problems.push(...referenceProblems(config as SimClusterConfig, profileOf));
  if (problems.length > 0) {
    throw new SsmsError(ErrorCode.configInvalid, `invalid simulated cluster configuration: ${problems.join("; ")}`,
      { problems });
  }
  return Object.freeze(structuredClone(config as SimClusterConfig));
}

function referenceProblems(config: SimClusterConfig, profileOf: (name: string) => CloudProfile): string[] {
  let profile: CloudProfile;
  try {
    profile = profileOf(config.profile);
  } catch (error) {
    return [`/profile: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  const names = new Set<string>();
  const darqNames = new Set(config.darqNodes.map((node) => node.name));
  const unique = (name: string, path: string): void => {
    if (names.has(name)) problems.push(`${path}/name: node name '${name}' is used twice`);
    names.add(name);
  };
  config.darqNodes.forEach((node, index) => {
    unique(node.name, `/darqNodes/${index}`);
    if (tierNameOf(profile, node.tier) === undefined) {
      problems.push(`/darqNodes/${index}/tier: '${node.tier}' is neither hot-replicated, ssd, blob nor a tier of ${profile.name} (${Object.keys(profile.storage.tiers).join(", ")})`);
    }
    if (node.vmSize !== undefined && vmSizeKey(profile, node.vmSize) === undefined) {
      problems.push(`/darqNodes/${index}/vmSize: '${node.vmSize}' is not a VM size of ${profile.name}`);
    }
  });
  config.computeNodes.forEach((node, index) => {
    const path = `/computeNodes/${index}`;
    unique(node.name, path);
    if (node.kind === "vm" && (node.size === undefined || vmSizeKey(profile, node.size) === undefined)) {
      problems.push(`${path}/size: a vm needs a VM size of ${profile.name} (${Object.keys(profile.compute.vmSizes).join(", ")})`);
    }
    if (node.kind === "darq-spare" && (node.darqNode === undefined || !darqNames.has(node.darqNode))) {
      problems.push(`${path}/darqNode: darq-spare must name one of the darqNodes`);
    }
    if (node.kind !== "darq-spare" && node.darqNode !== undefined) problems.push(`${path}/darqNode: only darq-spare nodes sit on a DARQ node`);
    if (node.kind !== "darq-spare" && node.zone === undefined) problems.push(`${path}/zone: required for ${node.kind} nodes`);
    if (node.spot === true && node.kind !== "vm") problems.push(`${path}/spot: only vm nodes can be spot VMs`);
  });
  if (config.metadataDarqNode !== undefined && !darqNames.has(config.metadataDarqNode)) {
    problems.push(`/metadataDarqNode: '${config.metadataDarqNode}' is not one of the darqNodes`);
  }
  const latency = config.catalogLatency;
  if (typeof latency === "object" && latency.maxUs < latency.minUs) problems.push("/catalogLatency/maxUs: must be ≥ minUs");
  return problems;
}
