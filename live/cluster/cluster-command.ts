// `ssms cluster up|status|down|calibrate`: a live cluster on this machine.
//
//   ssms cluster up --nodes N --dir DIR [--compute-nodes M] [--catalog postgres://…]
//                   [--listen HOST] [--workload FILE]…
//   ssms cluster status --dir DIR [--json]
//   ssms cluster down --dir DIR
//   ssms cluster calibrate [--out FILE] [--quick]
// `--workload FILE` adds the automaton types of a workload (an experiment file, whose `workload`
// is taken, or a bare workload object); the example counter is always served. Exit codes as in
// bin/ssms.ts: 0 ok, 1 the command ran and failed (a node did not come up, a node is down), 2 bad
// usage.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { Value } from "@sinclair/typebox/value";
import { workloadSchema } from "../../experiments/schema-workload.ts";
import { calibrateCommand } from "./calibrate-command.ts";
import { clusterDown, clusterStatus, clusterUp } from "./launcher.ts";
import type { ClusterSpec } from "./cluster-spec.ts";

const usage = `usage:
  ssms cluster up --nodes N --dir DIR [--compute-nodes M] [--catalog postgres://URL] [--listen HOST] [--workload FILE]...
  ssms cluster status --dir DIR [--json]
  ssms cluster down --dir DIR
  ssms cluster calibrate [--out FILE] [--quick]

Starts, inspects and stops a live SSMS cluster on this machine: one process per node (a DARQ on a
file log with fsync group commit, plus compute), an HTTP API per node that needs the cluster secret
(DIR/secret) as a bearer token, logs in DIR/logs/. 'calibrate' measures this machine (step cost,
fsync and loopback latency) into a simulator profile.
`;

const options = {
  nodes: { type: "string" }, "compute-nodes": { type: "string" }, dir: { type: "string" }, catalog: { type: "string" },
  listen: { type: "string" }, workload: { type: "string", multiple: true }, json: { type: "boolean" },
  out: { type: "string" }, quick: { type: "boolean" }, help: { type: "boolean", short: "h" },
} as const;

type Io = { out(text: string): void; err(text: string): void };
const processIo: Io = { out: (text) => void process.stdout.write(text), err: (text) => void process.stderr.write(text) };

export async function main(args: string[], io: Io = processIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`ssms cluster: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const action = positionals[0];
  if (values.help === true || action === undefined) {
    io.out(usage);
    return action === undefined && values.help !== true ? 2 : 0;
  }
  if (action === "calibrate") return calibrateCommand({ out: values.out, quick: values.quick === true }, io);
  if (values.dir === undefined) {
    io.err(`ssms cluster ${action}: --dir DIR is required\n\n${usage}`);
    return 2;
  }
  const dir = resolve(values.dir);
  try {
    if (action === "up") return await up(dir, values, io);
    if (action === "status") return await status(dir, values.json === true, io);
    if (action === "down") {
      const killed = await clusterDown(dir);
      io.out(`cluster in ${dir} stopped${killed.length > 0 ? ` (SIGKILL needed for ${killed.join(", ")})` : ""}\n`);
      return 0;
    }
  } catch (error) {
    io.err(`ssms cluster ${action}: ${(error as Error).message}\n`);
    return (error as { code?: string }).code === "SSMS_ERR_ARGUMENT_INVALID" ? 2 : 1;
  }
  io.err(`ssms cluster: unknown action '${action}' (up, status, down, calibrate)\n\n${usage}`);
  return 2;
}

function countOf(text: string | undefined, fallback: number | undefined, flag: string): number {
  if (text === undefined && fallback !== undefined) return fallback;
  if (text === undefined || !/^\d{1,2}$/.test(text)) throw Object.assign(new Error(`--${flag} must be a number of nodes (0..64)`), { code: "SSMS_ERR_ARGUMENT_INVALID" });
  return Number(text);
}

function workloadOf(path: string): ClusterSpec["workloads"][number] {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as { workload?: unknown; kind?: unknown };
  const workload = typeof parsed.workload === "object" && parsed.workload !== null ? parsed.workload : parsed;
  if (typeof (workload as { kind?: unknown }).kind !== "string") {
    throw Object.assign(new Error(`${path} holds neither an experiment with a workload nor a workload object with a kind`), { code: "SSMS_ERR_ARGUMENT_INVALID" });
  }
  // The schema is a union on `kind`: check against the alternative of this kind, which names the field.
  const kind = (workload as { kind: string }).kind;
  const alternative = workloadSchema.anyOf.find((candidate) => (candidate.properties.kind as { const?: unknown }).const === kind) ?? workloadSchema;
  const problems = [...Value.Errors(alternative, workload)].slice(0, 5).map((error) => `${error.path || "/"}: ${error.message}`);
  if (problems.length > 0) throw Object.assign(new Error(`${path}: the workload is invalid: ${problems.join("; ")}`), { code: "SSMS_ERR_ARGUMENT_INVALID" });
  return { workload: workload as ClusterSpec["workloads"][number]["workload"] };
}

async function up(dir: string, values: Record<string, string | boolean | string[] | undefined>, io: Io): Promise<number> {
  const darqNodes = countOf(values["nodes"] as string | undefined, undefined, "nodes");
  const computeNodes = countOf(values["compute-nodes"] as string | undefined, 0, "compute-nodes");
  const workloads = ((values["workload"] as string[] | undefined) ?? []).map(workloadOf);
  const catalog = values["catalog"] as string | undefined;
  const listen = values["listen"] as string | undefined;
  const handle = await clusterUp(dir, {
    darqNodes, computeNodes, workloads,
    ...(catalog === undefined ? {} : { catalogUrl: catalog }), ...(listen === undefined ? {} : { listenHost: listen }),
  });
  for (const node of handle.spec.nodes) {
    io.out(`${node.name}  ${node.role.padEnd(7)}  pid ${handle.pids[node.name]}  api http://${handle.spec.listenHost}:${node.apiPort}  transport ${handle.spec.listenHost}:${node.transportPort}\n`);
  }
  io.out(`cluster up in ${dir}; secret in ${dir}/secret; logs in ${dir}/logs/\n`);
  return 0;
}

async function status(dir: string, json: boolean, io: Io): Promise<number> {
  const nodes = await clusterStatus(dir);
  if (json) io.out(`${JSON.stringify(nodes, null, 2)}\n`);
  else {
    for (const node of nodes) {
      const state = !node.running ? "down" : node.health === null ? "not answering" : "up";
      io.out(`${node.node}  ${node.role.padEnd(7)}  pid ${node.pid ?? "-"}  ${state}${node.health === null ? "" : `  boot ${node.health.bootId}`}\n`);
    }
  }
  return nodes.every((node) => node.running && node.health !== null) ? 0 : 1;
}
