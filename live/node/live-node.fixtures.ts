// Shared by the live node and API tests: a one-node cluster booted inside the test process (a real
// LiveNode on real files, sockets and SQLite in a temp dir; no mocks), and an HTTP helper.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogBootstrap, catalogClose, catalogOpen } from "../cluster/catalog-open.ts";
import { definitionsOf } from "../cluster/cluster-model.ts";
import { clusterSpecBuild, type SpecBuildOptions } from "../cluster/spec-build.ts";
import { sleepMs } from "../cluster/node-process.ts";
import { LiveNode } from "./live-node.ts";

export const secretTest = "a-test-cluster-secret-0123456789";

export type NodeUnderTest = { readonly node: LiveNode; readonly base: string; readonly dir: string; close(): Promise<void> };

export async function nodeStart(options: Partial<SpecBuildOptions> = {}): Promise<NodeUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), "ssms-node-"));
  const spec = await clusterSpecBuild({ darqNodes: 1, ...options });
  const catalog = await catalogOpen(spec, dir);
  await catalogBootstrap(catalog, spec, definitionsOf(spec));
  await catalogClose(catalog);
  const node = await LiveNode.start({ spec, name: "n1", clusterDir: dir, secret: secretTest });
  for (let polls = 0; polls < 500 && node.health().metadata?.poolsKnown !== true; polls++) await sleepMs(10);
  return {
    node, base: `http://127.0.0.1:${node.api!.port}`, dir,
    async close() {
      await node.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type HttpAnswer = { readonly status: number; readonly type: string; readonly text: string; json(): any };

/** One request; `auth` false sends no Authorization header, a string sends that token. */
export async function http(base: string, path: string, init: { method?: string; body?: BodyInit; type?: string; auth?: boolean | string; accept?: string } = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (init.auth !== false) headers["authorization"] = `Bearer ${typeof init.auth === "string" ? init.auth : secretTest}`;
  if (init.type !== undefined) headers["content-type"] = init.type;
  if (init.accept !== undefined) headers["accept"] = init.accept;
  const response = await fetch(`${base}${path}`, { method: init.method ?? (init.body === undefined ? "GET" : "POST"), headers, ...(init.body === undefined ? {} : { body: init.body }) });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type") ?? "", text, json: () => JSON.parse(text) };
}

/** POSTs JSON. */
export function postJson(base: string, path: string, body: unknown, auth: boolean | string = true): Promise<HttpAnswer> {
  return http(base, path, { body: JSON.stringify(body), type: "application/json", auth });
}
