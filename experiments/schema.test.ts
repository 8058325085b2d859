// The schema's examples are valid, every example config validates, and the hand-written walk in
// config-walk.ts agrees with TypeBox's Value.Check on thousands of randomly broken configs.

import test from "ava";
import fc from "fast-check";
import { Kind, type TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { validateExperiment } from "./config-errors.ts";
import { exampleOf } from "./config-describe.ts";
import { schemaProblems } from "./config-rules.ts";
import { cloneJson, isPlainObject } from "./config-path.ts";
import { exampleExperiment, exampleSweepExperiment } from "./schema-examples.ts";
import { experimentDurationUs, experimentSchema } from "./schema.ts";

const workloadKinds = ["pi-chain", "travel-saga", "stream-pipeline", "monitoring", "synthetic"] as const;

test("each example experiment validates, with and without a sweep", (t) => {
  for (const kind of workloadKinds) {
    const result = validateExperiment(exampleExperiment(kind), `example-${kind}`);
    t.true(result.ok, result.ok ? kind : result.reason);
  }
  const sweep = validateExperiment(exampleSweepExperiment(), "sweep");
  t.true(sweep.ok, sweep.ok ? "" : sweep.reason);
});

function eachSubSchema(schema: TSchema, visit: (schema: TSchema) => void): void {
  visit(schema);
  for (const key of ["properties", "patternProperties"]) {
    if (isPlainObject(schema[key])) for (const child of Object.values(schema[key] as Record<string, TSchema>)) eachSubSchema(child, visit);
  }
  if (schema["items"] !== undefined) eachSubSchema(schema["items"] as TSchema, visit);
  if (Array.isArray(schema["anyOf"])) for (const child of schema["anyOf"] as TSchema[]) eachSubSchema(child, visit);
}

test("the example quoted for every part of the schema is itself valid there", (t) => {
  let count = 0;
  eachSubSchema(experimentSchema, (schema) => {
    count++;
    t.true(Value.Check(schema, exampleOf(schema)), `example ${JSON.stringify(exampleOf(schema))} fails a ${String(schema[Kind])} schema`);
  });
  t.true(count > 100, "the walk visits the whole schema");
});

test("the example of the whole schema is a valid experiment", (t) => {
  const result = validateExperiment(exampleOf(experimentSchema), "schema example");
  t.true(result.ok, result.ok ? "" : result.reason);
});

/** Collects every path of a JSON value, so a mutation can target any of them. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...prefix, index], out));
  else if (isPlainObject(value)) for (const key of Object.keys(value)) pathsOf(value[key], [...prefix, key], out);
  return out;
}

const jsonValue = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 1e12, "", "x", "ssd", "poisson", "vm", true, null, [], {}, { kind: "poisson" }, [1], "Bad Name"),
  fc.integer({ min: -5, max: 100_000 }),
  fc.string({ maxLength: 8 }),
);

test("the walk and TypeBox agree on what is valid, for randomly broken configs", (t) => {
  const configs = workloadKinds.map((kind) => exampleExperiment(kind));
  fc.assert(
    fc.property(fc.nat(configs.length - 1), fc.nat(), jsonValue, fc.boolean(), (which, pick, replacement, remove) => {
      const config = cloneJson(configs[which] as Record<string, unknown>);
      const paths = pathsOf(config).filter((path) => path.length > 0);
      const path = paths[pick % paths.length] as (string | number)[];
      let parent: any = config;
      for (const segment of path.slice(0, -1)) parent = parent[segment];
      const last = path[path.length - 1] as string | number;
      if (remove && !Array.isArray(parent)) delete parent[last];
      else parent[last] = replacement;
      const walkValid = schemaProblems(config).length === 0;
      return walkValid === Value.Check(experimentSchema, config);
    }),
    { numRuns: 3000, seed: 7 },
  );
  t.pass();
});

test("the duration in seconds converts to whole microseconds", (t) => {
  t.is(experimentDurationUs({ durationS: 60 }), 60_000_000);
  t.is(experimentDurationUs({ durationS: 0.0000015 }), 2);
});
