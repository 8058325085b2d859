// Bad input to the DARQ's codecs (VOPR issue item 6), fuzzed with fast-check:
//
// - the log codec, whose input is whatever a device hands back after a crash: a real log (hosts,
//   registrations, enqueues, steps with SELF and OUT records) with random garbage appended, cut at
//   a random byte, or with a random byte flipped. Recovery must never throw, and the state it
//   rebuilds must be exactly the state of the longest whole-frame prefix before the damage (CRC
//   and length framing cut everything after it): never a corrupted state. The recovered DARQ then
//   takes new work as usual.
// - the runtime's body codec (msgpack envelopes and SELF records): random, truncated and
//   oversized bytes decode to an error value (messageInvalid), never an exception.

import test from "ava";
import fc from "fast-check";
import { ErrorCode } from "../io/errors.ts";
import { framesScan } from "../io/frame.ts";
import { LogDeviceMemory } from "../io/log-device-memory.ts";
import type { Result } from "../io/result.ts";
import { envelopeDecode, envelopeEncode, selfDecode, selfEventsEncode } from "../runtime/codec.ts";
import type { AutomatonId } from "../runtime/ids.ts";
import { Simulator } from "../../sim/simulator.ts";
import { bytes, RouterStatic, TransportChaos, transportFaultsNone } from "./darq-test-world.ts";
import { EntryKind } from "./entry.ts";
import { PhysicalDarq } from "./physical-darq.ts";

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

function open(sim: Simulator, device: LogDeviceMemory): PhysicalDarq {
  const transport = new TransportChaos(sim.clock, sim.random.fork("network"), transportFaultsNone);
  return PhysicalDarq.open({ device, clock: sim.clock, transport, router: new RouterStatic(), address: "A", config: { commitPeriodUs: 50 } });
}

/** A durable log with every record kind the runtime writes in steady state. */
function cleanLog(): Uint8Array {
  const sim = new Simulator({ seed: "codec-fuzz", eventsMax: 1_000_000 });
  const device = new LogDeviceMemory();
  const darq = open(sim, device);
  for (const id of ["a", "b", "c"]) value(darq.host(id));
  const incarnations = new Map(["a", "b"].map((id) => [id, value(darq.register(id, () => {}, () => {}))]));
  sim.run();
  for (let seq = 1; seq <= 30; seq++) value(darq.enqueue(seq % 2 === 0 ? "a" : "b", `p${seq % 3}`, seq, bytes(`m${seq}`), () => {}));
  sim.run();
  for (const id of ["a", "b"]) {
    for (const entry of value(darq.readUnconsumed(id)).filter((candidate) => candidate.kind === EntryKind.in).slice(0, 8)) {
      value(darq.submitStep({
        logicalDarq: id, incarnation: incarnations.get(id)!, consumed: [entry.lsn], self: [bytes(`s${entry.lsn}`)],
        out: entry.lsn % 3 === 0 ? [{ to: "c", body: bytes(`o${entry.lsn}`) }] : [],
      }, () => {}));
    }
    sim.run();
  }
  return device.read(device.begin(), device.end() - device.begin());
}

function deviceOf(log: Uint8Array): LogDeviceMemory {
  const device = new LogDeviceMemory();
  if (log.length > 0) device.append(log);
  device.flush(() => {});
  return device;
}

/** Everything recovery rebuilds that a processor can see, as one comparable string. */
function stateOf(darq: PhysicalDarq): string {
  const ids = darq.logicalDarqs().sort();
  const entries = ids.map((id) => value(darq.readUnconsumed(id)).map((entry) =>
    `${entry.kind}:${entry.lsn}:${entry.from}:${entry.seq}:${Buffer.from(entry.body).toString("hex")}`));
  return JSON.stringify({ ids, entries, lsnDurable: darq.lsnDurable });
}

function recovered(log: Uint8Array): { darq: PhysicalDarq; sim: Simulator } {
  const sim = new Simulator({ seed: "codec-fuzz-recover", eventsMax: 1_000_000 });
  const darq = open(sim, deviceOf(log));
  sim.run();
  return { darq, sim };
}

const clean = cleanLog();
/** Where each frame ends: a prefix ending at one of these is whole frames. */
const frameEnds: number[] = [0];
framesScan(deviceOf(clean), 0, (offset, body) => void frameEnds.push(offset + 8 + body.length));
/** The longest whole-frame prefix of `clean` ending at or before `offset`. */
function prefixBefore(offset: number): Uint8Array {
  return clean.subarray(0, Math.max(...frameEnds.filter((end) => end <= offset)));
}

/** `length` bytes of xorshift noise from `seed`. */
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let index = 0; index < length; index++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[index] = x & 0xff;
  }
  return out;
}

const damage = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 4096 }).map((garbage) => ({ log: Uint8Array.from([...clean, ...garbage]), valid: clean })),
  fc.nat(clean.length - 1).map((cut) => ({ log: clean.slice(0, cut), valid: prefixBefore(cut) })),
  fc.tuple(fc.nat(clean.length - 1), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => {
    const log = clean.slice();
    log[at]! ^= xor;
    // The frame holding the flipped byte fails its length or CRC check: recovery keeps what precedes it.
    return { log, valid: prefixBefore(Math.max(...frameEnds.filter((end) => end <= at))) };
  }),
);

test("a damaged log recovers to exactly its last whole-frame prefix, never a corrupted state", (t) => {
  t.true(frameEnds.length > 40, `the clean log has ${frameEnds.length - 1} frames`);
  const expected = new Map<number, string>();
  fc.assert(fc.property(damage, ({ log, valid }) => {
    let want = expected.get(valid.length);
    if (want === undefined) {
      want = stateOf(recovered(valid).darq);
      expected.set(valid.length, want);
    }
    const { darq, sim } = recovered(log);
    if (stateOf(darq) !== want) return false;
    // Still a working DARQ: it takes a new message on a hosted logical DARQ, if any survived.
    const id = darq.logicalDarqs()[0];
    if (id === undefined) return true;
    const accepted = darq.enqueue(id, "fuzz", 1, bytes("after"), () => {});
    sim.run();
    return accepted.ok && value(darq.readUnconsumed(id)).some((entry) => entry.from === "fuzz");
  }), { numRuns: 300, seed: 42 });
});

test("message and SELF bodies: random, truncated and oversized bytes decode to messageInvalid, never throw", (t) => {
  const envelope = envelopeEncode("hop/1" as AutomatonId, { type: "hop", tag: "t", hops: 3, amount: 1 });
  const self = selfEventsEncode(12, [{ amount: 1, digest: 2 }]);
  const inputs = fc.oneof(
    fc.uint8Array({ maxLength: 256 }),
    fc.nat(envelope.length - 1).map((cut) => envelope.slice(0, cut)),
    fc.nat(self.length - 1).map((cut) => self.slice(0, cut)),
    // Oversized: 1 MiB of noise from a seed (fast-check would draw a million values one by one).
    fc.integer().map((seed) => noise(1 << 20, seed)),
  );
  fc.assert(fc.property(inputs, (body) => {
    for (const decoded of [envelopeDecode(body), selfDecode(body)]) {
      if (!decoded.ok && decoded.code !== ErrorCode.messageInvalid) return false;
    }
    return true;
  }), { numRuns: 300, seed: 43 });
  t.true(envelopeDecode(envelope).ok && selfDecode(self).ok, "the intact bodies decode");
});
