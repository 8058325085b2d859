// The node process: `node --import tsx live/node/node-main.ts --dir DIR --node NAME`, started by
// the launcher (live/cluster/launcher.ts) or the chaos controller after a kill. It reads the spec
// and the secret from DIR, boots a LiveNode and logs JSON lines to stdout (the launcher appends
// them to DIR/logs/NAME.log); the line with event "nodeReady" tells the launcher it is up.
// SIGTERM and SIGINT close it cleanly; SIGKILL is the crash the design is built to survive. A
// cluster with an owner (DIR/owner) stops when the owner process is gone.
// Exit codes: 0 after a clean stop, 1 when it cannot boot (the reason is the last log line).

import { parseArgs } from "node:util";
import { LiveNode } from "./live-node.ts";
import { ownerRead, secretRead, specRead } from "../cluster/cluster-dir.ts";
import { pidAlive } from "../cluster/node-process.ts";

function log(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ atMs: Date.now(), event, ...fields })}\n`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { dir: { type: "string" }, node: { type: "string" } }, strict: true });
  if (values.dir === undefined || values.node === undefined) {
    log("bootFailed", { reason: "usage: node-main.ts --dir DIR --node NAME" });
    return 1;
  }
  const dir = values.dir;
  const spec = specRead(dir);
  const live = await LiveNode.start({ spec, name: values.node, clusterDir: dir, secret: secretRead(dir), log });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log("nodeStopping", { signal });
    live.close().then(() => process.exit(0), (error: unknown) => {
      log("closeFailed", { reason: String(error) });
      process.exit(1);
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  const owner = ownerRead(dir);
  if (owner !== undefined) {
    // A cluster owned by a test or an experiment point ends with it, even if it could not clean up.
    setInterval(() => {
      if (!pidAlive(owner)) stop(`owner ${owner} exited`);
    }, 1_000).unref();
  }
  return 0;
}

main().then((code) => {
  if (code !== 0) process.exit(code);
}, (error: unknown) => {
  log("bootFailed", { reason: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
  process.exit(1);
});
