// The LogDevice contract (log-device.ts), as tests any implementation must pass. Each device's
// test file calls `logDeviceContract(test, name, factory)`; the factory builds a fresh, empty
// device plus the means to drive it (a harness). One contract for every device (STYLE 14) keeps
// the memory, file and simulated logs interchangeable under the DARQ engine.
//
// Drawn values come from a small seeded generator, so every run of a test sees the same bytes
// and operation sequence; the seed is in the failure message.

import type { ExecutionContext, TestFn } from "ava";
import type { LogDevice } from "./log-device.ts";
import { bytesRandom, flushed, type LogDeviceHarness, runModel, seededRandom } from "./log-device.contract-model.ts";

export type { LogDeviceHarness } from "./log-device.contract-model.ts";

/** Builds a fresh, empty device; `seed` lets a device draw its own randomness (latency, faults). */
export type LogDeviceFactory = (seed: number) => LogDeviceHarness;

/** Registers one test that runs `body` on a fresh device. */
type Check = (title: string, body: (t: ExecutionContext, h: LogDeviceHarness) => Promise<void>) => void;

/** Registers the contract's tests, titled `${name}: …`. */
export function logDeviceContract(test: TestFn, name: string, factory: LogDeviceFactory): void {
  const check: Check = (title, body) => {
    test(`${name}: ${title}`, async (t) => {
      t.timeout(60_000);
      const h = factory(1);
      try {
        await body(t, h);
      } finally {
        h.dispose();
      }
    });
  };
  appendTests(check);
  flushTests(check);
  truncateTests(check);
  check("random operations agree with a model: offsets monotone across truncation, reads exact", async (t, h) => {
    await runModel(t, h, 17, 400, false);
  });

  const probe = factory(0);
  const canReopen = probe.reopen !== undefined;
  const canCrash = probe.crash !== undefined;
  probe.dispose();
  if (canReopen) {
    check("reopen after close keeps every flushed byte and begin; appends continue at end", async (t, h) => {
      await runModel(t, h, 18, 300, true);
    });
  }
  if (canCrash) {
    test(`${name}: crash keeps every flushed byte and at most the appended ones (200 seeds)`, async (t) => {
      t.timeout(60_000);
      for (let seed = 1; seed <= 200; seed++) {
        const h = factory(seed);
        try {
          await crashCheck(t, h, seed);
        } finally {
          h.dispose();
        }
      }
    });
  }
}

function appendTests(check: Check): void {
  check("append returns consecutive offsets from begin; read returns copies of the bytes", async (t, h) => {
    const device = h.device;
    const random = seededRandom(11);
    t.is(device.begin(), 0);
    t.is(device.end(), 0);
    const chunks: Uint8Array[] = [];
    let expected = 0;
    for (let i = 0; i < 40; i++) {
      const chunk = bytesRandom(random, 1 + random.int(900));
      t.is(device.append(chunk), expected, `append ${i} starts where the previous ended`);
      expected += chunk.length;
      chunks.push(chunk.slice());
      chunk.fill(0); // the device must have copied the caller's bytes
    }
    t.is(device.end(), expected);
    const all = Buffer.concat(chunks);
    for (let i = 0; i < 60; i++) {
      const offset = random.int(expected);
      const length = random.int(expected - offset + 1);
      const read = device.read(offset, length);
      t.true(Buffer.from(read).equals(all.subarray(offset, offset + length)), `read [${offset}, +${length})`);
      read.fill(1);
      t.true(Buffer.from(device.read(offset, length)).equals(all.subarray(offset, offset + length)), "read is a copy");
    }
  });
}

function flushTests(check: Check): void {
  check("flush makes every byte appended before it durable, and no byte appended after", async (t, h) => {
    const device = h.device;
    const random = seededRandom(12);
    device.append(bytesRandom(random, 700));
    t.is(device.durableEnd(), 0, "nothing is durable before a flush");
    const done = new Promise<Error | null>((resolve) => device.flush(resolve));
    device.append(bytesRandom(random, 300)); // after the request: not covered by it
    h.settle();
    t.is(await done, null);
    t.true(device.durableEnd() >= 700 && device.durableEnd() <= 1000);
    t.is(await flushed(h, device), null);
    t.is(device.durableEnd(), 1000);
  });

  check("flushes complete in request order, each after its own bytes are durable", async (t, h) => {
    const device = h.device;
    const random = seededRandom(13);
    const order: number[] = [];
    const waits: Promise<void>[] = [];
    for (let i = 0; i < 30; i++) {
      for (let k = random.int(3); k > 0; k--) device.append(bytesRandom(random, 1 + random.int(500)));
      const target = device.end();
      waits.push(new Promise((resolve) => device.flush((error) => {
        t.is(error, null);
        t.true(device.durableEnd() >= target, `flush ${i} saw durableEnd ${device.durableEnd()} < ${target}`);
        order.push(i);
        resolve();
      })));
      if (random.chance(0.3)) h.settle();
    }
    h.settle();
    await Promise.all(waits);
    t.deepEqual(order, [...Array(30).keys()]);
    t.is(device.durableEnd(), device.end());
  });
}

function truncateTests(check: Check): void {
  check("truncatePrefix moves begin without renumbering; later bytes and appends are unaffected", async (t, h) => {
    const device = h.device;
    const random = seededRandom(14);
    const bytes = bytesRandom(random, 20_000);
    for (let at = 0; at < bytes.length; at += 1000) device.append(bytes.subarray(at, at + 1000));
    await flushed(h, device);
    device.truncatePrefix(9_500);
    t.is(device.begin(), 9_500);
    t.is(device.end(), 20_000);
    t.true(Buffer.from(device.read(9_500, 10_500)).equals(bytes.subarray(9_500)));
    t.is(device.append(new Uint8Array([7])), 20_000, "offsets are not renumbered");
    device.truncatePrefix(device.end());
    t.is(device.begin(), 20_001);
    t.is(device.append(new Uint8Array([8, 9])), 20_001);
    t.deepEqual(device.read(20_001, 2), new Uint8Array([8, 9]));
  });

  check("truncateTail cuts the end durably; the next append starts there", async (t, h) => {
    const device = h.device;
    const random = seededRandom(15);
    const bytes = bytesRandom(random, 9_000);
    device.append(bytes.subarray(0, 6_000));
    await flushed(h, device);
    device.append(bytes.subarray(6_000));
    device.truncateTail(7_000); // cuts only unflushed bytes
    t.is(device.end(), 7_000);
    t.is(device.durableEnd(), 6_000);
    device.truncateTail(2_500); // cuts flushed bytes too
    t.is(device.end(), 2_500);
    t.is(device.durableEnd(), 2_500, "durableEnd never exceeds end");
    t.is(device.append(new Uint8Array([1, 2, 3])), 2_500);
    t.true(Buffer.from(device.read(0, 2_500)).equals(bytes.subarray(0, 2_500)));
    t.deepEqual(device.read(2_500, 3), new Uint8Array([1, 2, 3]));
    await flushed(h, device);
    t.is(device.durableEnd(), 2_503);
  });

  check("truncateTail while a flush is pending: cut bytes never count as durable", async (t, h) => {
    const device = h.device;
    const random = seededRandom(16);
    device.append(bytesRandom(random, 5_000));
    const first = new Promise<Error | null>((resolve) => device.flush(resolve));
    device.truncateTail(2_000);
    device.append(bytesRandom(random, 4_000));
    h.settle();
    t.is(await first, null);
    t.true(device.durableEnd() <= 2_000, `durableEnd ${device.durableEnd()} covers bytes appended after the cut`);
    await flushed(h, device);
    t.is(device.durableEnd(), 6_000);
  });
}


/** Appends and flushes at random, crashes, then compares the recovered log with what was written. */
async function crashCheck(t: ExecutionContext, h: LogDeviceHarness, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const crash = h.crash!;
  let device: LogDevice = h.device;
  const written: Uint8Array[] = [];
  let late = 0;
  for (let round = 0; round < 3; round++) {
    for (let i = random.int(12); i >= 0; i--) {
      written.push(bytesRandom(random, 1 + random.int(400)));
      device.append(written[written.length - 1]!);
      if (random.chance(0.3)) await flushed(h, device);
      else if (random.chance(0.3)) device.flush(() => late++); // still pending at the crash
    }
    const flushedEnd = device.durableEnd();
    const appendedEnd = device.end();
    const lateBefore = late;
    device = crash();
    h.settle();
    t.is(late, lateBefore, `seed ${seed}: a flush pending at the crash called back`);
    t.true(device.end() >= flushedEnd && device.end() <= appendedEnd,
      `seed ${seed}: recovered end ${device.end()} outside [${flushedEnd}, ${appendedEnd}]`);
    const all = Buffer.concat(written);
    t.true(Buffer.from(device.read(0, flushedEnd)).equals(all.subarray(0, flushedEnd)),
      `seed ${seed}: a flushed byte changed in the crash`);
    // The recovered tail beyond the flushed prefix may be garbled; the log goes on from its end.
    const kept = device.read(0, device.end());
    written.length = 0;
    written.push(kept);
    t.is(device.append(new Uint8Array([round + 1])), kept.length);
    written.push(new Uint8Array([round + 1]));
  }
}
