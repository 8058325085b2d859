// The one place where a run mode is bound to the executor that runs its points. An executor is
// named by module path (relative to the project root) and export name rather than held as a
// function, because points run on worker threads, and a worker can only be told what to import.
// Registering the simulated cluster's executor, or the live one, is one line here.
//
// `--executor path.ts#name` on the command line overrides the registry for one run (to try an
// executor before registering it, and for tests); the manifest records the executor a run used,
// so `ssms replay` re-runs with the same one.

import { existsSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ErrorCode } from "../../engine/io/errors.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";
import type { PointExecutor, RunMode } from "./point.ts";

export type ExecutorRef = {
  /** Module path, relative to the project root (or absolute outside it). */
  readonly module: string;
  readonly exportName: string;
};

/** The project root (the folder holding package.json). */
export const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

const registry: Readonly<Record<RunMode, ExecutorRef | undefined>> = {
  sim: { module: "sim/cluster/point-executor.ts", exportName: "executePointSim" },
  live: { module: "live/cluster/point-executor.ts", exportName: "executePointLive" },
};

/** `module#export`, the form used on the command line and in manifests. */
export function formatExecutorRef(ref: ExecutorRef): string {
  return `${ref.module}#${ref.exportName}`;
}

/** Parses `path.ts#exportName`; a path is taken relative to `cwd`, stored relative to the root. */
export function parseExecutorRef(text: string, cwd: string = process.cwd()): Result<ExecutorRef> {
  const match = /^(.+\.[cm]?[tj]s)#([A-Za-z_$][\w$]*)$/.exec(text.trim());
  if (match === null) return err(ErrorCode.argumentInvalid, `--executor '${text}' is not module#export, e.g. --executor sim/cluster/point-executor.ts#executePointSim`);
  const absolute = resolve(cwd, match[1]!);
  const inside = relative(projectRoot, absolute);
  const module = inside.startsWith("..") || isAbsolute(inside) ? absolute : inside.split(sep).join("/");
  return ok({ module, exportName: match[2]! });
}

/** The module's file path. */
export function executorPath(ref: ExecutorRef): string {
  return isAbsolute(ref.module) ? ref.module : resolve(projectRoot, ref.module);
}

/** The executor registered for `mode`, checked to exist on disk. */
export function executorFor(mode: RunMode): Result<ExecutorRef> {
  const ref = registry[mode];
  if (ref === undefined) return err(ErrorCode.argumentInvalid, `mode '${mode}' has no executor yet; run this experiment with "mode": "sim", or register a ${mode} executor in experiments/runner/executors.ts`);
  return checkExecutor(ref, `the executor registered for mode '${mode}'`);
}

/** Checks that the executor's module exists (its export is checked when it is loaded). */
export function checkExecutor(ref: ExecutorRef, what: string): Result<ExecutorRef> {
  if (!existsSync(executorPath(ref))) return err(ErrorCode.argumentInvalid, `${what} is ${formatExecutorRef(ref)}, but ${ref.module} does not exist`);
  return ok(ref);
}

const loaded = new Map<string, PointExecutor>();

/** Imports the executor (once per thread) and checks that the export is a function. */
export async function loadExecutor(ref: ExecutorRef): Promise<PointExecutor> {
  const key = formatExecutorRef(ref);
  const cached = loaded.get(key);
  if (cached !== undefined) return cached;
  const module = (await import(pathToFileURL(executorPath(ref)).href)) as Record<string, unknown>;
  const executor = module[ref.exportName];
  if (typeof executor !== "function") throw new Error(`${ref.module} has no exported function '${ref.exportName}' (exports: ${Object.keys(module).join(", ") || "none"})`);
  loaded.set(key, executor as PointExecutor);
  return executor as PointExecutor;
}
