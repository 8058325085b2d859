// The node API over real HTTP against a real node (LiveNode in this process, files and SQLite in
// a temp dir): requests without the cluster secret are refused on every route and change
// nothing; malformed requests are refused with 4xx and leave state alone; a (producer, seq) is
// applied once however often it is sent; msgpack works both ways; metrics are Prometheus text.

import test from "ava";
import { Packr } from "msgpackr";
import { http, nodeStart, postJson, secretTest, type NodeUnderTest } from "../node/live-node.fixtures.ts";

let cluster: NodeUnderTest;

test.before(async () => {
  cluster = await nodeStart();
});

test.after.always(async () => {
  await cluster.close();
});

/** The counter's count after every message sent before this call was processed. */
async function countOf(key: string): Promise<number> {
  const answer = await postJson(cluster.base, `/v1/automata/counter/${key}/ask`, { message: { type: "get" } });
  if (answer.status !== 200) throw new Error(`ask failed: ${answer.status} ${answer.text}`);
  return answer.json().reply.count as number;
}

test.serial("requests without the cluster secret are refused on every route and change nothing", async (t) => {
  const { base } = cluster;
  t.is((await postJson(base, "/v1/automata/counter/auth/messages", { message: { type: "add", amount: 1 } })).status, 202);
  const routes: [string, string][] = [["GET", "/v1/health"], ["GET", "/metrics"], ["GET", "/v1/catalog"], ["GET", "/v1/automata/counter/auth/state"], ["GET", "/v1/nowhere"]];
  for (const [method, path] of routes) {
    for (const auth of [false, "wrong-secret-of-some-length", `${secretTest}x`, ""] as const) {
      const answer = await http(base, path, { method, auth });
      t.is(answer.status, 401, `${method} ${path} with ${auth === false ? "no header" : "a wrong token"}`);
      t.is(answer.json().error.code, "SSMS_ERR_UNAUTHORIZED");
    }
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const refused = await postJson(base, "/v1/automata/counter/auth/messages", { message: { type: "add", amount: 100 } }, attempt % 2 === 0 ? false : "not-the-secret");
    t.is(refused.status, 401);
    t.regex(refused.text, /Bearer/);
  }
  t.is(await countOf("auth"), 1, "only the authenticated message was applied");
});

test.serial("malformed requests are refused with 4xx and leave the automaton's state unchanged", async (t) => {
  const { base } = cluster;
  t.is((await postJson(base, "/v1/automata/counter/bad/messages", { message: { type: "add", amount: 5 } })).status, 202);
  const path = "/v1/automata/counter/bad/messages";
  const cases: [string, Promise<{ status: number }>, number][] = [
    ["broken JSON", http(base, path, { body: "{\"message\": ", type: "application/json" }), 400],
    ["unknown key", postJson(base, path, { message: { type: "add", amount: 1 }, extra: 1 }), 400],
    ["no message", postJson(base, path, { producer: "p", seq: 1 }), 400],
    ["seq without producer", postJson(base, path, { message: { type: "add", amount: 1 }, seq: 3 }), 400],
    ["seq zero", postJson(base, path, { message: { type: "add", amount: 1 }, producer: "p", seq: 0 }), 400],
    ["body is an array", postJson(base, path, [1, 2]), 400],
    ["garbage msgpack", http(base, path, { body: new Uint8Array([0xc1, 0xff, 0x00]), type: "application/msgpack" }), 400],
    ["unknown type", postJson(base, "/v1/automata/nosuch/bad/messages", { message: {} }), 404],
    ["the runtime's own type", postJson(base, "/v1/automata/ssms.meta/main/messages", { message: { type: "nodeDown", node: "n1" } }), 404],
    ["too large", postJson(base, path, { message: { type: "add", amount: 1, padding: "x".repeat(2 * 1024 * 1024) } }), 413],
  ];
  for (const [what, pending, status] of cases) t.is((await pending).status, status, what);
  t.is(await countOf("bad"), 5, "none of the malformed requests reached the counter");
  // A well-formed request whose message the handler rejects is dead-lettered, not applied.
  t.is((await postJson(base, path, { message: { type: "add", amount: "seven" } })).status, 202);
  t.is(await countOf("bad"), 5);
});

test.serial("a producer and seq are applied once however often they are sent", async (t) => {
  const { base } = cluster;
  const body = { message: { type: "add", amount: 7 }, producer: "retrying-client", seq: 1 };
  for (let attempt = 0; attempt < 3; attempt++) {
    const answer = await postJson(base, "/v1/automata/counter/once/messages", body);
    t.is(answer.status, 202);
    t.like(answer.json(), { id: "counter/once", producer: "http:retrying-client", seq: 1 });
  }
  t.is((await postJson(base, "/v1/automata/counter/once/messages", { ...body, seq: 2 })).status, 202);
  t.is(await countOf("once"), 14);
});

test.serial("msgpack request bodies and msgpack answers", async (t) => {
  const packr = new Packr({ useRecords: false });
  const answer = await http(cluster.base, "/v1/automata/counter/packed/ask", {
    body: new Uint8Array(packr.pack({ message: { type: "get" } })), type: "application/msgpack", accept: "application/msgpack",
  });
  t.is(answer.status, 200);
  t.regex(answer.type, /msgpack/);
  const raw = await fetch(`${cluster.base}/v1/automata/counter/packed/state`, { headers: { authorization: `Bearer ${secretTest}`, accept: "application/msgpack" } });
  const decoded = packr.unpack(new Uint8Array(await raw.arrayBuffer())) as { id: string; state: { count: number } };
  t.is(decoded.id, "counter/packed");
  t.is(typeof decoded.state.count, "number");
});

test.serial("health, catalog and Prometheus metrics describe the node", async (t) => {
  const { base, node } = cluster;
  const health = (await http(base, "/v1/health")).json();
  t.like(health, { node: "n1", role: "darq", metadata: { running: true, poolsKnown: true } });
  const catalog = (await http(base, "/v1/catalog")).json();
  t.true(catalog.nodes.some((row: { id: string }) => row.id === "n1-c"));
  t.true(catalog.activeAutomata >= 1);
  t.is((await http(base, "/v1/catalog/automata/counter/once")).json().darqNode, "n1");
  const metrics = await http(base, "/metrics");
  t.regex(metrics.type, /text\/plain/);
  for (const name of ["ssms_steps_committed_total", "ssms_messages_sent_total", "ssms_messages_received_total", "ssms_step_latency_seconds_bucket", "ssms_fsync_latency_seconds_count"]) {
    t.regex(metrics.text, new RegExp(`^${name}\\{node="n1"`, "m"), name);
  }
  t.regex(metrics.text, /ssms_processor_steps_committed_total\{node="n1",type="counter"\} [1-9]/);
  t.is(node.transport.endpoint.host, "127.0.0.1", "nothing listens beyond loopback unless configured");
  t.is(node.api!.app.server.address() !== null && typeof node.api!.app.server.address() === "object" ? (node.api!.app.server.address() as { address: string }).address : "", "127.0.0.1");
});
