// manifest.json: everything needed to trust and reproduce a run (DESIGN §8): the commit (and
// whether the tree had uncommitted changes), the config hash and root seed, each point's seed,
// config hash and fingerprint, the executor that ran the points, the versions of Node and of the
// packages that shape results, and the command line. `ssms replay` reads it back.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ErrorCode } from "../../engine/io/errors.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";

export const manifestFormat = "ssms-run-manifest";

export type ManifestPoint = {
  readonly index: number;
  readonly replication: number;
  readonly seed: string;
  readonly label: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Hash of the point's complete single-run config. */
  readonly configHash: string;
  readonly status: "ok" | "failed";
  readonly fingerprint: string | null;
  readonly error: string | null;
  /** Run-dir-relative path of the fault schedule this point applied. */
  readonly faultSchedule: string | null;
  readonly trace: string | null;
};

export type RunManifest = {
  readonly format: typeof manifestFormat;
  readonly version: 1;
  readonly experiment: string;
  readonly runId: string;
  readonly mode: string;
  /** Root seed as the run used it (after --seed). */
  readonly seed: string | number;
  /** Hash of config.json (the validated root config, sweep included). */
  readonly configHash: string;
  readonly commit: string;
  readonly commitDirty: boolean | null;
  /** The experiment file, relative to the project root when inside it. */
  readonly experimentFile: string;
  /** `module#export` of the executor, module relative to the project root when inside it. */
  readonly executor: string;
  readonly shard: string | null;
  readonly argv: readonly string[];
  readonly versions: Readonly<Record<string, string>>;
  readonly points: readonly ManifestPoint[];
};

/** Packages whose version can change results or figures. */
const keyPackages = ["seedrandom", "msgpackr", "simple-statistics", "d3", "jsdom", "@resvg/resvg-js", "@sinclair/typebox", "better-sqlite3", "typescript", "tsx"];

function git(root: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).trim();
  } catch {
    return undefined;
  }
}

/** HEAD's commit, or "unknown" outside a git checkout; dirty is null when unknown. */
export function gitCommit(root: string): { commit: string; dirty: boolean | null } {
  const commit = git(root, ["rev-parse", "HEAD"]);
  if (commit === undefined || !/^[0-9a-f]{40}$/.test(commit)) return { commit: "unknown", dirty: null };
  const status = git(root, ["status", "--porcelain", "--untracked-files=no"]);
  return { commit, dirty: status === undefined ? null : status !== "" };
}

function installedVersion(root: string, name: string): string {
  try {
    const json = JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { version?: unknown };
    return typeof json.version === "string" ? json.version : "unknown";
  } catch {
    return "not installed";
  }
}

/** Node, ssms and key package versions. */
export function versionsOf(root: string): Record<string, string> {
  const versions: Record<string, string> = { node: process.version };
  try {
    const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: unknown };
    versions["ssms"] = typeof own.version === "string" ? own.version : "unknown";
  } catch {
    versions["ssms"] = "unknown";
  }
  for (const name of keyPackages) versions[name] = installedVersion(root, name);
  return versions;
}

/** Checks the parts of a manifest that replay depends on. */
export function parseManifest(json: unknown, source: string): Result<RunManifest> {
  const fail = (why: string) => err(ErrorCode.argumentInvalid, `${source}: ${why}; is this a manifest.json written by 'ssms run'?`);
  if (typeof json !== "object" || json === null) return fail("not a JSON object");
  const data = json as Record<string, unknown>;
  if (data["format"] !== manifestFormat || data["version"] !== 1) return fail(`format is not ${manifestFormat} version 1`);
  for (const key of ["experiment", "runId", "mode", "configHash", "executor", "experimentFile"]) {
    if (typeof data[key] !== "string") return fail(`'${key}' is missing or not a string`);
  }
  const points = data["points"];
  if (!Array.isArray(points)) return fail("'points' is missing");
  for (const [position, point] of points.entries()) {
    const record = point as Record<string, unknown>;
    if (typeof record["index"] !== "number" || typeof record["replication"] !== "number" || typeof record["seed"] !== "string") return fail(`points[${position}] lacks index, replication or seed`);
  }
  return ok(json as RunManifest);
}
