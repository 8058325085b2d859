// TransportTcp against the Transport contract (two instances in this process, on different
// loopback ports, so every cross-address message crosses a real socket), and what the live
// transport adds: loopback by default, validated options, routing through the address book at
// run time, same-process delivery with copy semantics, batching, and the send-side limits.

import test from "ava";
import { assert } from "../../engine/io/assert.ts";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { transportContract } from "../../engine/io/transport.contract.ts";
import type { Address, Transport } from "../../engine/io/transport.ts";
import type { TransportTcp } from "./transport-tcp.ts";
import type { TransportProblem } from "./transport-tcp-config.ts";
import { endpointOf, settle, transportStart, waitFor } from "./transport-tcp.fixtures.ts";

// The contract's factory is synchronous and binding a port is not, so pairs are started first.
const contractPairs: Array<readonly [TransportTcp, TransportTcp]> = [];
const contractPairsStarted = 12;

test.before(async () => {
  for (let index = 0; index < contractPairsStarted; index++) {
    const left = await transportStart(`left-${index}`);
    const right = await transportStart(`right-${index}`);
    for (const name of ["b", "c", "nobody"]) left.book.set(name, endpointOf(right));
    right.book.set("a", endpointOf(left));
    contractPairs.push([left, right]);
  }
});

test.after.always(async () => {
  for (const [left, right] of contractPairs) await Promise.all([left.close(), right.close()]);
});

// Address "a" lives on the left process, every other on the right one; each call goes to the
// process that owns the address it acts for, as the engine on each node would.
transportContract(test, "TransportTcp", () => {
  const pair = contractPairs.pop();
  assert(pair !== undefined, `the transport contract has more checks than the ${contractPairsStarted} pairs started`);
  const [left, right] = pair;
  const owner = (address: Address): TransportTcp => (address === "a" ? left : right);
  const transport: Transport = {
    send: (from, to, message, sizeBytes) => owner(from).send(from, to, message, sizeBytes),
    listen: (address, handler) => owner(address).listen(address, handler),
    unlisten: (address) => owner(address).unlisten(address),
  };
  return {
    transport,
    address: (name) => name,
    settle: () => settle([left, right]),
    close: async () => {
      await Promise.all([left.close(), right.close()]);
    },
  };
});

type Received = Array<{ from: Address; message: unknown }>;

function recorder(transport: TransportTcp, address: Address): Received {
  const received: Received = [];
  transport.listen(address, (from, message) => received.push({ from, message }));
  return received;
}

test("it listens on 127.0.0.1 unless another host is configured", async (t) => {
  const transport = await transportStart("n1");
  t.is(transport.endpoint.host, "127.0.0.1");
  t.true(transport.endpoint.port > 0);
  await transport.close();
});

test("options are checked once: unknown keys, a short secret and inconsistent limits are all reported", async (t) => {
  const error = await t.throwsAsync(transportStart("n1", {
    secret: "short", messageBytesMax: 64 * 1024 * 1024, inboxMessagesHigh: 0, ...({ colour: "blue" } as object),
  }));
  t.true(error instanceof SsmsError && error.code === ErrorCode.configInvalid);
  for (const key of ["colour: unknown option", "secret:", "messageBytesMax:", "inboxMessagesHigh:"]) {
    t.true(error!.message.includes(key), `the error names ${key}: ${error!.message}`);
  }
  await t.throwsAsync(transportStart("n1", { book: { x: "no-port-here" } }), { message: /book\.x/ });
});

test("a message over messageBytesMax throws messageTooLarge whether it would go local or remote", async (t) => {
  const [source, target] = [await transportStart("n1", { messageBytesMax: 1024 }), await transportStart("n2")];
  source.book.set("far", endpointOf(target));
  const near = recorder(source, "near");
  const far = recorder(target, "far");
  for (const to of ["near", "far"]) {
    const error = t.throws(() => source.send("me", to, new Uint8Array(2000), 2000));
    t.true(error instanceof SsmsError && error.code === ErrorCode.messageTooLarge, `to ${to}`);
    t.regex(error!.message, /2\d{3} bytes, above messageBytesMax 1024/);
    source.send("me", to, new Uint8Array(900), 900);
  }
  await settle([source, target]);
  t.is(source.stats.messagesSent, 2, "refused sends are not counted as sent");
  t.deepEqual([near.length, far.length], [1, 1]);
  t.throws(() => source.send("", "near", 1, 1), { message: /SSMS_ERR_ARGUMENT_INVALID.*'from'/ });
  await Promise.all([source.close(), target.close()]);
});

test("a send with no route is dropped and counted, never thrown", async (t) => {
  const transport = await transportStart("n1");
  t.notThrows(() => transport.send("me", "unknown:address", "lost", 4));
  await settle([transport]);
  t.is(transport.stats.messagesDroppedUnroutable, 1);
  await transport.close();
});

test("same-process delivery hands the handler a decoded copy, as a remote one would", async (t) => {
  const transport = await transportStart("n1");
  const received = recorder(transport, "here");
  const message = { list: [1, 2], body: new Uint8Array([7, 8]) };
  transport.send("me", "here", message, 16);
  message.list.push(3);
  await settle([transport]);
  t.deepEqual(received, [{ from: "me", message: { list: [1, 2], body: new Uint8Array([7, 8]) } }]);
  t.is(transport.stats.messagesSentLocal, 1);
  t.is(transport.stats.framesSent, 0, "nothing touched the network");
  await transport.close();
});

test("an address book change re-routes from the next message on", async (t) => {
  const [source, first, second] = [await transportStart("n1"), await transportStart("n2"), await transportStart("n3")];
  const atFirst = recorder(first, "darq:moving");
  const atSecond = recorder(second, "darq:moving");
  source.book.set("darq:moving", endpointOf(first));
  source.send("me", "darq:moving", "one", 4);
  await settle([source, first, second]);
  source.book.set("darq:moving", second.endpoint);
  source.send("me", "darq:moving", "two", 4);
  await settle([source, first, second]);
  t.deepEqual(atFirst.map((entry) => entry.message), ["one"]);
  t.deepEqual(atSecond.map((entry) => entry.message), ["two"]);
  await Promise.all([source.close(), first.close(), second.close()]);
});

test("messages sent in one turn travel in a few batched frames, a big one in a frame of its own", async (t) => {
  const [source, target] = [await transportStart("n1", { batchBytesMax: 64 * 1024 }), await transportStart("n2")];
  source.book.set("sink", endpointOf(target));
  const received = recorder(target, "sink");
  for (let index = 0; index < 10_000; index++) source.send("me", "sink", { seq: index }, 16);
  source.send("me", "sink", new Uint8Array(200 * 1024), 200 * 1024);
  await settle([source, target]);
  t.is(received.length, 10_001);
  t.deepEqual(received.slice(0, 10_000).map((entry) => (entry.message as { seq: number }).seq),
    Array.from({ length: 10_000 }, (_, index) => index), "one connection keeps the sender's order");
  t.true(source.stats.framesSent <= 10, `${source.stats.framesSent} frames for 10,001 messages`);
  t.is(target.stats.framesReceived, source.stats.framesSent);
  await Promise.all([source.close(), target.close()]);
});

test("flush writes the frames queued in this turn at once, instead of when the turn ends", async (t) => {
  const [source, target] = [await transportStart("n1"), await transportStart("n2")];
  source.book.set("sink", endpointOf(target));
  const received = recorder(target, "sink");
  source.send("me", "sink", { seq: 0 }, 16);
  await settle([source, target]); // connected
  const framesBefore = source.stats.framesSent;
  source.send("me", "sink", { seq: 1 }, 16);
  t.is(source.stats.framesSent, framesBefore, "a send only queues its message");
  source.flush();
  t.is(source.stats.framesSent, framesBefore + 1, "flush wrote the frame before this turn ended");
  t.true(source.idle(), "nothing queued for the peer after a flush");
  source.flush();
  t.is(source.stats.framesSent, framesBefore + 1, "a flush with nothing queued writes nothing");
  await settle([source, target]);
  t.deepEqual(received.map((entry) => (entry.message as { seq: number }).seq), [0, 1]);
  await Promise.all([source.close(), target.close()]);
});

test("a handler that throws is counted and reported, and later messages are still delivered", async (t) => {
  const errors: Address[] = [];
  const transport = await transportStart("n1", { onHandlerError: (_, address) => errors.push(address) });
  const seen: unknown[] = [];
  transport.listen("fragile", (_, message) => {
    if (message === "bad") throw new Error("handler bug");
    seen.push(message);
  });
  for (const message of ["good", "bad", "fine"]) transport.send("me", "fragile", message, 4);
  await settle([transport]);
  t.deepEqual(seen, ["good", "fine"]);
  t.deepEqual(errors, ["fragile"]);
  t.is(transport.stats.handlerErrors, 1);
  await transport.close();
});

test("a peer that goes away is reconnected to once it is back, and queued messages then arrive", async (t) => {
  const problems: TransportProblem[] = [];
  const source = await transportStart("n1", { reconnectDelayMsMin: 5, reconnectDelayMsMax: 40, onProblem: (problem) => problems.push(problem) });
  const gone = await transportStart("n2");
  const port = gone.endpoint.port;
  source.book.set("sink", endpointOf(gone));
  const receivedBefore = recorder(gone, "sink");
  source.send("me", "sink", "before", 8);
  await settle([source, gone]);
  t.deepEqual(receivedBefore.map((entry) => entry.message), ["before"]);
  await gone.close();
  await waitFor(() => source.stats.disconnects >= 1, "the source to notice the lost connection");
  for (let index = 0; index < 5; index++) source.send("me", "sink", `queued-${index}`, 8);
  const target = await transportStart("n2", { port });
  const received = recorder(target, "sink");
  await settle([source, gone, target]);
  t.deepEqual(received.map((entry) => entry.message), ["queued-0", "queued-1", "queued-2", "queued-3", "queued-4"]);
  t.is(source.stats.connectsSucceeded, 2);
  t.deepEqual(problems, [], "a lost peer is not a protocol problem");
  await Promise.all([source.close(), target.close()]);
});

test("while a peer is unreachable, sends queue up to queuedBytesMax and the rest are dropped and counted", async (t) => {
  const gone = await transportStart("n2");
  const deadEndpoint = endpointOf(gone);
  await gone.close();
  const source = await transportStart("n1", { queuedBytesMax: 64 * 1024, messageBytesMax: 8 * 1024, batchBytesMax: 16 * 1024 });
  source.book.set("unreachable", deadEndpoint);
  for (let index = 0; index < 1000; index++) source.send("me", "unreachable", "x".repeat(200), 200);
  t.true(source.stats.messagesDroppedQueueFull > 0);
  t.true(source.stats.queuedBytesPeak <= 64 * 1024, "the queue never exceeds its bound");
  t.true(source.stats.queuedBytesPeak > 63 * 1024, "messages were dropped only once the queue was full");
  t.is(source.stats.messagesSent, 1000);
  t.false(source.idle(), "the queued messages wait for the peer");
  await source.close();
});
