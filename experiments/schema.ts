// The experiment config schema (DESIGN §8): what a researcher may write in an experiment JSON file.
// Every object rejects unknown keys, so a typo is an error rather than a silently ignored knob.
// Each leaf carries an `examples` value and a `description` that config-errors.ts quotes back to
// the user; every object's example is built from its required fields, so it is always valid.
// Absent optional sections mean "off": no faults, no optimizer, no autoscaler, no sweep.
// Units are in the names: `durationS` is seconds (people write it); every other time is an
// integer number of microseconds, the simulator's unit.

import { Type, type Static } from "@sinclair/typebox";
import { identifier, integerIn, numberAbove, numberIn } from "./schema-leaves.ts";
import { workloadSchema } from "./schema-workload.ts";

export { arrivalSchema, workloadSchema } from "./schema-workload.ts";
export type { Arrival, Workload } from "./schema-workload.ts";

/** Policy parameters: a flat map of scalars; each policy validates its own names. */
const policyParams = Type.Record(
  Type.String(),
  Type.Union([Type.Number(), Type.String(), Type.Boolean()], { examples: [0.8], description: "a number, string or boolean" }),
  { additionalProperties: false, examples: [{ targetUtilization: 0.7 }], description: "policy parameters" },
);

const periodUs = (example: number, what: string) => integerIn(1, 86_400_000_000, example, `how often the ${what} runs, in microseconds`);

export const computePoolSchema = Type.Object(
  {
    name: identifier("vm-d8", "pool name, unique in the cluster"),
    kind: Type.Union([Type.Literal("vm"), Type.Literal("serverless"), Type.Literal("darq-spare")], {
      description: "vm: provisioned VMs; serverless: functions; darq-spare: spare cores on DARQ machines",
    }),
    size: Type.Optional(Type.String({ minLength: 1, maxLength: 64, examples: ["D8s_v3"], description: "instance size from the cloud profile (required for vm pools)" })),
    count: integerIn(0, 10_000, 2, "number of nodes (serverless: maximum concurrent instances)"),
    spot: Type.Optional(Type.Boolean({ examples: [false], description: "spot/low-priority VMs (vm pools only)" })),
  },
  { additionalProperties: false, examples: [{ name: "vm-d8", kind: "vm", size: "D8s_v3", count: 2 }] },
);

export const darqPoolSchema = Type.Object(
  {
    name: identifier("darq-ssd", "pool name, unique in the cluster"),
    tier: Type.Union([Type.Literal("hot-replicated"), Type.Literal("ssd"), Type.Literal("blob")], {
      description: "DARQ storage backend: 3-way replicated memory, managed SSD, or blob storage",
    }),
    ssdTier: Type.Optional(Type.String({ minLength: 1, maxLength: 64, examples: ["premium-p30"], description: "managed disk tier (ssd pools only)" })),
    count: integerIn(1, 10_000, 2, "number of DARQ nodes"),
  },
  { additionalProperties: false },
);

export const clusterSchema = Type.Object(
  {
    profile: Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,63}$", examples: ["azure-2024"], description: "cloud price/latency profile" }),
    compute: Type.Array(computePoolSchema, { minItems: 1, maxItems: 64, description: "compute pools" }),
    darq: Type.Array(darqPoolSchema, { minItems: 1, maxItems: 64, description: "DARQ pools" }),
    zones: Type.Optional(
      Type.Array(Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,63}$", examples: ["zone-1"], description: "zone name" }), {
        minItems: 1,
        maxItems: 16,
        uniqueItems: true,
        description: "availability zones; absent means one zone",
      }),
    ),
  },
  { additionalProperties: false },
);

export const placementSchema = Type.Object(
  {
    policy: identifier("round-robin", "placement policy name"),
    params: Type.Optional(policyParams),
    colocation: Type.Optional(
      Type.Union([Type.Literal("none"), Type.Literal("darq"), Type.Literal("darq-and-compute")], {
        default: "none",
        description: "none: every hop crosses DARQs; darq: chained automata share a DARQ; darq-and-compute: and run on its spare cores",
      }),
    ),
  },
  { additionalProperties: false },
);

const managerSchema = (example: string, what: string, periodExampleUs: number) =>
  Type.Object(
    { policy: identifier(example, `${what} policy name`), params: Type.Optional(policyParams), periodUs: Type.Optional(periodUs(periodExampleUs, what)) },
    { additionalProperties: false },
  );

export const objectiveSchema = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal("weighted"),
        params: Type.Object(
          {
            costWeight: numberIn(0, 1e6, 1, "weight of USD/month (lower is better)"),
            throughputWeight: numberIn(0, 1e6, 1, "weight of throughput (higher is better)"),
            latencyWeight: numberIn(0, 1e6, 0, "weight of p99 latency (lower is better)"),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal("min-cost-p99"),
        params: Type.Object({ latencyUsP99Max: integerIn(1, 3_600_000_000, 50_000, "p99 latency bound, microseconds") }, { additionalProperties: false }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal("max-throughput-budget"),
        params: Type.Object({ costUsdPerMonthMax: numberAbove(0, 1e9, 1000, "budget, USD per month") }, { additionalProperties: false }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: "what the optimizer maximises or minimises" },
);

/** Fault kinds a seeded fault model can inject; the simulator's fault model owns their meaning. */
export const faultKinds = ["nodeCrash", "processPause", "networkPartition", "spotPreemption", "tornWrite", "zoneOutage"] as const;
export type FaultKind = (typeof faultKinds)[number];

const faultRate = (kind: string) => Type.Optional(numberIn(0, 3600, 0.5, `${kind} events per hour (0 = never)`));

export const faultsSchema = Type.Object(
  {
    model: Type.Optional(
      Type.Object(
        {
          ratesPerHour: Type.Object(
            {
              nodeCrash: faultRate("node crash"),
              processPause: faultRate("process pause"),
              networkPartition: faultRate("network partition"),
              spotPreemption: faultRate("spot preemption"),
              tornWrite: faultRate("torn write"),
              zoneOutage: faultRate("zone outage"),
            },
            { additionalProperties: false, examples: [{ nodeCrash: 0.5 }], description: "fault rates per hour, by kind" },
          ),
          durationUsMean: Type.Optional(integerIn(1, 86_400_000_000, 5_000_000, "mean length of a transient fault, microseconds")),
        },
        { additionalProperties: false },
      ),
    ),
    schedule: Type.Optional(Type.String({ minLength: 1, examples: ["faults/crash-one-darq.jsonl"], description: "path of a recorded fault schedule (JSONL)" })),
  },
  { additionalProperties: false, description: "absent means no faults" },
);

export const sweepSchema = Type.Object(
  {
    grid: Type.Record(
      Type.String(),
      Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1000, examples: [[1, 10, 100]], description: "values to try at this path" }),
      { additionalProperties: false, minProperties: 1, maxProperties: 16, examples: [{ "workload.computeScale": [1, 10, 100] }], description: "map from a dotted config path to the values to try" },
    ),
    replications: Type.Optional(integerIn(1, 1000, 3, "runs per grid point, each with its own derived seed")),
    seeds: Type.Optional(
      Type.Union([Type.Literal("common"), Type.Literal("per-point")], {
        default: "common",
        description: "common: replication r uses the same seed at every grid point (paired comparisons); per-point: every point gets its own seeds",
      }),
    ),
  },
  { additionalProperties: false },
);

export const outputsSchema = Type.Object(
  {
    trace: Type.Optional(Type.Boolean({ default: false, examples: [true], description: "write a Chrome/Perfetto trace" })),
    timeseriesIntervalUs: Type.Optional(integerIn(1, 86_400_000_000, 1_000_000, "time-series sampling interval, microseconds")),
  },
  { additionalProperties: false },
);

export const pricingSchema = Type.Object(
  {
    utilisation: Type.Optional(numberIn(0.001, 1, 0.1, "fraction of the month the system runs at the measured load; scales usage-priced lines (blob requests, GB-s, bytes moved), never provisioned ones (default 1: peak all month)")),
  },
  { additionalProperties: false, description: "how the run's usage is priced per month" },
);

/** Longest run a config may ask for: 30 days of virtual time. */
export const durationSMax = 30 * 86_400;

export const experimentSchema = Type.Object(
  {
    name: identifier("pi-chain-baseline", "experiment name (results go to results/<name>/)"),
    description: Type.Optional(Type.String({ maxLength: 4000, examples: ["what this experiment shows"], description: "free text" })),
    seed: Type.Union([Type.String({ minLength: 1, maxLength: 128, examples: ["seed-1"] }), Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, examples: [42] })], {
      examples: [42],
      description: "root seed: a non-negative integer or a non-empty string",
    }),
    mode: Type.Union([Type.Literal("sim"), Type.Literal("live")], { description: "sim: discrete-event simulator; live: real processes" }),
    durationS: numberAbove(0, durationSMax, 60, "run length in seconds (virtual time in sim mode)"),
    workload: workloadSchema,
    cluster: clusterSchema,
    placement: placementSchema,
    optimizer: Type.Optional(managerSchema("greedy-cost", "optimizer", 10_000_000)),
    autoscaler: Type.Optional(managerSchema("target-utilization", "autoscaler", 60_000_000)),
    objective: Type.Optional(objectiveSchema),
    faults: Type.Optional(faultsSchema),
    sweep: Type.Optional(sweepSchema),
    outputs: Type.Optional(outputsSchema),
    pricing: Type.Optional(pricingSchema),
  },
  { additionalProperties: false },
);

export type Experiment = Static<typeof experimentSchema>;
export type ComputePool = Static<typeof computePoolSchema>;
export type DarqPool = Static<typeof darqPoolSchema>;
export type Cluster = Static<typeof clusterSchema>;
export type Placement = Static<typeof placementSchema>;
export type Objective = Static<typeof objectiveSchema>;
export type Faults = Static<typeof faultsSchema>;
export type Sweep = Static<typeof sweepSchema>;
export type Pricing = Static<typeof pricingSchema>;

/** The run length in integer microseconds (the simulator's time unit). */
export function experimentDurationUs(experiment: Pick<Experiment, "durationS">): number {
  return Math.round(experiment.durationS * 1_000_000);
}
