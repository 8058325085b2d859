// The handshake and the inbound checks of TransportTcp, driven with hand-made clients and
// servers: only a peer that proves it holds the cluster secret gets a frame read, the proof
// cannot be replayed, a server that cannot prove it gets no data, and an authenticated peer that
// breaks a limit or lies about its process loses its connection, and only its own.

import test from "ava";
import * as net from "node:net";
import { ErrorCode } from "../../engine/io/errors.ts";
import { frameEncode } from "../../engine/io/frame.ts";
import type { Address } from "../../engine/io/transport.ts";
import { transportPackr } from "./batch-codec.ts";
import { controlDecode, controlFrame } from "./handshake.ts";
import type { TransportTcp } from "./transport-tcp.ts";
import type { TransportProblem } from "./transport-tcp-config.ts";
import { endpointOf, RawClient, secretTest, settle, transportStart, waitFor } from "./transport-tcp.fixtures.ts";

type Received = Array<{ from: Address; message: unknown }>;

async function receiver(overrides: Parameters<typeof transportStart>[1] = {}): Promise<{
  transport: TransportTcp; received: Received; problems: TransportProblem[];
}> {
  const problems: TransportProblem[] = [];
  const transport = await transportStart("server", { onProblem: (problem) => problems.push(problem), ...overrides });
  const received: Received = [];
  transport.listen("sink", (from, message) => received.push({ from, message }));
  return { transport, received, problems };
}

test("a peer with the wrong secret is refused: counted on both sides, nothing delivered", async (t) => {
  const { transport: server, received, problems } = await receiver();
  const clientProblems: TransportProblem[] = [];
  const client = await transportStart("client", {
    secret: "another-cluster-secret-entirely", reconnectDelayMsMin: 1000, onProblem: (problem) => clientProblems.push(problem),
  });
  client.book.set("sink", endpointOf(server));
  client.send("me", "sink", "let me in", 8);
  await waitFor(() => server.stats.authFailures >= 1 && client.stats.authRejected >= 1, "the refusal");
  t.deepEqual(received, []);
  t.is(server.stats.framesReceived, 0);
  t.is(problems[0]?.code, ErrorCode.unauthorized);
  t.regex(problems[0]?.reason ?? "", /does not verify: wrong cluster secret/);
  t.regex(clientProblems[0]?.reason ?? "", /refused the connection: SSMS_ERR_UNAUTHORIZED/);
  await Promise.all([server.close(), client.close()]);
});

test("a data frame before the handshake is refused and delivers nothing", async (t) => {
  const { transport: server, received } = await receiver();
  const raw = new RawClient(server);
  raw.sendBatch("intruder", [["intruder", "sink", "sneaky"]]);
  await raw.closedByServer();
  t.is(server.stats.authFailures, 1);
  t.deepEqual(received, []);
  await server.close();
});

test("a connection that never says hello is closed after handshakeTimeoutMs", async (t) => {
  const { transport: server, problems } = await receiver({ handshakeTimeoutMs: 50 });
  const raw = new RawClient(server);
  await raw.closedByServer();
  t.is(server.stats.authFailures, 1);
  t.regex(problems[0]?.reason ?? "", /no valid hello within 50 ms/);
  await server.close();
});

test("a recorded hello is useless on a new connection (each challenge has a fresh nonce)", async (t) => {
  const { transport: server, received } = await receiver();
  const first = new RawClient(server);
  const hello = await first.handshake("client", secretTest, "server");
  t.is(server.stats.authFailures, 0, "the genuine hello is accepted");
  first.destroy();
  const replay = new RawClient(server);
  await waitFor(() => replay.frames.length >= 1, "the second challenge");
  replay.socket.write(hello);
  replay.sendBatch("client", [["client", "sink", "replayed"]]);
  await replay.closedByServer();
  t.is(server.stats.authFailures, 1);
  t.deepEqual(received, []);
  await server.close();
});

test("a server that cannot prove the secret gets no data frame", async (t) => {
  const frames: unknown[] = [];
  const impostor = net.createServer((socket) => {
    socket.write(controlFrame({ kind: "challenge", process: "impostor", nonce: new Uint8Array(32) }));
    socket.on("data", (chunk) => {
      frames.push(chunk.length);
      socket.write(controlFrame({ kind: "welcome", mac: new Uint8Array(32).fill(9) }));
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => impostor.listen(0, "127.0.0.1", resolve));
  const client = await transportStart("client", { reconnectDelayMsMin: 1000 });
  client.book.set("secret-keeper", `127.0.0.1:${(impostor.address() as net.AddressInfo).port}`);
  client.send("me", "secret-keeper", "for your eyes only", 8);
  await waitFor(() => client.stats.authRejected >= 1, "the client to reject the impostor");
  t.is(frames.length, 1, "the impostor saw the hello and nothing after it");
  t.is(client.stats.framesSent, 0);
  await client.close();
  await new Promise<void>((resolve) => impostor.close(() => resolve()));
});

test("after the handshake, a frame over the limits or from another process closes that connection only", async (t) => {
  const { transport: server, received, problems } = await receiver({
    frameBodyBytesMax: 64 * 1024, batchBytesMax: 16 * 1024, messageBytesMax: 1024, batchMessagesMax: 4,
  });
  const good = await transportStart("good");
  good.book.set("sink", endpointOf(server));
  const attacks: Array<[string, (raw: RawClient) => void, ErrorCode]> = [
    ["length over frameBodyBytesMax", (raw) => raw.socket.write(Buffer.from([0x01, 0x00, 0x01, 0x00, 0, 0, 0, 0])), ErrorCode.limitExceeded],
    ["more messages than batchMessagesMax", (raw) => raw.sendBatch("client", Array.from({ length: 5 }, () => ["client", "sink", 1])), ErrorCode.limitExceeded],
    ["a process id other than the authenticated one", (raw) => raw.sendBatch("someone-else", [["client", "sink", 1]]), ErrorCode.messageInvalid],
    ["a message without a target", (raw) => raw.sendBatch("client", [["client", "", 1]]), ErrorCode.messageInvalid],
    ["a bad CRC", (raw) => {
      const frame = Buffer.from(frameEncode(transportPackr.pack({ process: "client", messages: [["client", "sink", 1]] })));
      frame[4] = frame[4]! ^ 0xff;
      raw.socket.write(frame);
    }, ErrorCode.frameCorrupt],
  ];
  for (const [what, attack, code] of attacks) {
    const raw = new RawClient(server);
    await raw.handshake("client", secretTest, "server");
    attack(raw);
    await raw.closedByServer();
    t.is(problems.at(-1)?.code, code, what);
    const reject = controlDecode(raw.frames.at(-1)!);
    t.true(reject.ok && reject.value.kind === "reject", `the peer is told why (${what})`);
    good.send("good-sender", "sink", what, 8);
    await settle([good, server]);
  }
  t.is(server.stats.framesRejected, attacks.length);
  t.deepEqual(received.map((entry) => entry.from), attacks.map(() => "good-sender"), "only the good peer's messages arrived");
  t.is(good.stats.disconnects, 0, "the good peer's connection was never touched");
  await Promise.all([server.close(), good.close()]);
});
