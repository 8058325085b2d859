// A fresh directory for a test's live cluster: the cluster is taken down and the directory removed
// when the test ends, whether or not the cluster came up.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecutionContext } from "ava";
import { clusterDown } from "./launcher.ts";

/** The cluster directory (not yet created) inside a new temp directory named after `name`. */
export function clusterDirForTest(t: ExecutionContext, name: string): string {
  const root = mkdtempSync(join(tmpdir(), `ssms-${name}-`));
  const dir = join(root, "cluster");
  t.teardown(async () => {
    await clusterDown(dir);
    rmSync(root, { recursive: true, force: true });
  });
  return dir;
}
