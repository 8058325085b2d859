// The workload half of the experiment schema: which application runs and how its requests arrive.
// `workload` is a union discriminated on `kind`; each kind names the rate its arrival process
// modulates (arrivalsPerS, eventsPerS, framesPerS, messagesPerS). The arrival process only
// shapes that rate over time, so one arrival block means the same thing under every workload.
// The workloads/ folder owns the behaviour; this file only says what a config may ask for.

import { Type, type Static } from "@sinclair/typebox";
import { integerIn, numberAbove, numberIn } from "./schema-leaves.ts";

const dayUs = 86_400_000_000;

const constantArrival = Type.Object(
  { kind: Type.Literal("constant") },
  { additionalProperties: false, description: "evenly spaced arrivals at the workload's rate" },
);

const poissonArrival = Type.Object(
  { kind: Type.Literal("poisson") },
  { additionalProperties: false, description: "exponential inter-arrival times at the workload's mean rate" },
);

const burstyArrival = Type.Object(
  {
    kind: Type.Literal("bursty"),
    burstMultiplier: numberAbove(1, 1e6, 10, "rate during a burst, as a multiple of the workload's rate"),
    burstDurationUs: integerIn(1, dayUs, 1_000_000, "mean length of a burst, microseconds"),
    burstPeriodUs: integerIn(1, dayUs, 60_000_000, "mean time from one burst start to the next, microseconds"),
  },
  { additionalProperties: false, description: "Poisson arrivals with on/off bursts" },
);

const diurnalArrival = Type.Object(
  {
    kind: Type.Literal("diurnal"),
    amplitude: numberIn(0, 1, 0.5, "rate swings between (1 - amplitude) and (1 + amplitude) times the workload's rate"),
    periodUs: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 30 * dayUs, default: dayUs, examples: [dayUs], description: "length of one cycle, microseconds (default one day)" }),
    ),
    peakAtUs: Type.Optional(integerIn(0, 30 * dayUs, 0, "offset of the first peak from the start, microseconds")),
  },
  { additionalProperties: false, description: "Poisson arrivals whose rate follows a sine wave" },
);

const traceArrival = Type.Object(
  {
    kind: Type.Literal("trace"),
    path: Type.String({ minLength: 1, maxLength: 4096, examples: ["traces/arrivals.csv"], description: "file of arrival times, relative to the experiment file" }),
    timeScale: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1e6, default: 1, examples: [1], description: "multiplies the recorded inter-arrival times" }),
    ),
    loop: Type.Optional(Type.Boolean({ default: false, examples: [false], description: "start the trace again when it runs out" })),
  },
  { additionalProperties: false, description: "arrival times replayed from a recorded trace" },
);

export const arrivalSchema = Type.Union([constantArrival, poissonArrival, burstyArrival, diurnalArrival, traceArrival], {
  description: "how requests arrive over time",
});

const piChain = Type.Object(
  {
    kind: Type.Literal("pi-chain"),
    chainCount: integerIn(1, 1_000_000, 8, "number of independent chains"),
    computeScale: numberAbove(0, 1e6, 10, "compute scale factor c: work per step, as in the paper"),
    chainHops: Type.Optional(integerIn(1, 1e9, 1000, "steps per chain; absent means chains run until the end")),
    messageBytes: Type.Optional(integerIn(1, 16 * 1024 * 1024, 256, "bytes per message")),
    arrival: Type.Optional(arrivalSchema),
  },
  { additionalProperties: false, description: "chains of pi computations, each step enqueued to the next DARQ (paper §4.4); without arrival, all chains start at time 0" },
);

const travelSaga = Type.Object(
  {
    kind: Type.Literal("travel-saga"),
    arrivalsPerS: numberAbove(0, 1e7, 100, "bookings per second"),
    services: integerIn(1, 32, 3, "services each booking reserves (flight, hotel, car, ...)"),
    failureChance: numberIn(0, 1, 0.01, "chance that one reservation fails and the saga compensates"),
    arrival: arrivalSchema,
  },
  { additionalProperties: false, description: "a booking saga across services, with compensation" },
);

const streamPipeline = Type.Object(
  {
    kind: Type.Literal("stream-pipeline"),
    eventsPerS: numberAbove(0, 1e8, 10_000, "events per second, summed over regions"),
    regions: integerIn(1, 64, 3, "regions that produce events"),
    keys: integerIn(1, 10_000_000, 1000, "distinct keys (one aggregating automaton per key)"),
    windowUs: integerIn(1, dayUs, 1_000_000, "aggregation window, microseconds"),
    arrival: arrivalSchema,
  },
  { additionalProperties: false, description: "windowed aggregation of events from several regions" },
);

const monitoring = Type.Object(
  {
    kind: Type.Literal("monitoring"),
    streams: integerIn(1, 100_000, 16, "monitored streams"),
    framesPerS: numberAbove(0, 1e4, 30, "frames per second per stream"),
    detectors: integerIn(1, 64, 2, "detectors each frame passes through"),
    deployment: Type.Union([Type.Literal("function-blob"), Type.Literal("co-located")], {
      description: "function-blob: functions pass frames through blob storage; co-located: one process per stream",
    }),
    arrival: arrivalSchema,
  },
  { additionalProperties: false, description: "video monitoring: frames through a chain of detectors" },
);

const synthetic = Type.Object(
  {
    kind: Type.Literal("synthetic"),
    automata: integerIn(1, 10_000_000, 1000, "number of automata"),
    messagesPerS: numberAbove(0, 1e8, 5000, "messages per second across all automata"),
    idleFraction: numberIn(0, 0.999, 0.5, "fraction of automata that receive no traffic at a time"),
    phaseSwitchS: Type.Optional(numberAbove(0, 1e9, 30, "seconds after the first arrival when requests switch to a ring across groups (who talks to whom changes)")),
    arrival: arrivalSchema,
  },
  { additionalProperties: false, description: "many automata exchanging messages, some idle" },
);

export const workloadSchema = Type.Union([piChain, travelSaga, streamPipeline, monitoring, synthetic], {
  description: "the application to run",
});

export type Arrival = Static<typeof arrivalSchema>;
export type Workload = Static<typeof workloadSchema>;
export type WorkloadKind = Workload["kind"];
export type ArrivalKind = Arrival["kind"];
