// Helpers of the LogDevice contract: the harness type, a tiny seeded generator (the contract runs
// in engine/, which gets no other randomness), and the model-based test that drives a device
// with random appends, flushes, reads and truncations and compares it with a plain byte array.

import type { ExecutionContext } from "ava";
import type { LogDevice } from "./log-device.ts";

/** A device under test and the means to drive it. */
export type LogDeviceHarness = {
  /** The device, fresh and empty. */
  readonly device: LogDevice;
  /** Runs device work that waits on virtual time until none is left (sim); real devices return. */
  settle(): void;
  /** Closes the device and reopens its storage (devices that persist). */
  reopen?: () => LogDevice;
  /** Crashes the device and returns it as recovered (devices that model crashes). */
  crash?: () => LogDevice;
  /** Releases the device and its storage. */
  dispose(): void;
};

export type SeededRandom = { int(maxExclusive: number): number; chance(p: number): boolean };

/** mulberry32: small, fast, and good enough to draw test inputs. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (maxExclusive) => Math.floor(next() * maxExclusive),
    chance: (p) => next() < p,
  };
}

export function bytesRandom(random: SeededRandom, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = random.int(256);
  return bytes;
}

/** Requests a flush, lets the device run, and resolves with the flush's outcome. */
export function flushed(h: LogDeviceHarness, device: LogDevice): Promise<Error | null> {
  const done = new Promise<Error | null>((resolve) => device.flush(resolve));
  h.settle();
  return done;
}

/** The expected log: every byte ever appended at its absolute offset, plus the bounds. */
class Model {
  bytes = new Uint8Array(1024);
  begin = 0;
  end = 0;
  /** durableEnd must be at least this: the end at the last completed flush, cut by truncations. */
  durableMin = 0;

  append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.bytes.length) {
      const next = new Uint8Array(2 * (this.end + chunk.length));
      next.set(this.bytes.subarray(0, this.end));
      this.bytes = next;
    }
    this.bytes.set(chunk, this.end);
    this.end += chunk.length;
  }

  range(offset: number, length: number): Buffer {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + offset, length);
  }
}

/**
 * Runs `steps` random operations on the harness's device and checks each against the model.
 * With `reopen`, some steps close and reopen the device; it must come back with the same begin,
 * every flushed byte, and an end no larger than what was appended.
 */
export async function runModel(t: ExecutionContext, h: LogDeviceHarness, seed: number, steps: number, reopen: boolean): Promise<void> {
  const random = seededRandom(seed);
  const model = new Model();
  let device = h.device;
  let pending: Promise<void>[] = [];
  const completed: number[] = [];
  let requested = 0;
  const where = (step: number): string => `seed ${seed}, step ${step}`;
  for (let step = 0; step < steps; step++) {
    const r = random.int(100);
    if (r < 40) {
      const chunk = bytesRandom(random, 1 + random.int(2500));
      t.is(device.append(chunk), model.end, `${where(step)}: append offset`);
      model.append(chunk);
    } else if (r < 52) {
      const target = model.end;
      t.is(await flushed(h, device), null);
      model.durableMin = Math.max(model.durableMin, Math.min(target, model.end));
    } else if (r < 60) {
      const id = requested++;
      pending.push(new Promise((resolve) => device.flush(() => {
        completed.push(id);
        resolve();
      })));
    } else if (r < 78) {
      const offset = model.begin + random.int(model.end - model.begin + 1);
      const length = random.int(model.end - offset + 1);
      t.true(Buffer.from(device.read(offset, length)).equals(model.range(offset, length)), `${where(step)}: read`);
    } else if (r < 86) {
      model.begin += random.int(Math.min(model.end - model.begin, 6000) + 1);
      device.truncatePrefix(model.begin);
    } else if (r < 94 || !reopen) {
      const offset = Math.max(model.begin, model.end - random.int(4000));
      device.truncateTail(offset);
      model.end = offset;
      model.durableMin = Math.min(model.durableMin, offset);
    } else {
      h.settle();
      await Promise.all(pending);
      pending = [];
      device = h.reopen!();
      t.is(device.begin(), model.begin, `${where(step)}: begin after reopen`);
      t.true(device.end() >= model.durableMin && device.end() <= model.end, `${where(step)}: end after reopen`);
      model.end = device.end();
      model.durableMin = device.durableEnd();
    }
    t.is(device.begin(), model.begin, `${where(step)}: begin`);
    t.is(device.end(), model.end, `${where(step)}: end`);
    const durable = device.durableEnd();
    t.true(durable >= model.durableMin && durable <= model.end, `${where(step)}: durableEnd ${durable}`);
  }
  h.settle();
  await Promise.all(pending);
  t.deepEqual(completed, [...Array(requested).keys()], "unawaited flushes completed in request order");
  t.is(await flushed(h, device), null);
  t.is(device.durableEnd(), device.end());
  t.true(Buffer.from(device.read(model.begin, model.end - model.begin)).equals(model.range(model.begin, model.end - model.begin)));
}
