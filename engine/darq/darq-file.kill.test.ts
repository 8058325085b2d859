// The DARQ on real files, killed for real: a child process runs a ring of logical DARQs on a
// LogDeviceFile (darq-kill-child.ts) and prints each step once it is durable; the parent kills
// it with SIGKILL mid-stream, reopens the directory with a fresh PhysicalDarq, and proves that
// every acknowledged step is present, no step is present twice, and each token's journey is
// intact (its consumed hops are 0..m and hop m+1 waits, exactly once, as unconsumed input).
// Three kill/restart cycles on the same directory, so recovery of a recovered, compacted log is
// covered too.

import test from "ava";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ClockNode } from "../io/node/clock-node.ts";
import { LogDeviceFile } from "../io/node/log-device-file.ts";
import { ringFold, ringLogicals, ringTarget } from "./darq-kill-child.ts";
import { text } from "./darq-test-world.ts";
import { EntryKind } from "./entry.ts";
import { PhysicalDarq } from "./physical-darq.ts";

const childPath = fileURLToPath(new URL("./darq-kill-child.ts", import.meta.url));
const tokens = 24;
const logicalCount = 6;

/** Runs a child on `dir` until it has acknowledged `killAfter` steps, then SIGKILLs it. */
function runAndKill(dir: string, killAfter: number, acknowledged: Set<string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import=tsx", childPath, dir, String(tokens), String(logicalCount)],
      { stdio: ["ignore", "pipe", "pipe"] });
    let seen = 0;
    let partial = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.startsWith("ack ")) continue;
        acknowledged.add(line.slice(4));
        if (++seen === killAfter) child.kill("SIGKILL");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve();
      else reject(new Error(`child exited with code ${code} before the kill: ${stderr}`));
    });
  });
}

type Recovered = { hops: string[]; waiting: string[]; checkpointed: boolean };

/** Opens the directory as the next run would and reads back every logical DARQ's state. */
function recoverDir(dir: string): Promise<Recovered> {
  const clock = new ClockNode();
  const device = LogDeviceFile.open(dir, { segmentBytes: 64 * 1024 });
  const darq = PhysicalDarq.open({
    device, clock, transport: { send() {}, listen() {}, unlisten() {} },
    router: { resolve: () => undefined, invalidate: () => {} }, address: "parent",
  });
  return new Promise((resolve, reject) => {
    // Registering waits for the recovered log to be durable, after which reads are complete.
    const logicals = ringLogicals(logicalCount);
    const registered = darq.register(logicals[0]!, () => {}, (failure) => {
      if (failure !== null) return reject(new Error(failure.reason));
      const result: Recovered = { hops: [], waiting: [], checkpointed: darq.recovery.fromCheckpoint };
      for (const logical of logicals) {
        const entries = darq.readUnconsumed(logical);
        if (!entries.ok) return reject(new Error(entries.reason));
        let state: string[] = [];
        for (const entry of entries.value) {
          if (entry.kind === EntryKind.self) state = ringFold(state, text(entry.body));
          else result.waiting.push(`${logical}=${text(entry.body)}`);
        }
        result.hops.push(...state);
      }
      darq.stop();
      device.close();
      clock.close();
      resolve(result);
    });
    if (!registered.ok) reject(new Error(registered.reason));
  });
}

test.serial("SIGKILL mid-stream: every acknowledged step survives, none twice, every token's journey intact", async (t) => {
  t.timeout(90_000);
  const dir = fs.mkdtempSync(join(tmpdir(), "ssms-darq-kill-"));
  const logicals = ringLogicals(logicalCount);
  const acknowledged = new Set<string>();
  try {
    for (const killAfter of [150, 900, 2_500]) {
      await runAndKill(dir, killAfter, acknowledged);
      const recovered = await recoverDir(dir);
      const present = new Set(recovered.hops);
      t.is(present.size, recovered.hops.length, "no step is present twice");
      const missing = [...acknowledged].filter((hop) => !present.has(hop));
      t.deepEqual(missing, [], "every acknowledged step is present");
      for (let token = 0; token < tokens; token++) {
        let last = -1;
        while (present.has(`${token}:${last + 1}`)) last++;
        const consumed = recovered.hops.filter((hop) => hop.startsWith(`${token}:`)).length;
        t.is(consumed, last + 1, `token ${token}: consumed hops are 0..${last}, without gaps`);
        const waiting = recovered.waiting.filter((entry) => entry.endsWith(`=${token}:${last + 1}`));
        const expected = last === -1 ? [[], [`${ringTarget(logicals, token, 0)}=${token}:0`]] :
          [[`${ringTarget(logicals, token, last + 1)}=${token}:${last + 1}`]];
        t.true(expected.some((option) => JSON.stringify(option) === JSON.stringify(waiting)),
          `token ${token}: its next hop waits exactly once (${JSON.stringify(waiting)})`);
      }
      t.log(`killed after ${killAfter} acks: ${acknowledged.size} acknowledged, ${present.size} present, ` +
        `recovered ${recovered.checkpointed ? "from a checkpoint" : "from the start"}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
