// A cluster owned by a process (a test, an experiment point) is not orphaned when that process
// dies without cleaning up: its node processes notice the owner is gone and stop.

import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import test from "ava";
import { clusterDirForTest } from "./cluster-dir.fixtures.ts";
import { pidExited } from "./node-process.ts";

const launcher = fileURLToPath(new URL("./launcher.ts", import.meta.url));
const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

test("an owned cluster stops when its owner exits without cleaning up", async (t) => {
  t.timeout(90_000);
  const dir = clusterDirForTest(t, "owner");
  const script = `import { clusterUp } from ${JSON.stringify(launcher)};
const handle = await clusterUp(${JSON.stringify(dir)}, { darqNodes: 2, ownedByThisProcess: true });
process.stdout.write(JSON.stringify(handle.pids));
process.exit(0);`;
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: projectRoot, timeout: 60_000 }, (error, out) => {
      if (error !== null) reject(error);
      else resolve(out);
    });
  });
  const pids = Object.values(JSON.parse(stdout) as Record<string, number>);
  t.is(pids.length, 2);
  for (const pid of pids) t.true(await pidExited(pid, 20_000), `node ${pid} stopped after its owner exited`);
});
