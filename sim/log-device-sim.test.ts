// Tests of LogDeviceSim under the simulator's virtual clock: the shared LogDevice contract
// (including its crash check over 200 seeds), then the timing and crash fault model: latency in
// virtual time, in-order completion, each crash outcome and its effect on framed records.

import test from "ava";
import { frameEncode, framesScan } from "../engine/io/frame.ts";
import { logDeviceContract } from "../engine/io/log-device.contract.ts";
import type { Random } from "../engine/io/random.ts";
import { type LogDeviceCrash, LogDeviceSim, type LogDeviceSimOptions } from "./log-device-sim.ts";
import { Simulator } from "./simulator.ts";

function setup(seed: string, options: Partial<LogDeviceSimOptions> = {}): { sim: Simulator; device: LogDeviceSim } {
  const sim = new Simulator({ seed });
  const device = new LogDeviceSim({
    clock: sim.clock,
    random: sim.random.fork("log-device"),
    flushLatencyUs: (random: Random) => random.intRange(20, 3000),
    ...options,
  });
  return { sim, device };
}

logDeviceContract(test, "LogDeviceSim", (seed) => {
  const { sim, device } = setup(`contract-${seed}`);
  return {
    device,
    settle: () => void sim.run(),
    crash: () => {
      device.crash();
      return device;
    },
    dispose: () => device.close(),
  };
});

test("a flush completes after its latency in virtual time, not before", (t) => {
  const { sim, device } = setup("latency", { flushLatencyUs: 500 });
  device.append(new Uint8Array(10));
  let doneAtUs = -1;
  device.flush(() => (doneAtUs = sim.nowUs()));
  sim.runUntil(499);
  t.is(doneAtUs, -1);
  t.is(device.durableEnd(), 0);
  sim.run();
  t.is(doneAtUs, 500);
  t.is(device.durableEnd(), 10);
});

test("a fast flush waits behind a slow earlier one: completions stay in request order", (t) => {
  const latencies = [1000, 10, 10];
  const { sim, device } = setup("order", { flushLatencyUs: () => latencies.shift() ?? 0 });
  const done: [number, number][] = [];
  for (let i = 0; i < 3; i++) {
    device.append(new Uint8Array([i]));
    device.flush(() => done.push([i, sim.nowUs()]));
  }
  sim.run();
  t.deepEqual(done, [[0, 1000], [1, 1000], [2, 1000]]);
});

test("crash outcomes: lost keeps nothing, partial an exact prefix, torn a prefix with a garbled end", (t) => {
  const seen = new Set<LogDeviceCrash["outcome"]>();
  for (let seed = 0; seed < 60; seed++) {
    const { sim, device } = setup(`outcomes-${seed}`);
    const written = new Uint8Array(3000).map((_, i) => (i * 13 + seed) & 0xff);
    device.append(written.subarray(0, 1000));
    device.flush(() => {});
    sim.run();
    device.append(written.subarray(1000));
    device.flush(() => t.fail("a flush pending at the crash called back"));
    const crash = device.crash();
    sim.run();
    seen.add(crash.outcome);
    t.is(crash.unflushedBytes, 2000);
    t.is(device.end(), 1000 + crash.keptBytes);
    t.is(device.durableEnd(), device.end(), "what survived is on the medium");
    const kept = device.read(0, device.end());
    const intact = kept.length - crash.garbledBytes;
    t.deepEqual(kept.subarray(0, intact), written.subarray(0, intact));
    for (let i = intact; i < kept.length; i++) t.not(kept[i], written[i], `seed ${seed}: byte ${i} is garbled`);
    if (crash.outcome === "lost") t.is(crash.keptBytes, 0);
    if (crash.outcome === "torn") t.true(crash.garbledBytes >= 1 && crash.garbledBytes <= 16);
    else t.is(crash.garbledBytes, 0);
  }
  t.deepEqual([...seen].sort(), ["lost", "partial", "torn"]);
});

test("tornWriteChance 0 never tears, 1 always tears an unflushed tail", (t) => {
  for (let seed = 0; seed < 30; seed++) {
    for (const chance of [0, 1]) {
      const { device } = setup(`chance-${seed}`, { tornWriteChance: chance });
      device.append(new Uint8Array(100));
      t.is(device.crash().outcome === "torn", chance === 1);
    }
  }
});

test("after a crash, framesScan keeps every flushed frame and cuts a torn tail at a frame boundary", (t) => {
  for (let seed = 0; seed < 100; seed++) {
    const { sim, device } = setup(`frames-${seed}`);
    const random = sim.random.fork("workload");
    const frameEnds: number[] = [];
    for (let i = 0; i < 40; i++) {
      device.append(frameEncode(new Uint8Array(1 + random.int(200)).fill(i + 1)));
      frameEnds.push(device.end());
      if (random.chance(0.2)) device.flush(() => {});
      if (random.chance(0.2)) sim.runFor(random.int(2000));
    }
    const durableBefore = device.durableEnd();
    device.crash();
    const scan = framesScan(device, 0, () => {});
    t.true(scan.validEnd >= durableBefore, `seed ${seed}: a flushed frame was cut`);
    t.true(scan.validEnd === 0 || frameEnds.includes(scan.validEnd), `seed ${seed}: cut inside a frame`);
    device.truncateTail(scan.validEnd);
    t.false(framesScan(device, 0, () => {}).torn);
  }
});

test("the same seed gives the same crash, byte for byte", (t) => {
  const run = (): Uint8Array => {
    const { device } = setup("replay");
    device.append(new Uint8Array(5000).map((_, i) => i & 0xff));
    device.crash();
    return device.read(0, device.end());
  };
  t.deepEqual(run(), run());
});
