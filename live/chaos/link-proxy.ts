// The loopback link proxy: network faults for a live cluster on one machine. A cluster started
// with links (spec `links`) has every ordered pair of node processes connect through its own
// proxy port (source > target), so the proxy knows who talks to whom and can hurt one link
// without touching the others. Each accepted connection is piped to the target's transport port.
//
// Faults (the chaos controller's LinkFaults):
//   partition(groups, asymmetric)  links between processes of different groups are cut: open
//                                  connections are destroyed and new ones refused, until heal.
//                                  Asymmetric: only links from an earlier group to a later one.
//   delay(jitterUs, nodes)         every chunk on links touching `nodes` (all links when empty)
//                                  waits a uniform [0, jitterUs] more, never overtaking the one
//                                  before it; 0 ends the delay
//   loss(rate, nodes)              each chunk resets its connection with chance `rate` (TCP loses
//                                  connections, not bytes); 0 ends it
// A cut or reset link is what the transport handles anyway (reconnect with backoff, the DARQ's
// retries), so these faults exercise exactly the paths real networks do.

import { createConnection, createServer, type Server, type Socket } from "node:net";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import type { ClusterSpec } from "../cluster/cluster-spec.ts";
import type { LinkFaults } from "./chaos-controller.ts";

type Link = { readonly source: string; readonly target: string; readonly server: Server; readonly sockets: Set<Socket> };
type Pending = { dueMs: number; chunk: Buffer };

export class LinkProxy implements LinkFaults {
  private readonly links: Link[] = [];
  private blocked = new Set<string>();
  private delayUs = 0;
  private delayNodes: ReadonlySet<string> = new Set();
  private lossRate = 0;
  private lossNodes: ReadonlySet<string> = new Set();
  private readonly random = new RandomNode("link-proxy");

  private constructor(private readonly spec: ClusterSpec) {}

  /** Listens on every link port of `spec` (which must have links). */
  static async start(spec: ClusterSpec): Promise<LinkProxy> {
    const proxy = new LinkProxy(spec);
    for (const [pair, port] of Object.entries(spec.links ?? {})) {
      const [source, target] = pair.split(">") as [string, string];
      await proxy.listen(source, target, port);
    }
    return proxy;
  }

  partition(groups: readonly (readonly string[])[], asymmetric: boolean): void {
    const groupOf = new Map<string, number>();
    groups.forEach((group, index) => group.forEach((node) => groupOf.set(node, index)));
    this.blocked = new Set();
    for (const link of this.links) {
      const from = groupOf.get(link.source);
      const to = groupOf.get(link.target);
      if (from === undefined || to === undefined || from === to || (asymmetric && from > to)) continue;
      this.blocked.add(key(link));
      for (const socket of link.sockets) socket.destroy();
    }
  }

  heal(): void {
    this.blocked = new Set();
  }

  delay(jitterUs: number, nodes: readonly string[]): void {
    this.delayUs = jitterUs;
    this.delayNodes = new Set(nodes);
  }

  loss(rate: number, nodes: readonly string[]): void {
    this.lossRate = rate;
    this.lossNodes = new Set(nodes);
  }

  /** Links cut now, as "source>target". */
  blockedLinks(): string[] {
    return [...this.blocked].sort();
  }

  async close(): Promise<void> {
    for (const link of this.links) {
      for (const socket of link.sockets) socket.destroy();
      await new Promise<void>((resolve) => link.server.close(() => resolve()));
    }
  }

  private listen(source: string, target: string, port: number): Promise<void> {
    const targetNode = this.spec.nodes.find((node) => node.name === target)!;
    const link: Link = { source, target, server: createServer(), sockets: new Set() };
    link.server.on("connection", (inbound) => this.accept(link, inbound, targetNode.transportPort));
    this.links.push(link);
    return new Promise((resolve, reject) => {
      link.server.once("error", reject);
      link.server.listen({ host: this.spec.listenHost, port }, () => resolve());
    });
  }

  private accept(link: Link, inbound: Socket, targetPort: number): void {
    if (this.blocked.has(key(link))) {
      inbound.destroy();
      return;
    }
    const outbound = createConnection({ host: this.spec.listenHost, port: targetPort });
    for (const socket of [inbound, outbound]) {
      link.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on("error", () => undefined);
      socket.on("close", () => {
        link.sockets.delete(socket);
        inbound.destroy();
        outbound.destroy();
      });
    }
    this.pipe(link, inbound, outbound);
    this.pipe(link, outbound, inbound);
  }

  /** Copies `from` to `to` through the link's faults, in order. */
  private pipe(link: Link, from: Socket, to: Socket): void {
    const queue: Pending[] = [];
    let lastDueMs = 0;
    const drain = (): void => {
      const nowMs = Date.now();
      while (queue.length > 0 && queue[0]!.dueMs <= nowMs) to.write(queue.shift()!.chunk);
      if (queue.length > 0) setTimeout(drain, Math.max(0, queue[0]!.dueMs - nowMs));
    };
    from.on("data", (chunk: Buffer) => {
      if (this.blocked.has(key(link)) || (this.touches(link, this.lossNodes) && this.lossRate > 0 && this.random.chance(this.lossRate))) {
        from.destroy();
        return;
      }
      const jitterMs = this.touches(link, this.delayNodes) ? (this.random.float() * this.delayUs) / 1000 : 0;
      if (jitterMs === 0 && queue.length === 0) {
        to.write(chunk);
        return;
      }
      lastDueMs = Math.max(lastDueMs, Date.now() + jitterMs);
      queue.push({ dueMs: lastDueMs, chunk });
      if (queue.length === 1) setTimeout(drain, Math.max(0, lastDueMs - Date.now()));
    });
  }

  private touches(link: Link, nodes: ReadonlySet<string>): boolean {
    return nodes.size === 0 || nodes.has(link.source) || nodes.has(link.target);
  }
}

function key(link: Pick<Link, "source" | "target">): string {
  return `${link.source}>${link.target}`;
}
