// The files of a live cluster directory, in one place so the launcher, the node processes, the
// driver and the chaos controller agree on them:
//
//   DIR/cluster.json        the spec (cluster-spec.ts)
//   DIR/secret              the cluster secret: 32 random bytes as hex, mode 0600
//   DIR/pids.json           node name → pid of its current process (the launcher and chaos update it)
//   DIR/owner               optional: pid of the process that owns the cluster (a test, an
//                           experiment point); nodes exit once it is gone, so none is orphaned
//   DIR/logs/<node>.log     stdout and stderr of every boot of that node, appended
//   DIR/nodes/<node>/log/   the node's DARQ log segments
//   DIR/catalog.sqlite      the catalog (SQLite default)

import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { clusterSpecCheck, type ClusterSpec } from "./cluster-spec.ts";

export const clusterFiles = {
  spec: (dir: string) => join(dir, "cluster.json"),
  secret: (dir: string) => join(dir, "secret"),
  pids: (dir: string) => join(dir, "pids.json"),
  owner: (dir: string) => join(dir, "owner"),
  logs: (dir: string) => join(dir, "logs"),
  log: (dir: string, node: string) => join(dir, "logs", `${node}.log`),
  nodeDir: (dir: string, node: string) => join(dir, "nodes", node),
};

/** Creates DIR/secret with a fresh 256-bit secret, readable by the owner only. */
export function secretCreate(dir: string): string {
  const secret = randomBytes(32).toString("hex");
  const path = clusterFiles.secret(dir);
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(path, 0o600);
  return secret;
}

/** Reads DIR/secret; refuses a secret file that others may read. */
export function secretRead(dir: string): string {
  const path = clusterFiles.secret(dir);
  if (!existsSync(path)) throw new SsmsError(ErrorCode.configInvalid, `no cluster secret at ${path}; start the cluster with 'ssms cluster up'`);
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new SsmsError(ErrorCode.configInvalid, `cluster secret ${path} has mode ${mode.toString(8)}; it must be readable by its owner only (chmod 600)`);
  }
  const secret = readFileSync(path, "utf8").trim();
  if (secret.length < 16) throw new SsmsError(ErrorCode.configInvalid, `cluster secret ${path} is shorter than 16 characters`);
  return secret;
}

export function specWrite(dir: string, spec: ClusterSpec): void {
  writeAtomic(clusterFiles.spec(dir), `${JSON.stringify(spec, null, 2)}\n`);
}

export function specRead(dir: string): ClusterSpec {
  const path = clusterFiles.spec(dir);
  if (!existsSync(path)) throw new SsmsError(ErrorCode.argumentInvalid, `${dir} holds no cluster (no cluster.json); start one with 'ssms cluster up --dir ${dir}'`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new SsmsError(ErrorCode.configInvalid, `${path} is not valid JSON: ${(error as Error).message}`);
  }
  return clusterSpecCheck(parsed, path);
}

export function pidsRead(dir: string): Record<string, number> {
  const path = clusterFiles.pids(dir);
  if (!existsSync(path)) return {};
  const parsed = JSON.parse(readFileSync(path, "utf8")) as unknown;
  const pids: Record<string, number> = {};
  if (typeof parsed === "object" && parsed !== null) {
    for (const [node, pid] of Object.entries(parsed)) if (typeof pid === "number" && Number.isSafeInteger(pid)) pids[node] = pid;
  }
  return pids;
}

export function pidsWrite(dir: string, pids: Readonly<Record<string, number>>): void {
  writeAtomic(clusterFiles.pids(dir), `${JSON.stringify(pids, null, 2)}\n`);
}

export function dirsCreate(dir: string): void {
  mkdirSync(clusterFiles.logs(dir), { recursive: true });
}

/** Write-then-rename, so a reader never sees half a file. */
function writeAtomic(path: string, text: string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** The owner pid of the cluster in `dir`, if it has one. */
export function ownerRead(dir: string): number | undefined {
  const path = clusterFiles.owner(dir);
  if (!existsSync(path)) return undefined;
  const pid = Number(readFileSync(path, "utf8").trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

export function ownerWrite(dir: string, pid: number): void {
  writeAtomic(clusterFiles.owner(dir), `${pid}\n`);
}
