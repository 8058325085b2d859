// Bad input to the config parsers (VOPR issue item 6), fuzzed with fast-check: the experiment
// config (text and parsed JSON), the simulated cluster config, DARQ overrides and JSONL fault
// schedules. Random text, truncated files, oversized and deeply nested documents and wrong-typed
// values at any path each give a configInvalid error that names the file and, for a wrong value,
// the path of the value (or of an ancestor that no longer holds) — never another exception, and
// the input is never modified.

import test from "ava";
import fc from "fast-check";
import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import { darqConfigResolve } from "../engine/darq/darq-config.ts";
import { clusterConfigCheck } from "../sim/cluster/cluster-config.ts";
import { parseFaultSchedule } from "../sim/faults/schedule.ts";
import { loadCloudProfile } from "../sim/profiles/load.ts";
import { voprCase } from "../sim/vopr/vopr-case.ts";
import { validateExperiment, validateExperimentText } from "./config-errors.ts";
import { exampleExperiment } from "./schema-examples.ts";

const example = exampleExperiment("pi-chain");
const exampleText = JSON.stringify(example, null, 2);

/** Every path to a leaf of `value`, as keys. */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leafPaths(item, [...prefix, index]));
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...prefix, key]));
  return [prefix];
}

function withValueAt(root: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path.at(-1)!] = replacement;
  return copy;
}

const paths = leafPaths(example);

test("experiment configs: a wrong-typed value anywhere is reported at its path, never thrown", (t) => {
  t.true(validateExperiment(example, "example.json").ok, "the example itself is valid");
  fc.assert(fc.property(fc.constantFrom(...paths), fc.oneof(fc.anything(), fc.string(), fc.double(), fc.constant(null)), (path, replacement) => {
    const config = withValueAt(example, path, replacement);
    const frozen = JSON.stringify(config);
    const result = validateExperiment(config, "fuzz.json");
    if (JSON.stringify(config) !== frozen) return false;
    if (result.ok) return true;
    const pointers = path.map((_, index) => `/${path.slice(0, index + 1).join("/")}`);
    return result.code === ErrorCode.configInvalid && result.reason.startsWith("fuzz.json:") &&
      pointers.some((pointer) => result.reason.includes(`  ${pointer}:`));
  }), { numRuns: 500, seed: 21 });
});

test("experiment config text: random, truncated, oversized and deeply nested input is a configInvalid error", (t) => {
  const inputs = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.nat(exampleText.length - 1).map((cut) => exampleText.slice(0, cut)),
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
    fc.tuple(fc.nat(exampleText.length - 1), fc.string({ maxLength: 8 })).map(([at, insert]) => exampleText.slice(0, at) + insert + exampleText.slice(at)),
  );
  fc.assert(fc.property(inputs, (text) => {
    const result = validateExperimentText(text, "fuzz.json");
    return result.ok || (result.code === ErrorCode.configInvalid && result.reason.startsWith("fuzz.json:"));
  }), { numRuns: 500, seed: 22 });
  const oversized = [
    JSON.stringify({ ...example, name: "x".repeat(1 << 20) }),
    JSON.stringify({ ...example, sweep: { grid: { "workload.computeScale": Array.from({ length: 100_000 }, (_, index) => index) } } }),
    `{"name": ${"[".repeat(5_000)}${"]".repeat(5_000)}}`,
    JSON.stringify({ ...example, extra: Array.from({ length: 50_000 }, () => ({ a: 1 })) }),
  ];
  for (const text of oversized) {
    const result = validateExperimentText(text, "big.json");
    t.false(result.ok, text.slice(0, 60));
    if (!result.ok) t.is(result.code, ErrorCode.configInvalid);
  }
});

/** Runs `parse`; true when it succeeded or threw SsmsError(configInvalid). */
function refusesCleanly(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (error) {
    return error instanceof SsmsError && error.code === ErrorCode.configInvalid;
  }
}

test("cluster configs, DARQ overrides and fault schedules: bad input is SsmsError(configInvalid), never another exception", (t) => {
  const cluster = voprCase("3").config;
  const clusterPaths = leafPaths(cluster);
  const profileOf = (name: string) => loadCloudProfile(name);
  fc.assert(fc.property(fc.constantFrom(...clusterPaths), fc.anything(), (path, replacement) =>
    refusesCleanly(() => clusterConfigCheck(withValueAt(cluster, path, replacement), profileOf))), { numRuns: 300, seed: 23 });
  fc.assert(fc.property(fc.anything(), (value) => refusesCleanly(() => clusterConfigCheck(value, profileOf))), { numRuns: 200, seed: 24 });
  fc.assert(fc.property(fc.dictionary(fc.oneof(fc.constantFrom("commitPeriodUs", "batchRecordsMax", "retryUsMin", "retryUsMax"), fc.string()), fc.anything()),
    (overrides) => refusesCleanly(() => darqConfigResolve(overrides))), { numRuns: 300, seed: 25 });
  const schedule = '{"timeUs":10,"fault":"crash","targets":["d1"],"params":{}}\n{"timeUs":20,"fault":"linkLoss","targets":[],"params":{"rate":0.5}}\n';
  const schedules = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.array(fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)), { maxLength: 6 }).map((lines) => lines.join("\n")),
    fc.nat(schedule.length).map((cut) => schedule.slice(0, cut)),
    fc.record({ timeUs: fc.anything(), fault: fc.constantFrom("crash", "networkPartition", "linkLoss", "heal", "x"), targets: fc.anything(), params: fc.anything() })
      .map((fault) => JSON.stringify(fault)),
  );
  fc.assert(fc.property(schedules, (text) => refusesCleanly(() => parseFaultSchedule(text, "fuzz.jsonl"))), { numRuns: 500, seed: 26 });
  t.pass();
});
