// LogStoreChunked against LogDeviceMemory as the model: any sequence of appends (small, and
// larger than a chunk), prefix and tail truncations leaves the same readable bytes, so swapping
// it in under LogDeviceSim changes no byte a reader sees; and released chunks stay released.

import test from "ava";
import fc from "fast-check";
import { LogDeviceMemory } from "../engine/io/log-device-memory.ts";
import { LogStoreChunked } from "./log-store-chunked.ts";

type Op =
  | { readonly kind: "append"; readonly size: number; readonly fill: number }
  | { readonly kind: "prefix" | "tail"; readonly at: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("append" as const), size: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 200_000, max: 600_000 })), fill: fc.nat(255) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("prefix" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("tail" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
);

function patterned(size: number, fill: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index++) bytes[index] = (fill + index * 7) & 0xff;
  return bytes;
}

test("appends and truncations leave the same bytes as LogDeviceMemory", (t) => {
  fc.assert(fc.property(fc.array(opArbitrary, { maxLength: 30 }), fc.double({ min: 0, max: 1, noNaN: true }), (ops, probe) => {
    const store = new LogStoreChunked();
    const model = new LogDeviceMemory();
    for (const op of ops) {
      if (op.kind === "append") {
        const bytes = patterned(op.size, op.fill);
        if (store.append(bytes) !== model.append(bytes)) return false;
        continue;
      }
      const offset = model.begin() + Math.floor(op.at * (model.end() - model.begin()));
      if (op.kind === "prefix") {
        store.truncatePrefix(offset);
        model.truncatePrefix(offset);
      } else {
        store.truncateTail(offset);
        model.truncateTail(offset);
      }
    }
    if (store.begin() !== model.begin() || store.end() !== model.end()) return false;
    const length = model.end() - model.begin();
    if (!Buffer.from(store.read(model.begin(), length)).equals(Buffer.from(model.read(model.begin(), length)))) return false;
    const at = model.begin() + Math.floor(probe * length);
    const span = Math.min(100_000, model.end() - at);
    return Buffer.from(store.view(at, span)).equals(Buffer.from(model.read(at, span)));
  }), { numRuns: 60 });
  t.pass();
});

test("reading outside the stored range is refused, and a truncated prefix cannot be read", (t) => {
  const store = new LogStoreChunked();
  store.append(patterned(600_000, 1));
  store.truncatePrefix(500_000);
  t.throws(() => store.read(0, 10), { message: /outside stored/ });
  t.is(store.read(500_000, 100_000).length, 100_000);
  t.is(store.sizeBytes(), 100_000);
  t.throws(() => store.view(599_990, 20), { message: /outside stored/ });
});

test("a chunk released from the head is reused at the tail, and its old bytes never show", (t) => {
  const chunkBytes = 256 * 1024;
  const store = new LogStoreChunked();
  store.append(patterned(chunkBytes, 3));
  const firstChunk = store.view(0, 1).buffer;
  store.truncatePrefix(chunkBytes);
  store.append(patterned(chunkBytes + 10, 9));
  t.is(store.view(chunkBytes, 1).buffer, firstChunk, "the next chunk the tail needs is the released one");
  t.not(store.view(2 * chunkBytes, 1).buffer, firstChunk);
  t.deepEqual(store.read(chunkBytes, chunkBytes + 10), patterned(chunkBytes + 10, 9));
  t.throws(() => store.read(0, 1), { message: /outside stored/ });
});
