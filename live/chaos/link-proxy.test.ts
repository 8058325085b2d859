// Network faults on a live cluster through the loopback link proxy, applied by the chaos
// controller from the simulator's fault vocabulary: while n1 and n2 are partitioned a message sent
// through n1 to an automaton on n2 cannot be acknowledged; after heal it is, and the same
// (producer, seq) retried across the partition is applied exactly once. A delayed link still
// delivers, and a fault the live cluster cannot apply (duplication) is refused with a reason.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import type { Fault } from "../../sim/faults/fault.ts";
import { apiCall } from "../api/api-client.ts";
import { clusterDown, clusterUp } from "../cluster/launcher.ts";
import { sleepMs } from "../cluster/node-process.ts";
import { ChaosController } from "./chaos-controller.ts";
import { LinkProxy } from "./link-proxy.ts";

test("a partition through the link proxy stops delivery, heal restores it, exactly once", async (t) => {
  t.timeout(120_000);
  const root = mkdtempSync(join(tmpdir(), "ssms-links-"));
  const dir = join(root, "cluster");
  let proxy: LinkProxy | null = null;
  t.teardown(async () => {
    await clusterDown(dir);
    await proxy?.close();
    rmSync(root, { recursive: true, force: true });
  });
  const handle = await clusterUp(dir, {
    darqNodes: 2, links: true, ownedByThisProcess: true,
    beforeNodes: async (spec) => {
      proxy = await LinkProxy.start(spec);
    },
  });
  const { spec, secret } = handle;
  const n1 = spec.nodes[0]!;
  const call = (path: string, body?: unknown, timeoutMs = 15_000) => apiCall(spec.listenHost, n1.apiPort, path, { secret, timeoutMs, ...(body === undefined ? {} : { body }) });

  // Activate counters through n1 until one lives on n2 (the other side of the partition). The 202
  // only says the message is durable; the catalog row appears once activation finishes, which on
  // a loaded machine can take a while, so the row is polled.
  const darqNodeOf = async (id: string): Promise<string> => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const row = await call(`/v1/catalog/automata/${id}`);
      const darqNode = (row.body as { darqNode?: string }).darqNode;
      if (row.status === 200 && darqNode !== undefined) return darqNode;
      await sleepMs(250);
    }
    return "";
  };
  let key = "";
  const placed: string[] = [];
  for (let index = 0; index < 16 && key === ""; index++) {
    t.is((await call(`/v1/automata/counter/k${index}/messages`, { message: { type: "add", amount: 1 } })).status, 202);
    placed.push(await darqNodeOf(`counter/k${index}`));
    if (placed.at(-1) === "n2") key = `k${index}`;
  }
  t.not(key, "", `some counter was placed on n2 (placed on: ${placed.join(", ")})`);

  const chaos = new ChaosController(handle, proxy);
  const partition: Fault = { timeUs: 0, fault: "networkPartition", targets: ["n1", "n2"], params: { groups: [["n1"], ["n2"]], asymmetric: false } };
  chaos.apply(partition);
  t.deepEqual(proxy!.blockedLinks(), ["n1>n2", "n2>n1"]);
  const message = { message: { type: "add", amount: 10 }, producer: "across-the-partition", seq: 1 };
  const cut = await call(`/v1/automata/counter/${key}/messages`, message, 3_000);
  t.is(cut.status, 0, "no acknowledgement while partitioned (the request timed out)");

  chaos.apply({ timeUs: 0, fault: "heal", targets: [], params: {} });
  t.deepEqual(proxy!.blockedLinks(), []);
  const retried = await call(`/v1/automata/counter/${key}/messages`, message, 60_000);
  t.is(retried.status, 202, `after heal the retry is acknowledged: ${JSON.stringify(retried.body)}`);
  let count = -1;
  for (let attempt = 0; attempt < 60 && count !== 11; attempt++) {
    const answer = await call(`/v1/automata/counter/${key}/ask`, { message: { type: "get" } }, 20_000);
    if (answer.status === 200) count = (answer.body as { reply: { count: number } }).reply.count;
    if (count !== 11) await sleepMs(500);
  }
  t.is(count, 11, "the message sent during the partition and retried after it was applied once");

  chaos.apply({ timeUs: 0, fault: "linkReorder", targets: ["n2"], params: { jitterUs: 20_000 } });
  t.is((await call(`/v1/automata/counter/${key}/messages`, { message: { type: "add", amount: 1 } }, 60_000)).status, 202, "a delayed link still delivers");
  chaos.apply({ timeUs: 0, fault: "linkReorder", targets: ["n2"], params: { jitterUs: 0 } });
  t.throws(() => chaos.apply({ timeUs: 0, fault: "linkDuplicate", targets: [], params: { rate: 0.1 } }), { message: /TCP never duplicates/ });
  t.is(chaos.applied.length, 4);
});
