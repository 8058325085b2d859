// The cluster launcher behind `ssms cluster up|status|down`, also used by live experiments, the
// SIGKILL test and the live benchmarks.
//
//   clusterUp(dir, options)    writes DIR/cluster.json and DIR/secret (0600), registers types and
//                              nodes in the catalog, starts every node process and waits until each
//                              answers health (the metadata node: with its pools known)
//   clusterStatus(dir)         per node: pid, whether it runs, its health answer
//   clusterDown(dir)           SIGTERM to every node, SIGKILL to any still running after a grace
// A cluster directory holds one cluster; `up` refuses a directory that already has a cluster.json
// (delete the directory to start afresh: the logs and the catalog are the old cluster's state).

import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { catalogBootstrap, catalogClose, catalogOpen } from "./catalog-open.ts";
import { clusterFiles, dirsCreate, ownerWrite, pidsRead, pidsWrite, secretCreate, secretRead, specRead, specWrite } from "./cluster-dir.ts";
import { definitionsOf } from "./cluster-model.ts";
import type { ClusterSpec } from "./cluster-spec.ts";
import { nodeHealthGet, nodeReadyWait, nodeSpawn, pidAlive, pidExited, pidSignal, type NodeHealthAnswer } from "./node-process.ts";
import { clusterSpecBuild, type SpecBuildOptions } from "./spec-build.ts";

export type ClusterHandle = { readonly dir: string; readonly spec: ClusterSpec; readonly secret: string; readonly pids: Record<string, number> };

export type ClusterUpOptions = SpecBuildOptions & {
  /** How long a node may take to answer health after its start (default 60 s: a loaded machine). */
  readonly bootWaitMsMax?: number;
  /** Nodes exit when this process does (tests, experiment points); `ssms cluster up` leaves them. */
  readonly ownedByThisProcess?: boolean;
  /** Runs once the spec is written, before any node starts (e.g. to start the link proxy). */
  readonly beforeNodes?: (spec: ClusterSpec) => Promise<void>;
};

export async function clusterUp(dir: string, options: ClusterUpOptions): Promise<ClusterHandle> {
  if (existsSync(clusterFiles.spec(dir))) {
    throw new SsmsError(ErrorCode.argumentInvalid, `${dir} already holds a cluster; 'ssms cluster down --dir ${dir}' stops it, and a fresh one needs an empty directory`);
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new SsmsError(ErrorCode.argumentInvalid, `${dir} is not empty; a cluster needs an empty (or new) directory`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  dirsCreate(dir);
  const spec = await clusterSpecBuild(options);
  const definitions = definitionsOf(spec);
  specWrite(dir, spec);
  const secret = secretCreate(dir);
  if (options.ownedByThisProcess === true) ownerWrite(dir, process.pid);
  const catalog = await catalogOpen(spec, dir);
  try {
    await catalogBootstrap(catalog, spec, definitions);
  } finally {
    await catalogClose(catalog);
  }
  await options.beforeNodes?.(spec);
  const pids: Record<string, number> = {};
  for (const node of spec.nodes) pids[node.name] = nodeSpawn(dir, node.name);
  pidsWrite(dir, pids);
  const waitMsMax = options.bootWaitMsMax ?? 60_000;
  try {
    await Promise.all(spec.nodes.map((node) => nodeReadyWait(dir, spec, node, secret, pids[node.name]!, waitMsMax)));
  } catch (error) {
    await clusterDown(dir);
    throw error;
  }
  return { dir, spec, secret, pids };
}

/** The handle of a running cluster (spec, secret and pids from its directory). */
export function clusterOpen(dir: string): ClusterHandle {
  return { dir, spec: specRead(dir), secret: secretRead(dir), pids: pidsRead(dir) };
}

export type NodeStatus = {
  readonly node: string;
  readonly role: string;
  readonly pid: number | null;
  readonly running: boolean;
  readonly health: NodeHealthAnswer | null;
};

export async function clusterStatus(dir: string): Promise<NodeStatus[]> {
  const { spec, secret, pids } = clusterOpen(dir);
  return Promise.all(spec.nodes.map(async (node) => {
    const pid = pids[node.name] ?? null;
    const running = pid !== null && pidAlive(pid);
    const health = running ? (await nodeHealthGet(spec, node, secret)) ?? null : null;
    return { node: node.name, role: node.role, pid, running, health };
  }));
}

/** Stops every node: SIGTERM, then SIGKILL after `graceMs`. Answers the nodes that needed SIGKILL. */
export async function clusterDown(dir: string, graceMs = 10_000): Promise<string[]> {
  if (!existsSync(clusterFiles.pids(dir))) return [];
  const pids = pidsRead(dir);
  for (const pid of Object.values(pids)) {
    pidSignal(pid, "SIGCONT"); // a paused node cannot handle SIGTERM
    pidSignal(pid, "SIGTERM");
  }
  const killed: string[] = [];
  await Promise.all(Object.entries(pids).map(async ([node, pid]) => {
    if (await pidExited(pid, graceMs)) return;
    pidSignal(pid, "SIGKILL");
    killed.push(node);
    await pidExited(pid, 5_000);
  }));
  pidsWrite(dir, {});
  return killed.sort();
}
