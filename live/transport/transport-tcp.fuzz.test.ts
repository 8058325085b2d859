// Fuzzing the live transport with fast-check, over real loopback sockets: whatever bytes a peer
// sends, before or after authenticating — random bytes, truncated frames, oversized lengths, bit
// flips, frames with a valid CRC around garbage msgpack, well-framed msgpack of the wrong shape —
// the receiving transport does not throw (an exception in a socket callback would fail this test
// process), closes or waits out only that connection, keeps serving a well-behaved peer, and its
// handlers see nothing but that peer's messages. The same holds in the other direction: a
// "server" answering the handshake with junk never gets a data frame out of a client.

import test from "ava";
import fc from "fast-check";
import * as net from "node:net";
import { frameEncode } from "../../engine/io/frame.ts";
import type { Address } from "../../engine/io/transport.ts";
import { transportPackr } from "./batch-codec.ts";
import { FrameReader, frameIncomplete, isFrameDefect } from "./frame-reader.ts";
import { controlDecode, controlFrame } from "./handshake.ts";
import { endpointOf, RawClient, secretTest, transportStart, waitFor } from "./transport-tcp.fixtures.ts";

const fuzzSeed = 20240611;

/** A frame header (length, CRC32) around `body`, as the transport writes it. */
function framed(body: Uint8Array): Uint8Array {
  return frameEncode(body.length === 0 ? new Uint8Array([0xc0]) : body);
}

const validFrame = framed(transportPackr.pack({ process: "fuzzer", messages: [["fuzzer", "elsewhere", { junk: true }]] }));

/** Addresses a wrong-shaped entry may name as its target: never the listening "sink". */
const notSink = fc.constantFrom<unknown>("elsewhere", "", 42, null, "x".repeat(2000));

const wrongShapes = fc.oneof(
  fc.anything(),
  fc.record({ process: fc.oneof(fc.constant("fuzzer"), fc.anything()), messages: fc.anything() }),
  fc.record({ process: fc.constant("fuzzer"), messages: fc.array(fc.anything(), { maxLength: 4 }) }),
  fc.record({
    process: fc.constant("fuzzer"),
    messages: fc.array(fc.tuple(fc.anything(), notSink, fc.anything()), { minLength: 1, maxLength: 4 }),
  }),
);

/** What one fuzzing connection sends, and whether it authenticates first. */
type FuzzCase = { readonly authenticated: boolean; readonly bytes: Uint8Array; readonly kind: string };

const fuzzCases: fc.Arbitrary<FuzzCase> = fc.record({
  authenticated: fc.boolean(),
  attack: fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 2048 }).map((bytes) => ({ kind: "random bytes", bytes })),
    fc.nat({ max: validFrame.length - 1 }).map((cut) => ({ kind: "truncated frame", bytes: validFrame.subarray(0, cut) })),
    fc.tuple(fc.integer({ min: 16 * 1024 * 1024 + 1, max: 0xffffffff }), fc.uint8Array({ maxLength: 64 })).map(([length, rest]) => {
      const header = Buffer.alloc(8);
      header.writeUInt32LE(length, 0);
      return { kind: "oversized length", bytes: Buffer.concat([header, rest]) };
    }),
    fc.array(fc.nat({ max: validFrame.length * 8 - 1 }), { minLength: 1, maxLength: 4 }).map((bits) => {
      const bytes = new Uint8Array(validFrame);
      for (const bit of bits) bytes[bit >>> 3]! ^= 1 << (bit & 7);
      return { kind: "bit flips", bytes };
    }),
    fc.uint8Array({ minLength: 1, maxLength: 512 }).map((body) => ({ kind: "valid CRC, garbage body", bytes: framed(body) })),
    wrongShapes.map((value) => ({ kind: "valid CRC, wrong shape", bytes: framed(transportPackr.pack(value)) })),
  ),
}).map(({ authenticated, attack }) => ({ authenticated, ...attack }));

test("fuzzed bytes from a peer never crash the transport, never reach a handler, and spare other connections", async (t) => {
  t.timeout(110_000);
  const server = await transportStart("server", { handshakeTimeoutMs: 2000 });
  const good = await transportStart("good");
  good.book.set("sink", endpointOf(server));
  const received: Array<{ from: Address; message: unknown }> = [];
  server.listen("sink", (from, message) => received.push({ from, message }));
  let serial = 0;
  const kinds = new Map<string, number>();
  try {
    await fc.assert(fc.asyncProperty(fuzzCases, async (fuzz) => {
      kinds.set(fuzz.kind, (kinds.get(fuzz.kind) ?? 0) + 1);
      const raw = new RawClient(server);
      if (fuzz.authenticated) await raw.handshake("fuzzer", secretTest, "server");
      raw.socket.end(fuzz.bytes);
      await raw.closedByServer();
      const probe = serial++;
      good.send("good", "sink", probe, 8);
      await waitFor(() => received.some((entry) => entry.message === probe), `probe ${probe} after a '${fuzz.kind}' case`);
      return received.every((entry) => entry.from === "good");
    }), { numRuns: 300, seed: fuzzSeed });
    t.is(received.length, serial, "every probe arrived, and nothing else");
    t.is(good.stats.disconnects, 0, "the well-behaved peer's connection survived every case");
    t.true(server.stats.framesRejected > 0 && server.stats.authFailures > 0, "refusals were counted");
    t.log(`cases: ${JSON.stringify(Object.fromEntries(kinds))}; rejected ${server.stats.framesRejected} frames, ` +
      `${server.stats.authFailures} handshakes`);
  } finally {
    await Promise.all([server.close(), good.close()]);
  }
});

const serverJunk: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 1024 }),
  fc.uint8Array({ minLength: 1, maxLength: 256 }).map(framed),
  wrongShapes.map((value) => framed(transportPackr.pack(value))),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((nonce) => Buffer.concat([
    controlFrame({ kind: "challenge", process: "impostor", nonce }),
    controlFrame({ kind: "welcome", mac: nonce }),
  ])),
);

test("a peer answering the handshake with fuzzed bytes never gets a data frame and never crashes the client", async (t) => {
  t.timeout(110_000);
  const cases = fc.sample(serverJunk, { numRuns: 120, seed: fuzzSeed });
  let served = 0;
  let concluded = 0;
  let notHello = 0;
  const impostor = net.createServer((socket) => {
    const junk = cases[served++ % cases.length]!;
    // Everything the client writes is read and sorted: a hello is allowed, anything else is not.
    const reader = new FrameReader(64 * 1024);
    socket.on("data", (chunk: Buffer) => {
      reader.push(chunk);
      for (let frame = reader.next(); frame !== frameIncomplete; frame = reader.next()) {
        const control = isFrameDefect(frame) ? null : controlDecode(frame);
        if (control === null || !control.ok || control.value.kind !== "hello") notHello++;
        if (control === null) return;
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => concluded++);
    socket.end(junk);
  });
  await new Promise<void>((resolve) => impostor.listen(0, "127.0.0.1", resolve));
  const client = await transportStart("client", { reconnectDelayMsMin: 1, reconnectDelayMsMax: 4, handshakeTimeoutMs: 2000 });
  client.book.set("impostor", `127.0.0.1:${(impostor.address() as net.AddressInfo).port}`);
  try {
    client.send("me", "impostor", "secret payload", 16);
    await waitFor(() => concluded >= cases.length, () => `all ${cases.length} junk handshakes (${concluded} so far)`, 100_000);
    t.is(notHello, 0, "the client sent nothing but hellos");
    t.is(client.stats.framesSent, 0);
    t.is(client.stats.connectsSucceeded, 0);
    t.true(client.stats.connectsAttempted >= cases.length);
  } finally {
    await client.close();
    await new Promise<void>((resolve) => impostor.close(() => resolve()));
  }
});
