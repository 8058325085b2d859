// The cloud profile schema: what the simulator's models and the pricing read about one provider.
//
// A profile (azure-2024.json, aws-2024.json) is data built from the project's cloud-pricing
// facts: VM sizes, storage tiers, serverless plans, network links, the catalog store, and the
// billing rules that turn a usage ledger into dollars. Every number is a sourced figure (see
// figure.ts). Unknown keys are rejected everywhere, so a typo is an error, never a silent default.
//
// Units are in the names: `…Us` microseconds, `…Mb`/`…Gib` memory, `…MBps` 10^6 bytes/s,
// `usdPer…` prices. Latencies are distributions (constant, uniform, or lognormal given median and
// p99); network latencies are one-way.

import { Type, type Static } from "@sinclair/typebox";
import { Figure, Sourced, type Plain } from "./figure.ts";

const strict = { additionalProperties: false } as const;
const Text = Type.String({ minLength: 1 });

export const LatencySchema = Type.Union([
  Type.Object({ kind: Type.Literal("constant"), valueUs: Figure }, strict),
  Type.Object({ kind: Type.Literal("uniform"), minUs: Figure, maxUs: Figure }, strict),
  Type.Object({ kind: Type.Literal("lognormal"), medianUs: Figure, p99Us: Figure }, strict),
]);

const VmFamily = Type.Object({
  description: Text,
  /** Work per vCPU-second relative to the profile's baseline family (1 = baseline). */
  speedFactor: Figure,
  acuPerVcpu: Type.Optional(Figure),
}, strict);

const VmSize = Type.Object({
  family: Text,
  vcpu: Figure,
  memoryGib: Figure,
  usdPerHour: Figure,
  networkBandwidthMbps: Type.Optional(Figure),
}, strict);

const Compute = Type.Object({
  baselineFamily: Text,
  /**
   * Core-µs the runtime itself spends per automaton step at baseline speed (decode, append,
   * group commit, send), charged on the step's core beside the automaton's own work. Absent: 0,
   * the runtime is free (a profile states it only where it was measured).
   */
  runtimeStepCoreUs: Type.Optional(Figure),
  /**
   * A DARQ node and its spare compute are one process with one event loop (a live node): while
   * its core runs a step, the DARQ's arriving messages and flush completions wait. Absent: false,
   * the DARQ's handling never waits for the automata's compute.
   */
  darqSpareOneEventLoop: Type.Optional(Sourced(Type.Boolean())),
  families: Type.Record(Type.String(), VmFamily),
  vmSizes: Type.Record(Type.String(), VmSize),
  /** How a VM's running time becomes billed time, per start–stop segment. */
  billing: Type.Object({
    stepSeconds: Figure,
    minimumSeconds: Figure,
    rounding: Sourced(Type.Union([Type.Literal("up"), Type.Literal("down")])),
  }, strict),
  spot: Type.Object({
    /** Typical fraction off the pay-as-you-go price used when pricing spot VMs. */
    discountFraction: Figure,
    discountFractionMax: Figure,
    evictionNoticeUs: Figure,
  }, strict),
}, strict);

const ReplicatedMemory = Type.Object({
  kind: Type.Literal("replicatedMemory"),
  description: Text,
  replicas: Figure,
  writeLatency: LatencySchema,
  readLatency: LatencySchema,
  /** VM price attributed to memory, for the "memoryShare" pricing of this tier. */
  memoryUsdPerGibHour: Figure,
}, strict);

const ManagedDisk = Type.Object({
  kind: Type.Literal("managedDisk"),
  description: Text,
  sizeGib: Figure,
  iopsMax: Figure,
  throughputMBpsMax: Figure,
  usdPerMonth: Figure,
  writeLatency: LatencySchema,
  readLatency: LatencySchema,
  burstIopsMax: Type.Optional(Figure),
  burstThroughputMBpsMax: Type.Optional(Figure),
  burstDurationUsMax: Type.Optional(Figure),
  usdPer10kOperations: Type.Optional(Figure),
}, strict);

const ObjectStore = Type.Object({
  kind: Type.Literal("objectStore"),
  description: Text,
  usdPerGbMonth: Figure,
  usdPer10kWrites: Figure,
  usdPer10kReads: Figure,
  usdPerGbWritten: Type.Optional(Figure),
  usdPerGbRead: Type.Optional(Figure),
  writeLatency: LatencySchema,
  readLatency: LatencySchema,
}, strict);

export const StorageTierSchema = Type.Union([ReplicatedMemory, ManagedDisk, ObjectStore]);

const ServerlessPlan = Type.Object({
  description: Text,
  usdPerGbSecond: Figure,
  usdPerMillionInvocations: Figure,
  billedDurationStepUs: Figure,
  billedDurationMinUs: Figure,
  memoryStepMb: Figure,
  memoryMbMin: Figure,
  memoryMbMax: Figure,
  mbPerGb: Figure,
  freeInvocationsPerMonth: Figure,
  freeGbSecondsPerMonth: Figure,
  coldStart: LatencySchema,
  idleExpiryUs: Figure,
  instancesMax: Figure,
  concurrencyPerInstanceMax: Figure,
  executionTimeoutUsMax: Figure,
  /** Compute speed of one instance (or of one vCPU-equivalent) relative to the baseline family. */
  speedFactor: Figure,
  memoryMbPerVcpu: Type.Optional(Figure),
}, strict);

const Workflows = Type.Object({
  description: Text,
  usdPerStateTransition: Figure,
  freeStateTransitionsPerMonth: Figure,
}, strict);

const Serverless = Type.Object({
  defaultPlan: Text,
  plans: Type.Record(Type.String(), ServerlessPlan),
  workflows: Type.Optional(Workflows),
}, strict);

const Link = Type.Object({
  oneWayLatency: LatencySchema,
  /** Absent: the link is never the bottleneck (the VM's NIC or the sender is). */
  bandwidthBytesPerSecond: Type.Optional(Figure),
  usdPerGb: Figure,
}, strict);

const Network = Type.Object({
  links: Type.Object({ sameProcess: Link, sameVm: Link, sameZone: Link, crossZone: Link }, strict),
  egressUsdPerGb: Figure,
  egressFreeGbPerMonth: Figure,
}, strict);

const Catalog = Type.Object({
  description: Text,
  usdPerMillionReads: Figure,
  usdPerMillionWrites: Figure,
  readLatency: LatencySchema,
  writeLatency: LatencySchema,
}, strict);

export const CloudProfileSchema = Type.Object({
  name: Type.String({ pattern: "^[a-z0-9][a-z0-9-]*$" }),
  provider: Type.Union([Type.Literal("azure"), Type.Literal("aws")]),
  region: Text,
  currency: Type.Literal("USD"),
  /** Version date of the price table; with `name` it identifies the prices a report used. */
  asOf: Text,
  description: Text,
  hoursPerMonth: Figure,
  bytesPerGb: Figure,
  compute: Compute,
  storage: Type.Object({ tiers: Type.Record(Type.String(), StorageTierSchema) }, strict),
  serverless: Serverless,
  network: Network,
  catalog: Catalog,
}, strict);

/** The profile file as written: every figure with its source. */
export type CloudProfileDocument = Static<typeof CloudProfileSchema>;
/** The profile as models read it: plain numbers, frozen. */
export type CloudProfile = Plain<CloudProfileDocument>;

export type Latency = Plain<Static<typeof LatencySchema>>;
export type StorageTier = Plain<Static<typeof StorageTierSchema>>;
export type VmSizeProfile = CloudProfile["compute"]["vmSizes"][string];
export type ServerlessPlanProfile = CloudProfile["serverless"]["plans"][string];
export type NetworkLinkProfile = CloudProfile["network"]["links"]["sameZone"];
