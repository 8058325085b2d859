// Sweep expansion: the cartesian product in a fixed order, per-replication seeds derived only
// from the root seed and indices, frozen single-run configs, sharding that covers every point
// exactly once, and a config hash that ignores key order but nothing else.

import test from "ava";
import { ErrorCode } from "../engine/io/errors.ts";
import { validateExperiment } from "./config-errors.ts";
import { exampleExperiment, exampleSweepExperiment } from "./schema-examples.ts";
import type { Experiment } from "./schema.ts";
import { canonicalJson, configHash, deriveSeed, expandSweep, parseShard, shardPoints } from "./sweep.ts";

function valid(config: Record<string, unknown>): Experiment {
  const result = validateExperiment(config, "test");
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

test("the grid expands to its cartesian product × replications, first key slowest", (t) => {
  const points = expandSweep(valid(exampleSweepExperiment()));
  t.is(points.length, 3 * 2 * 2);
  t.deepEqual(
    points.map((point) => [point.index, point.replication, point.config.workload.kind === "pi-chain" ? point.config.workload.computeScale : -1, point.config.cluster.darq[0]?.tier]),
    [
      [0, 0, 1, "hot-replicated"], [0, 1, 1, "hot-replicated"], [1, 0, 1, "ssd"], [1, 1, 1, "ssd"],
      [2, 0, 10, "hot-replicated"], [2, 1, 10, "hot-replicated"], [3, 0, 10, "ssd"], [3, 1, 10, "ssd"],
      [4, 0, 100, "hot-replicated"], [4, 1, 100, "hot-replicated"], [5, 0, 100, "ssd"], [5, 1, 100, "ssd"],
    ],
  );
  t.deepEqual(points[3]?.params, { "workload.computeScale": 1, "cluster.darq[0].tier": "ssd" });
  t.is(points[3]?.label, "computeScale=1 tier=ssd");
});

test("each point is a frozen single-run config with its derived seed and no sweep", (t) => {
  const points = expandSweep(valid(exampleSweepExperiment()));
  for (const point of points) {
    t.is(point.config.seed, point.seed);
    t.is(point.config.sweep, undefined);
    t.true(Object.isFrozen(point.config.workload));
    t.true(validateExperiment(point.config, "point").ok, "a point reruns on its own");
  }
});

test("common seeds: replication r has one seed at every point, and replication 0 keeps the root", (t) => {
  const points = expandSweep(valid(exampleSweepExperiment()));
  t.deepEqual([...new Set(points.map((point) => point.seed))], ["42", "42/r1"]);
});

test("per-point seeds: every run has its own seed, the same on every expansion", (t) => {
  const config = exampleSweepExperiment();
  (config["sweep"] as Record<string, unknown>)["seeds"] = "per-point";
  const first = expandSweep(valid(config)).map((point) => point.seed);
  t.is(new Set(first).size, first.length);
  t.deepEqual(expandSweep(valid(config)).map((point) => point.seed), first);
  t.is(deriveSeed("abc", 3, 1, "per-point"), "abc/p3/r1");
});

test("without a sweep there is one point: the config itself", (t) => {
  const config = valid(exampleExperiment());
  const points = expandSweep(config);
  t.is(points.length, 1);
  t.is(points[0]?.seed, "42");
  t.deepEqual(points[0]?.params, {});
  t.is(configHash({ ...points[0]?.config, seed: 42 }), configHash(config));
});

test("a sweep may set an optional field the base config leaves out", (t) => {
  const config = exampleSweepExperiment();
  (config["sweep"] as Record<string, unknown>)["grid"] = { "workload.chainHops": [10, 20] };
  const points = expandSweep(valid(config));
  t.deepEqual(points.map((point) => (point.config.workload.kind === "pi-chain" ? point.config.workload.chainHops : 0)), [10, 10, 20, 20]);
});

test("labels use the shortest path suffix that tells two axes apart", (t) => {
  const config = exampleSweepExperiment();
  (config["sweep"] as Record<string, unknown>)["grid"] = { "cluster.compute[0].count": [1], "cluster.darq[0].count": [2] };
  t.is(expandSweep(valid(config))[0]?.label, "compute.0.count=1 darq.0.count=2");
});

test("shards partition the points: every point in exactly one shard", (t) => {
  const points = expandSweep(valid(exampleSweepExperiment()));
  const shards = [1, 2, 3, 4, 5].map((index) => shardPoints(points, index, 5));
  const seen = shards.flat();
  t.is(seen.length, points.length);
  t.is(new Set(seen).size, points.length);
  t.deepEqual(shardPoints([0, 1, 2, 3, 4, 5, 6], 2, 3), [1, 4]);
});

test("--shard parses i/n and rejects anything else with a clear error", (t) => {
  t.deepEqual(parseShard("2/4"), { ok: true, value: { index: 2, count: 4 } });
  for (const bad of ["0/4", "5/4", "2", "a/b", "2/0", ""]) {
    const result = parseShard(bad);
    t.false(result.ok, bad);
    if (!result.ok) t.is(result.code, ErrorCode.argumentInvalid);
  }
});

test("the config hash ignores key order and whitespace but not values", (t) => {
  const a = { b: 1, a: { y: [1, 2], x: "s" } };
  const b = { a: { x: "s", y: [1, 2] }, b: 1 };
  t.is(canonicalJson(a), '{"a":{"x":"s","y":[1,2]},"b":1}');
  t.is(configHash(a), configHash(b));
  t.not(configHash(a), configHash({ ...b, b: 2 }));
  t.regex(configHash(a), /^[0-9a-f]{64}$/);
});
