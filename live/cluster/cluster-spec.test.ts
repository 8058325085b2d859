// The cluster spec and what is derived from it: a built spec is valid and names every problem of
// a broken one with its path; address books route every other process's addresses (through the
// link proxy when the spec has links); the live group placement keeps a co-location group on one
// DARQ (with its spare compute) or spreads its members, and skips nodes that are down.

import test from "ava";
import type { ComputeNodeInfo, DarqNodeInfo } from "../../engine/runtime/placement.ts";
import { workloadDriversOf } from "./cluster-model.ts";
import { addressBookOf, addressesOfProcess, clusterSpecCheck, computeNodeOf, driverAddresses, processOfNode, type ClusterSpec } from "./cluster-spec.ts";
import { groupPlacement } from "./group-placement.ts";
import { clusterSpecBuild } from "./spec-build.ts";

test("a built spec is valid; a broken one is refused with every problem and its path", async (t) => {
  const spec = await clusterSpecBuild({ darqNodes: 2, computeNodes: 1 });
  t.deepEqual(spec.nodes.map((node) => `${node.name}:${node.role}`), ["n1:darq", "n2:darq", "c1:compute"]);
  t.is(spec.listenHost, "127.0.0.1", "loopback unless configured");
  const broken = structuredClone(spec) as unknown as Record<string, any>;
  broken["metadataNode"] = "c1";
  broken["nodes"][1].transportPort = broken["nodes"][0].apiPort;
  broken["detector"].downAfterUs = broken["detector"].heartbeatUs;
  const error = t.throws(() => clusterSpecCheck(broken, "cluster.json"));
  t.regex(error.message, /SSMS_ERR_CONFIG_INVALID/);
  t.regex(error.message, /\/metadataNode/);
  t.regex(error.message, /port \d+ is used twice/);
  t.regex(error.message, /\/detector\/downAfterUs/);
  t.throws(() => clusterSpecCheck({ ...spec, extra: 1 }, "cluster.json"), { message: /extra|additional/i });
});

test("address books route other processes' addresses directly, or through their link ports", async (t) => {
  const direct = await clusterSpecBuild({ darqNodes: 2 });
  const book = addressBookOf(direct, "n1");
  for (const address of addressesOfProcess(direct.nodes[1]!)) t.is(book[address], `127.0.0.1:${direct.nodes[1]!.transportPort}`);
  for (const address of driverAddresses) t.is(book[address], `127.0.0.1:${direct.driverPort}`);
  t.is(book["n1"], undefined, "a process does not route to itself");
  const linked: ClusterSpec = await clusterSpecBuild({ darqNodes: 2, links: true });
  t.is(addressBookOf(linked, "n1")["n2~proc"], `127.0.0.1:${linked.links!["n1>n2"]}`);
  t.is(addressBookOf(linked, "driver")["n2~proc"], `127.0.0.1:${linked.nodes[1]!.transportPort}`, "the driver is never behind the proxy");
  t.is(processOfNode(linked, computeNodeOf(linked.nodes[1]!))?.name, "n2");
});

function pools(up: Record<string, boolean> = {}): { compute: ComputeNodeInfo[]; darq: DarqNodeInfo[] } {
  const darq = ["n1", "n2", "n3"].map((id) => ({ id, tier: "ssd" as const, pool: "darq:file", zone: "local", up: up[id] ?? true }));
  const compute = ["n1", "n2", "n3"].map((id) => ({ id: `${id}-c`, kind: "darq-spare" as const, pool: `spare:${id}`, zone: "local", cores: 1, darqNode: id, up: up[id] ?? true }));
  return { compute, darq };
}

test("group placement keeps a pi chain together or spreads it, beside its DARQ, around down nodes", async (t) => {
  const spec = await clusterSpecBuild({ darqNodes: 3, workloads: [{ workload: { kind: "pi-chain", chainCount: 4, computeScale: 1 } }] });
  const drivers = workloadDriversOf(spec);
  const load = { placedCount: 0, automataByNode: {} };
  const together = groupPlacement(drivers, "darq-and-compute");
  const first = together("pi/1.0", "pi", pools(), load)!;
  t.deepEqual(together("pi/1.1", "pi", pools(), load), first, "one chain, one DARQ and its spare compute");
  t.is(first.computeNode, `${first.darqNode}-c`);
  const spread = groupPlacement(drivers, "none");
  const slot0 = spread("pi/2.0", "pi", pools(), load)!;
  const slot1 = spread("pi/2.1", "pi", pools(), load)!;
  t.not(slot0.darqNode, slot1.darqNode, "colocation none: every hop crosses DARQs");
  t.is(slot1.computeNode, `${slot1.darqNode}-c`, "without compute-only nodes, processors sit beside their DARQ");
  const avoided = together("pi/1.0", "pi", pools({ [first.darqNode]: false }), load)!;
  t.not(avoided.darqNode, first.darqNode, "a down DARQ node is skipped");
  t.is(together("pi/1.0", "pi", pools({ n1: false, n2: false, n3: false }), load), null, "nothing up: wait");
});
