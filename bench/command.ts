// `ssms bench <name>`: the same benchmarks as `npm run bench -- <name>`, run in a child process
// so that each benchmark starts on a clean heap.

import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export async function main(args: string[]): Promise<number> {
  const runner = join(dirname(fileURLToPath(import.meta.url)), "run.ts");
  const child = spawnSync(process.execPath, ["--import=tsx", runner, ...args], { stdio: "inherit" });
  return child.status ?? 1;
}
