// A peer process for the transport's tests and the live-msgs benchmark: one TransportTcp in its
// own OS process, listening on one logical address, that either echoes every message back to its
// sender ("echo") or counts messages and acknowledges the running count to each sender once per
// event-loop turn ("sink"; the count is {acked: n}, so a sender can keep a bounded window).
//
// Usage: node --import=tsx transport-tcp-peer.ts --process <id> --listen <address>
//          --mode echo|sink [--port <n>] [--book <address>=<host:port>]...
// The cluster secret comes from the SSMS_CLUSTER_SECRET environment variable, never argv (which
// other users of the machine can read). It prints "ready <port>" once listening, and exits when
// its stdin closes, so it never outlives the parent that spawned it.

import { pathToFileURL } from "node:url";
import type { Address } from "../../engine/io/transport.ts";
import { TransportTcp } from "./transport-tcp.ts";

export type PeerMode = "echo" | "sink";

export type PeerArgs = {
  processId: string;
  listen: Address;
  mode: PeerMode;
  port: number;
  book: Record<Address, string>;
};

export const secretVariable = "SSMS_CLUSTER_SECRET";

export function peerArgsParse(argv: readonly string[]): PeerArgs {
  const args: PeerArgs = { processId: "", listen: "", mode: "echo", port: 0, book: {} };
  for (let index = 0; index < argv.length; index += 2) {
    const [key, value] = [argv[index], argv[index + 1]];
    if (value === undefined) throw new Error(`argument ${key} has no value`);
    if (key === "--process") args.processId = value;
    else if (key === "--listen") args.listen = value;
    else if (key === "--port") args.port = Number(value);
    else if (key === "--mode" && (value === "echo" || value === "sink")) args.mode = value;
    else if (key === "--book" && value.includes("=")) {
      const at = value.indexOf("=");
      args.book[value.slice(0, at)] = value.slice(at + 1);
    } else throw new Error(`unknown or invalid argument ${key} ${value}`);
  }
  if (args.processId === "" || args.listen === "") throw new Error("--process and --listen are required");
  return args;
}

/** Starts the peer's transport and its handler; resolves with the transport once listening. */
export async function peerStart(args: PeerArgs, secret: string): Promise<TransportTcp> {
  const transport = await TransportTcp.start({ processId: args.processId, secret, port: args.port, book: args.book });
  if (args.mode === "echo") {
    transport.listen(args.listen, (from, message) => transport.send(args.listen, from, message, 0));
    return transport;
  }
  // Sink: one cumulative ack per sender per turn, however many messages the turn delivered.
  const counts = new Map<Address, number>();
  const dirty = new Set<Address>();
  let scheduled = false;
  const ack = (): void => {
    scheduled = false;
    for (const sender of dirty) transport.send(args.listen, sender, { acked: counts.get(sender) }, 16);
    dirty.clear();
  };
  transport.listen(args.listen, (from) => {
    counts.set(from, (counts.get(from) ?? 0) + 1);
    dirty.add(from);
    if (!scheduled) {
      scheduled = true;
      setImmediate(ack);
    }
  });
  return transport;
}

async function main(): Promise<void> {
  const secret = process.env[secretVariable];
  if (secret === undefined) throw new Error(`set ${secretVariable} to the cluster secret`);
  const transport = await peerStart(peerArgsParse(process.argv.slice(2)), secret);
  process.stdout.write(`ready ${transport.endpoint.port}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    void transport.close().then(() => process.exit(0));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
