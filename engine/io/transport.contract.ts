// The Transport contract (engine/io/transport.ts), written once and run against every
// implementation (STYLE 14): TransportSim in sim/transport-sim.test.ts, and the live loopback
// transport when it lands. The harness must give a transport without injected faults (no loss,
// no duplication), because these checks count deliveries; fault behaviour is each model's own
// test. Delivery may be asynchronous in real time, so the harness's `settle` resolves once
// everything sent so far (and every reply sent by handlers meanwhile) has arrived or been
// dropped. Order across messages is not part of the seam, so no check depends on it.

import type { ExecutionContext, TestFn } from "ava";
import type { Address, Transport } from "./transport.ts";

export type TransportHarness = {
  readonly transport: Transport;
  /** Maps a logical name ("a", "b", …) to an address this transport can listen on. */
  address(name: string): Address;
  /** Resolves once every message sent so far, and every message sent by handlers meanwhile,
   *  has been delivered or dropped. */
  settle(): Promise<void>;
  /** Releases sockets, listeners and timers; called at the end of each test. */
  close(): Promise<void>;
};

type Check = (t: ExecutionContext, harness: TransportHarness) => Promise<void>;
type Received = { at: Address; from: Address; message: unknown };

function recorder(harness: TransportHarness, names: string[]): Received[] {
  const received: Received[] = [];
  for (const name of names) {
    const at = harness.address(name);
    harness.transport.listen(at, (from, message) => received.push({ at, from, message }));
  }
  return received;
}

const intact: Check = async (t, harness) => {
  const received = recorder(harness, ["b"]);
  const [a, b] = [harness.address("a"), harness.address("b")];
  const message = { kind: "step", lsn: 42, ratio: 0.5, tags: ["x", "y"], body: new Uint8Array([1, 2, 250]) };
  harness.transport.send(a, b, message, 64);
  await harness.settle();
  t.is(received.length, 1);
  t.is(received[0]!.from, a);
  t.is(received[0]!.at, b);
  t.deepEqual(received[0]!.message, message);
};

const neverInsideSend: Check = async (t, harness) => {
  const a = harness.address("a");
  let inside = true;
  let calledInside = false;
  let calls = 0;
  harness.transport.listen(a, () => {
    calledInside ||= inside;
    calls++;
  });
  harness.transport.send(a, a, "self", 4);
  inside = false;
  await harness.settle();
  t.false(calledInside);
  t.is(calls, 1);
};

const nobodyListening: Check = async (t, harness) => {
  const received = recorder(harness, ["b"]);
  const [a, b, nobody] = [harness.address("a"), harness.address("b"), harness.address("nobody")];
  t.notThrows(() => harness.transport.send(a, nobody, "lost", 4));
  harness.transport.send(a, b, "kept", 4);
  await harness.settle();
  t.deepEqual(received.map((entry) => entry.message), ["kept"]);
};

const unlistened: Check = async (t, harness) => {
  const received = recorder(harness, ["b"]);
  const [a, b] = [harness.address("a"), harness.address("b")];
  harness.transport.send(a, b, "before", 4);
  await harness.settle();
  harness.transport.unlisten(b);
  harness.transport.send(a, b, "after", 4);
  await harness.settle();
  t.deepEqual(received.map((entry) => entry.message), ["before"]);
};

const ownMessagesOnce: Check = async (t, harness) => {
  const received = recorder(harness, ["b", "c"]);
  const [a, b, c] = [harness.address("a"), harness.address("b"), harness.address("c")];
  for (let index = 0; index < 100; index++) harness.transport.send(a, index % 2 === 0 ? b : c, index, 8);
  await harness.settle();
  const at = (target: Address): number[] =>
    received.filter((entry) => entry.at === target).map((entry) => entry.message as number).sort((x, y) => x - y);
  t.deepEqual(at(b), Array.from({ length: 50 }, (_, index) => 2 * index));
  t.deepEqual(at(c), Array.from({ length: 50 }, (_, index) => 2 * index + 1));
};

const pingPong: Check = async (t, harness) => {
  const { transport } = harness;
  const [a, b] = [harness.address("a"), harness.address("b")];
  const seen: number[] = [];
  transport.listen(b, (from, message) => transport.send(b, from, (message as number) + 1, 8));
  transport.listen(a, (from, message) => {
    seen.push(message as number);
    if ((message as number) < 39) transport.send(a, from, (message as number) + 1, 8);
  });
  transport.send(a, b, 0, 8);
  await harness.settle();
  t.deepEqual(seen, Array.from({ length: 20 }, (_, index) => 2 * index + 1));
};

const checks: ReadonlyArray<readonly [string, Check]> = [
  ["a message arrives once, with its sender and its content intact", intact],
  ["handlers are never called inside send, not even for a send to oneself", neverInsideSend],
  ["a message to an address nobody listens on is dropped without an error", nobodyListening],
  ["after unlisten an address receives nothing more", unlistened],
  ["each listener gets only its own messages, every one exactly once", ownMessagesOnce],
  ["a handler can reply, and a ping-pong of 20 rounds completes", pingPong],
];

/** Registers one ava test per contract clause for `implementation`. */
export function transportContract(test: TestFn, implementation: string, create: () => TransportHarness): void {
  for (const [what, check] of checks) {
    test(`${implementation} satisfies the Transport contract: ${what}`, async (t) => {
      const harness = create();
      try {
        await check(t, harness);
      } finally {
        await harness.close();
      }
    });
  }
}
