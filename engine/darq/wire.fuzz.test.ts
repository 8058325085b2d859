// Bad input to the DARQ wire decoder (VOPR issue item 6), fuzzed with fast-check: wireParse never
// throws on any value and returns either null or a message whose fields have the checked types;
// and a physical DARQ fed random values and near-miss wire messages (wrong types, unknown logical
// DARQs, absurd sequence numbers, oversized or wrong-typed bodies) never throws and never corrupts
// its state: whatever it accepted is exactly what a recovery of its log rebuilds, and garbage it
// rejected left nothing behind.
// The same holds for the processor service's steps: a malformed procStep from a registered session
// is dropped by processorWireParse, never thrown on.

import test from "ava";
import fc from "fast-check";
import { LogDeviceMemory } from "../io/log-device-memory.ts";
import type { Result } from "../io/result.ts";
import { Simulator } from "../../sim/simulator.ts";
import { ProcessorService } from "../runtime/processor-service.ts";
import { RouterStatic, TransportChaos, transportFaultsNone } from "./darq-test-world.ts";
import { PhysicalDarq } from "./physical-darq.ts";
import { wireParse } from "./wire.ts";

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

const kinds = ["data", "ack", "nack", "notHere", "enqueue", "enqueued"] as const;
const text = fc.oneof(fc.constantFrom("a", "b", "zz", ""), fc.string({ maxLength: 8 }), fc.constant("x".repeat(3000)));
const number = fc.oneof(fc.nat(40), fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER), fc.constant(-1));
const body = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constant(new Uint8Array(2 << 20)), fc.string(), fc.constant(null));
/** Values shaped like wire messages, each field right or wrong at random. */
const nearMiss = fc.record({
  kind: fc.oneof(fc.constantFrom(...kinds), fc.string({ maxLength: 6 })),
  source: fc.oneof(text, fc.anything()), target: fc.oneof(text, fc.anything()), producer: fc.oneof(text, fc.anything()),
  seq: fc.oneof(number, fc.anything()), seqFirst: fc.oneof(number, fc.anything()), seqExpected: number,
  body, bodies: fc.oneof(fc.array(body, { maxLength: 4 }), fc.anything()),
}, { requiredKeys: ["kind"] });
/** Well-formed messages, duplicates and gaps included, so the accepting paths run too. */
const wellFormed = fc.oneof(
  fc.record({ kind: fc.constant("enqueue"), producer: fc.constantFrom("p1", "p2"), seq: fc.integer({ min: 1, max: 6 }),
    target: fc.constantFrom("a", "b"), body: fc.uint8Array({ maxLength: 32 }) }),
  fc.record({ kind: fc.constant("data"), source: fc.constantFrom("s1", "s2"), target: fc.constantFrom("a", "b"),
    seqFirst: fc.integer({ min: 1, max: 4 }), bodies: fc.array(fc.uint8Array({ maxLength: 16 }), { maxLength: 3 }) }),
);
const anyMessage = fc.oneof(fc.anything(), nearMiss, wellFormed);

test("wireParse never throws and returns null or a message with the checked field types", (t) => {
  fc.assert(fc.property(anyMessage, (raw) => {
    const message = wireParse(raw);
    if (message === null) return true;
    if (!kinds.includes(message.kind)) return false;
    if (message.kind === "data") return message.seqFirst >= 1 && message.bodies.every((item) => item instanceof Uint8Array);
    if (message.kind === "enqueue") return Number.isSafeInteger(message.seq) && message.seq >= 1 && message.body instanceof Uint8Array;
    return true;
  }), { numRuns: 2_000, seed: 5 });
  t.pass();
});

/** What the DARQ exposes of its state, as one string. */
function stateOf(darq: PhysicalDarq): string {
  const ids = darq.logicalDarqs().sort();
  return JSON.stringify({ ids, lsnDurable: darq.lsnDurable, entries: ids.map((id) => value(darq.readUnconsumed(id)).map((entry) =>
    [entry.kind, entry.lsn, entry.from, entry.fromDarq, entry.seq, Buffer.from(entry.body).toString("hex")])) });
}

test("a DARQ fed random and near-miss wire messages never throws, and its state is what its log says", (t) => {
  let accepted = 0;
  fc.assert(fc.property(fc.array(anyMessage, { minLength: 1, maxLength: 30 }), (messages) => {
    const sim = new Simulator({ seed: "wire-fuzz", eventsMax: 1_000_000 });
    const transport = new TransportChaos(sim.clock, sim.random.fork("network"), transportFaultsNone);
    const device = new LogDeviceMemory();
    const options = { device, clock: sim.clock, transport, router: new RouterStatic(), address: "A", config: { commitPeriodUs: 50 } };
    const darq = PhysicalDarq.open(options);
    for (const id of ["a", "b"]) value(darq.host(id));
    sim.run();
    const before = device.end();
    for (const message of messages) transport.send("peer", "A", message, 64);
    sim.run();
    if (device.end() > before) accepted++;
    if (messages.every((message) => wireParse(message) === null) && device.end() !== before) return false;
    // Recovery of the device must rebuild exactly the live state: nothing accepted was half-kept.
    device.flush(() => {});
    const replica = new LogDeviceMemory();
    replica.append(device.read(device.begin(), device.end() - device.begin()));
    replica.flush(() => {});
    const recoveredSim = new Simulator({ seed: "wire-fuzz-recover", eventsMax: 1_000_000 });
    const recovered = PhysicalDarq.open({ ...options, device: replica, clock: recoveredSim.clock,
      transport: new TransportChaos(recoveredSim.clock, recoveredSim.random.fork("network"), transportFaultsNone) });
    recoveredSim.run();
    return stateOf(recovered) === stateOf(darq);
  }), { numRuns: 300, seed: 6 });
  t.true(accepted > 10, `the fuzz reached the accepting paths (${accepted} runs appended something)`);
});

test("the processor service refuses malformed steps of a registered session without throwing", (t) => {
  fc.assert(fc.property(fc.record({ consumed: fc.anything(), self: fc.anything(), out: fc.anything() }), (fields) => {
    const sim = new Simulator({ seed: "processor-wire-fuzz", eventsMax: 100_000 });
    const transport = new TransportChaos(sim.clock, sim.random.fork("network"), transportFaultsNone);
    const darq = PhysicalDarq.open({ device: new LogDeviceMemory(), clock: sim.clock, transport, router: new RouterStatic(), address: "A" });
    value(darq.host("a"));
    new ProcessorService(darq, transport, sim.clock, "A~proc", "boot-1");
    transport.listen("compute", () => {});
    transport.send("compute", "A~proc", { kind: "procRegister", id: "a", session: "s1", epoch: 1 }, 64);
    sim.run();
    transport.send("compute", "A~proc", { kind: "procStep", id: "a", session: "s1", seq: 1, inputsAcked: 0, answersAcked: 0, ...fields }, 64);
    sim.run();
    return true;
  }), { numRuns: 100, seed: 7 });
  t.pass();
});
