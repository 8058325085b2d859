// Node processes as the launcher and the chaos controller handle them: spawn one (detached, so
// `ssms cluster up` can exit and leave the cluster running; stdout and stderr appended to
// DIR/logs/<node>.log), wait until it answers health with the secret, signal it, and tell whether
// a pid still runs. Everything waits with a deadline and polls; nothing asserts a wall time.

import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { apiCall } from "../api/api-client.ts";
import { clusterFiles } from "./cluster-dir.ts";
import type { ClusterSpec, NodeSpec } from "./cluster-spec.ts";

const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
const nodeMain = fileURLToPath(new URL("../node/node-main.ts", import.meta.url));

/** Starts node `name` of the cluster in `dir`; answers its pid. */
export function nodeSpawn(dir: string, name: string): number {
  const log = openSync(clusterFiles.log(dir, name), "a");
  try {
    const child = spawn(process.execPath, ["--import", "tsx", nodeMain, "--dir", dir, "--node", name], {
      cwd: projectRoot, detached: true, stdio: ["ignore", log, log], env: { ...process.env },
    });
    child.unref();
    if (child.pid === undefined) throw new SsmsError(ErrorCode.nodeDown, `could not start node ${name}`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** True while a process with this pid exists (a zombie or stopped one counts). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Sends `signal` to `pid`; false when it no longer exists. */
export function pidSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `pid` is gone; false if it still runs after `waitMsMax`. */
export async function pidExited(pid: number, waitMsMax: number): Promise<boolean> {
  const deadlineMs = Date.now() + waitMsMax;
  while (Date.now() < deadlineMs) {
    if (!pidAlive(pid)) return true;
    await sleepMs(20);
  }
  return !pidAlive(pid);
}

export type NodeHealthAnswer = { readonly node: string; readonly bootId: string; readonly metadata: null | { readonly poolsKnown: boolean; readonly running: boolean } };

/** The node's health, or undefined when it does not answer (down, booting, or refusing). */
export async function nodeHealthGet(spec: ClusterSpec, node: NodeSpec, secret: string): Promise<NodeHealthAnswer | undefined> {
  const answer = await apiCall(spec.listenHost, node.apiPort, "/v1/health", { secret, timeoutMs: 2_000 });
  return answer.status === 200 ? answer.body as NodeHealthAnswer : undefined;
}

/**
 * Resolves once node `node` answers health (and, for the metadata node, knows its pools); throws
 * if it does not within `waitMsMax` or if its process `pid` died meanwhile (see its log).
 */
export async function nodeReadyWait(dir: string, spec: ClusterSpec, node: NodeSpec, secret: string, pid: number, waitMsMax: number): Promise<NodeHealthAnswer> {
  const deadlineMs = Date.now() + waitMsMax;
  while (Date.now() < deadlineMs) {
    const health = await nodeHealthGet(spec, node, secret);
    const metadataReady = node.name !== spec.metadataNode || (health?.metadata?.poolsKnown === true && health.metadata.running);
    if (health !== undefined && metadataReady) return health;
    if (!pidAlive(pid)) {
      throw new SsmsError(ErrorCode.nodeDown, `node ${node.name} (pid ${pid}) exited during boot; see ${clusterFiles.log(dir, node.name)}`);
    }
    await sleepMs(100);
  }
  throw new SsmsError(ErrorCode.limitExceeded, `node ${node.name} (pid ${pid}) did not answer health within ${waitMsMax} ms; see ${clusterFiles.log(dir, node.name)}`);
}
