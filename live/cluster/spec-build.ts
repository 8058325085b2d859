// Building a cluster spec for `ssms cluster up` and for live experiments: N nodes named n1…nN,
// the first the metadata node, ports that were free a moment ago on the listen interface, the
// SQLite catalog in the cluster directory unless a PostgreSQL URL is given.

import { createServer } from "node:net";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { clusterSpecCheck, clusterSpecFormat, type ClusterSpec } from "./cluster-spec.ts";

export type SpecBuildOptions = {
  /** Node processes with a DARQ (and spare compute), n1…nN. */
  readonly darqNodes: number;
  /** Compute-only node processes, c1…cM (default 0). */
  readonly computeNodes?: number;
  /** `postgres://…` for a PostgreSQL catalog; default a SQLite file in the cluster directory. */
  readonly catalogUrl?: string;
  readonly listenHost?: string;
  readonly workloads?: ClusterSpec["workloads"];
  readonly placement?: ClusterSpec["placement"];
  readonly darq?: Readonly<Record<string, number | boolean>>;
  readonly hostConfig?: Readonly<Record<string, number | boolean>>;
  readonly detector?: ClusterSpec["detector"];
  readonly seed?: string;
  /** Route every ordered pair of nodes through the chaos proxy (allocates its link ports). */
  readonly links?: boolean;
};

/** A port that was free on `host` just now (the kernel's choice for port 0). */
export function portFree(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function portsFree(host: string, count: number): Promise<number[]> {
  const ports = new Set<number>();
  for (let attempt = 0; ports.size < count; attempt++) {
    if (attempt > count * 10) throw new SsmsError(ErrorCode.limitExceeded, `could not find ${count} free ports on ${host}`);
    ports.add(await portFree(host));
  }
  return [...ports];
}

export async function clusterSpecBuild(options: SpecBuildOptions): Promise<ClusterSpec> {
  const host = options.listenHost ?? "127.0.0.1";
  const darqCount = options.darqNodes;
  const computeCount = options.computeNodes ?? 0;
  if (!(Number.isSafeInteger(darqCount) && darqCount >= 1 && darqCount + computeCount <= 64)) {
    throw new SsmsError(ErrorCode.argumentInvalid, `a cluster needs 1..64 nodes with at least one DARQ node; got ${darqCount} DARQ and ${computeCount} compute`);
  }
  const names = [
    ...Array.from({ length: darqCount }, (_, index) => ({ name: `n${index + 1}`, role: "darq" as const })),
    ...Array.from({ length: computeCount }, (_, index) => ({ name: `c${index + 1}`, role: "compute" as const })),
  ];
  const linkPairs = options.links === true ? names.flatMap((source) => names.filter((target) => target !== source).map((target) => `${source.name}>${target.name}`)) : [];
  const ports = await portsFree(host, names.length * 2 + 1 + linkPairs.length);
  const take = (): number => ports.shift()!;
  const nodes = names.map((node) => ({ ...node, transportPort: take(), apiPort: take() }));
  const driverPort = take();
  const links = linkPairs.length === 0 ? undefined : Object.fromEntries(linkPairs.map((pair) => [pair, take()]));
  const catalog = options.catalogUrl === undefined
    ? { kind: "sqlite" as const, path: "catalog.sqlite" }
    : { kind: "postgres" as const, url: options.catalogUrl, schema: "ssms_live" };
  const spec: ClusterSpec = {
    format: clusterSpecFormat, version: 1, listenHost: host, catalog, metadataNode: "n1", nodes, driverPort,
    ...(links === undefined ? {} : { links }),
    workloads: [...(options.workloads ?? [])],
    placement: options.placement ?? { policy: "hash" },
    ...(options.darq === undefined ? {} : { darq: { ...options.darq } }),
    ...(options.hostConfig === undefined ? {} : { hostConfig: { ...options.hostConfig } }),
    detector: options.detector ?? { heartbeatUs: 200_000, downAfterUs: 1_500_000 },
    seed: options.seed ?? "live",
  };
  return clusterSpecCheck(spec, "the built spec");
}
