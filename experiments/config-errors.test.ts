// Malformed configs: each test breaks a valid example in one way and proves the report names the
// exact JSON pointer of the fault (and, where it helps, the allowed values and an example).

import test from "ava";
import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import { experimentOrThrow, findProblems, validateExperiment, validateExperimentText } from "./config-errors.ts";
import type { ConfigProblem } from "./config-walk.ts";
import { exampleExperiment, exampleSweepExperiment } from "./schema-examples.ts";

type Json = Record<string, any>;

function broken(edit: (config: Json) => void, base: Json = exampleExperiment()): Json {
  edit(base);
  return base;
}

function problemAt(t: { is: (a: unknown, b: unknown, m?: string) => void }, config: unknown, path: string): ConfigProblem {
  const problems = findProblems(config);
  const found = problems.find((problem) => problem.path === path);
  t.is(found?.path, path, `expected a problem at ${path}, got: ${JSON.stringify(problems.map((problem) => problem.path))}`);
  return found as ConfigProblem;
}

test("an unknown top-level key is reported at its own path", (t) => {
  const found = problemAt(t, broken((c) => (c["durationMs"] = 5)), "/durationMs");
  t.regex(found.message, /unknown key 'durationMs'/);
  t.true(found.allowed?.includes("durationS"));
});

test("a mistyped nested key is reported with a did-you-mean", (t) => {
  const config = broken((c) => {
    c["workload"]["computeScal"] = 10;
    delete c["workload"]["computeScale"];
  });
  t.regex(problemAt(t, config, "/workload/computeScal").message, /did you mean 'computeScale'/);
  t.is(problemAt(t, config, "/workload/computeScale").example, 10, "the missing field is reported too, with an example");
});

test("a value of the wrong type names its path and the expected type", (t) => {
  const found = problemAt(t, broken((c) => (c["durationS"] = "60")), "/durationS");
  t.regex(found.message, /expected a number > 0/);
  t.regex(found.message, /got the string "60"/);
});

test("a bad enum value lists the allowed values", (t) => {
  const found = problemAt(t, broken((c) => (c["cluster"]["darq"][0]["tier"] = "nvme")), "/cluster/darq/0/tier");
  t.deepEqual(found.allowed, ["hot-replicated", "ssd", "blob"]);
  t.is(found.example, "hot-replicated");
});

test("a missing required field is reported at the field's path with an example", (t) => {
  const found = problemAt(t, broken((c) => delete c["cluster"]["profile"]), "/cluster/profile");
  t.regex(found.message, /missing required field 'profile'/);
  t.is(found.example, "azure-2024");
});

test("a negative duration is out of range", (t) => {
  const found = problemAt(t, broken((c) => (c["durationS"] = -5)), "/durationS");
  t.regex(found.message, /-5 is out of range/);
});

test("a bad arrival kind lists every arrival kind", (t) => {
  const config = broken((c) => (c["workload"]["arrival"] = { kind: "burst", burstMultiplier: 3 }));
  const found = problemAt(t, config, "/workload/arrival/kind");
  t.deepEqual(found.allowed, ["constant", "poisson", "bursty", "diurnal", "trace"]);
  t.regex(found.message, /did you mean 'bursty'/);
});

test("a bad workload kind lists every workload kind and checks nothing else of it", (t) => {
  const config = broken((c) => (c["workload"] = { kind: "pi", chainCount: -1 }));
  const problems = findProblems(config);
  t.deepEqual(problems.map((problem) => problem.path), ["/workload/kind"]);
  t.true(problems[0]?.allowed?.includes("stream-pipeline"));
});

test("fields of the chosen workload kind are checked against that kind", (t) => {
  const config = broken((c) => (c["workload"] = { kind: "monitoring", streams: 4, framesPerS: 30, detectors: 2, deployment: "lambda", arrival: { kind: "poisson" } }));
  t.deepEqual(problemAt(t, config, "/workload/deployment").allowed, ["function-blob", "co-located"]);
});

test("a fractional count is rejected where an integer is needed", (t) => {
  problemAt(t, broken((c) => (c["cluster"]["darq"][0]["count"] = 1.5)), "/cluster/darq/0/count");
});

test("an unknown fault kind is rejected inside the fault model", (t) => {
  const found = problemAt(t, broken((c) => (c["faults"]["model"]["ratesPerHour"]["diskFire"] = 1)), "/faults/model/ratesPerHour/diskFire");
  t.true(found.allowed?.includes("nodeCrash"));
});

test("objective params are checked against the objective kind", (t) => {
  const config = broken((c) => (c["objective"] = { kind: "min-cost-p99", params: { costUsdPerMonthMax: 10 } }));
  problemAt(t, config, "/objective/params/costUsdPerMonthMax");
  problemAt(t, config, "/objective/params/latencyUsP99Max");
});

test("a sweep path that does not exist is reported at its grid key", (t) => {
  const config = broken((c) => (c["sweep"]["grid"]["workload.computeScal"] = [1, 2]), exampleSweepExperiment());
  const found = problemAt(t, config, "/sweep/grid/workload.computeScal");
  t.regex(found.message, /does not exist/);
  t.regex(found.message, /did you mean 'computeScale'/);
});

test("a sweep index past the end of a list is reported at its grid key", (t) => {
  const config = broken((c) => (c["sweep"]["grid"]["cluster.compute[5].count"] = [1]), exampleSweepExperiment());
  t.regex(problemAt(t, config, "/sweep/grid/cluster.compute[5].count").message, /list of 2/);
});

test("a sweep value of the wrong type is reported at its index in the grid", (t) => {
  const config = broken((c) => (c["sweep"]["grid"]["workload.computeScale"] = [1, "ten", 100]), exampleSweepExperiment());
  const found = problemAt(t, config, "/sweep/grid/workload.computeScale/1");
  t.regex(found.message, /does not fit \/workload\/computeScale/);
});

test("a sweep may not vary the sweep itself", (t) => {
  const config = broken((c) => (c["sweep"]["grid"]["sweep.replications"] = [1, 2]), exampleSweepExperiment());
  problemAt(t, config, "/sweep/grid/sweep.replications");
});

test("a grid combination that breaks a cross-field rule is named", (t) => {
  const config = broken((c) => {
    c["cluster"]["compute"] = [{ name: "vm-d8", kind: "vm", size: "D8s_v3", count: 2 }];
    c["sweep"]["grid"] = { "placement.colocation": ["darq", "darq-and-compute"], "cluster.compute.0.kind": ["vm", "darq-spare"] };
  }, exampleSweepExperiment());
  const problems = findProblems(config);
  t.is(problems.length, 1, "only the one combination with no darq-spare pool fails");
  t.regex(problems[0]?.message ?? "", /placement\.colocation="darq-and-compute", cluster\.compute\.0\.kind="vm"/);
});

test("cross-field rules: duplicate pool names, ssdTier off ssd, spot off vm", (t) => {
  const config = broken((c) => {
    c["cluster"]["darq"][0] = { name: "vm-d8", tier: "blob", ssdTier: "p30", count: 1 };
    c["cluster"]["compute"][1]["spot"] = true;
  });
  t.regex(problemAt(t, config, "/cluster/darq/0/name").message, /already used at \/cluster\/compute\/0\/name/);
  problemAt(t, config, "/cluster/darq/0/ssdTier");
  problemAt(t, config, "/cluster/compute/1/spot");
});

test("every problem is reported, not only the first", (t) => {
  const config = broken((c) => {
    c["mode"] = "simulate";
    c["seed"] = true;
    c["workload"]["chainCount"] = 0;
    c["cluster"]["zones"] = ["zone-1", "zone-1"];
    c["outputs"]["trace"] = "yes";
  });
  const paths = findProblems(config).map((problem) => problem.path);
  t.deepEqual(paths, ["/seed", "/mode", "/workload/chainCount", "/cluster/zones/1", "/outputs/trace"]);
  const result = validateExperiment(config, "broken.json");
  t.false(result.ok);
  if (!result.ok) {
    t.is(result.code, ErrorCode.configInvalid);
    t.regex(result.reason, /^broken\.json: 5 problems/);
    for (const path of paths) t.true(result.reason.includes(`\n  ${path}: `), `the report has a line for ${path}`);
  }
});

test("names outside the caller's registries are rejected with suggestions", (t) => {
  const problems = findProblems(exampleExperiment(), { known: { placementPolicies: ["round-robbin-2", "greedy"], cloudProfiles: ["azure-2024"] } });
  t.deepEqual(problems.map((problem) => problem.path), ["/placement/policy"]);
  t.deepEqual(problems[0]?.allowed, ["round-robbin-2", "greedy"]);
});

test("a document that is not an object, or not JSON, says so", (t) => {
  t.deepEqual(findProblems([1, 2]).map((problem) => problem.path), [""]);
  const result = validateExperimentText('{\n  "name": "x",\n  oops\n}', "bad.json");
  t.false(result.ok);
  if (!result.ok) t.regex(result.reason, /bad\.json: not valid JSON at line 3, column 3/);
});

test("a valid config comes back deep-frozen, with defaults filled in", (t) => {
  const config = exampleExperiment();
  delete (config["placement"] as Json)["colocation"];
  const result = validateExperiment(config, "ok.json");
  if (!result.ok) return t.fail(result.reason);
  t.is(result.value.placement.colocation, "none");
  t.true(Object.isFrozen(result.value.cluster.compute[0]));
  t.throws(() => {
    (result.value.workload as Json)["chainCount"] = 9;
  });
  t.false(Object.hasOwn(config["placement"] as Json, "colocation"), "the caller's object is not changed");
});

test("experimentOrThrow throws an SsmsError carrying the problems", (t) => {
  const error = t.throws(() => experimentOrThrow({ name: "x" }, "thin.json"), { instanceOf: SsmsError });
  t.is(error?.code, ErrorCode.configInvalid);
  t.true(((error?.details?.["problems"] as ConfigProblem[]) ?? []).some((problem) => problem.path === "/cluster"));
});
