// Rules that span several fields, checked after the schema passes: names that must be unique,
// fields that only make sense for one kind of pool, timings that must fit inside the run, and
// (when the caller knows them) the registered policy and cloud-profile names. Each rule reports
// the pointer of the field to change, like a schema problem.

import type { TSchema } from "@sinclair/typebox";
import { pointer } from "./config-path.ts";
import { suggest } from "./config-describe.ts";
import { checkValue, type ConfigProblem } from "./config-walk.ts";
import { experimentDurationUs, experimentSchema, type Experiment } from "./schema.ts";

/** Names the caller's registries know; a name outside a given list is a problem. */
export type KnownNames = {
  readonly cloudProfiles?: readonly string[];
  readonly placementPolicies?: readonly string[];
  readonly optimizerPolicies?: readonly string[];
  readonly autoscalerPolicies?: readonly string[];
};

export type ValidateOptions = { readonly known?: KnownNames };

type Sink = ConfigProblem[];

/** Every way `json` fails the experiment schema, in walk order. */
export function schemaProblems(json: unknown): ConfigProblem[] {
  const sink: Sink = [];
  checkValue(experimentSchema as TSchema, json, "", sink);
  return sink;
}

/** Every problem of one run's config (schema, then cross-field rules); the sweep is not expanded. */
export function problemsOfRun(json: unknown, options: ValidateOptions = {}): ConfigProblem[] {
  const sink = schemaProblems(json);
  if (sink.length === 0) checkRules(json as Experiment, options, sink);
  return sink;
}

/** Cross-field rules over a config that already satisfies the schema. */
export function checkRules(config: Experiment, options: ValidateOptions, sink: Sink): void {
  checkPools(config, sink);
  checkTimings(config, sink);
  checkKnownNames(config, options.known ?? {}, sink);
}

function checkPools(config: Experiment, sink: Sink): void {
  const seen = new Map<string, string>();
  const note = (name: string, path: string) => {
    const first = seen.get(name);
    if (first !== undefined) sink.push({ path, message: `pool name '${name}' is already used at ${first}; pool names must be unique across compute and DARQ pools`, example: `${name}-2` });
    else seen.set(name, path);
  };
  config.cluster.compute.forEach((pool, index) => {
    const at = pointer("/cluster/compute", index);
    note(pool.name, pointer(at, "name"));
    if (pool.kind === "vm" && pool.size === undefined) sink.push({ path: pointer(at, "size"), message: "missing required field 'size' for a vm pool (the instance size in the cloud profile)", example: "D8s_v3" });
    if (pool.kind !== "vm" && pool.spot !== undefined) sink.push({ path: pointer(at, "spot"), message: `'spot' applies only to vm pools, this pool is ${pool.kind}; remove it` });
  });
  config.cluster.darq.forEach((pool, index) => {
    const at = pointer("/cluster/darq", index);
    note(pool.name, pointer(at, "name"));
    if (pool.tier !== "ssd" && pool.ssdTier !== undefined) sink.push({ path: pointer(at, "ssdTier"), message: `'ssdTier' applies only to ssd pools, this pool is ${pool.tier}; remove it` });
  });
  const spare = config.cluster.compute.some((pool) => pool.kind === "darq-spare");
  if (config.placement.colocation === "darq-and-compute" && !spare) {
    sink.push({
      path: "/placement/colocation",
      message: "'darq-and-compute' runs automata on the DARQ machines' spare cores, but /cluster/compute has no pool of kind 'darq-spare'; add one or choose another mode",
      allowed: ["none", "darq", "darq-and-compute"],
      example: "darq",
    });
  }
}

function checkTimings(config: Experiment, sink: Sink): void {
  const durationUs = experimentDurationUs(config);
  const arrival = config.workload.arrival;
  if (arrival !== undefined && arrival.kind === "bursty" && arrival.burstDurationUs >= arrival.burstPeriodUs) {
    sink.push({ path: "/workload/arrival/burstDurationUs", message: `a burst (${arrival.burstDurationUs} us) must be shorter than the burst period (${arrival.burstPeriodUs} us)`, example: Math.floor(arrival.burstPeriodUs / 10) || 1 });
  }
  if (config.workload.kind === "stream-pipeline" && config.workload.windowUs > durationUs) {
    sink.push({ path: "/workload/windowUs", message: `the window (${config.workload.windowUs} us) is longer than the run (${durationUs} us), so no window would close`, example: Math.max(1, Math.floor(durationUs / 10)) });
  }
  const intervalUs = config.outputs?.timeseriesIntervalUs;
  if (intervalUs !== undefined && intervalUs > durationUs) {
    sink.push({ path: "/outputs/timeseriesIntervalUs", message: `the interval (${intervalUs} us) is longer than the run (${durationUs} us), so the time series would be empty`, example: Math.max(1, Math.floor(durationUs / 100)) });
  }
}

function checkName(name: string, known: readonly string[] | undefined, path: string, what: string, sink: Sink): void {
  if (known === undefined || known.includes(name)) return;
  const hint = suggest(name, known);
  const example = hint ?? known[0];
  sink.push({
    path,
    message: `unknown ${what} '${name}'${hint === undefined ? "" : `; did you mean '${hint}'?`}`,
    allowed: known,
    ...(example === undefined ? {} : { example }),
  });
}

function checkKnownNames(config: Experiment, known: KnownNames, sink: Sink): void {
  checkName(config.cluster.profile, known.cloudProfiles, "/cluster/profile", "cloud profile", sink);
  checkName(config.placement.policy, known.placementPolicies, "/placement/policy", "placement policy", sink);
  if (config.optimizer !== undefined) checkName(config.optimizer.policy, known.optimizerPolicies, "/optimizer/policy", "optimizer policy", sink);
  if (config.autoscaler !== undefined) checkName(config.autoscaler.policy, known.autoscalerPolicies, "/autoscaler/policy", "autoscaler policy", sink);
}
