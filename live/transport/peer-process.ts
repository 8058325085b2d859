// Spawns transport-tcp-peer.ts as a real child process (node --import=tsx) and waits for its
// "ready <port>" line; used by the SIGKILL test and the live-msgs benchmark. The secret goes in
// the child's environment. `kill()` sends SIGKILL, as a crash would, and resolves on exit.

import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { PeerArgs } from "./transport-tcp-peer.ts";
import { secretVariable } from "./transport-tcp-peer.ts";

const peerPath = fileURLToPath(new URL("./transport-tcp-peer.ts", import.meta.url));

/** How long a child may take to print "ready" (tsx compiles on first start). */
const readyMsMax = 30_000;

export class PeerProcess {
  private exited = false;
  private readonly exit: Promise<void>;

  private constructor(readonly child: ChildProcess, readonly port: number) {
    this.exit = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      child.once("exit", () => resolve());
    });
    void this.exit.then(() => (this.exited = true));
  }

  static start(args: PeerArgs, secret: string): Promise<PeerProcess> {
    const argv = ["--process", args.processId, "--listen", args.listen, "--mode", args.mode, "--port", String(args.port)];
    for (const [address, endpoint] of Object.entries(args.book)) argv.push("--book", `${address}=${endpoint}`);
    const child = spawn(process.execPath, ["--import=tsx", peerPath, ...argv], {
      stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, [secretVariable]: secret },
    });
    return new Promise((resolve, reject) => {
      let stdout = "";
      let stderr = "";
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`peer process did not get ready within ${readyMsMax} ms: ${stderr}`));
      }, readyMsMax);
      child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout!.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^ready (\d+)\n/.exec(stdout);
        if (match === null) return;
        clearTimeout(timer);
        resolve(new PeerProcess(child, Number(match[1])));
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`peer process exited (code ${code}, signal ${signal}) before ready: ${stderr}`));
      });
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** SIGKILL, as a crash; resolves once the process is gone. */
  async kill(): Promise<void> {
    if (!this.exited) this.child.kill("SIGKILL");
    await this.exit;
  }

  /** Closes stdin, which makes the peer close its transport and exit; SIGKILL if it lingers. */
  async stop(): Promise<void> {
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await this.exit;
    clearTimeout(timer);
  }
}
