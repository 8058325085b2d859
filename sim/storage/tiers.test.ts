// Tests of the storage tiers' stated behaviour: flush latency follows the profile (premium SSD,
// blob) or the slowest of the backups' round trips (hot-replicated), premium SSD caps hold (the
// achieved IOPS and MB/s never exceed the cap, and flushes over it queue rather than vanish),
// blob requests are counted and priced exactly, the hot-replicated log is volatile only when
// every replica is down, and a forced torn write tears the tail.

import test, { type ExecutionContext } from "ava";
import { quantileSorted } from "simple-statistics";
import { UsageLedger } from "../ledger.ts";
import { priceLedger } from "../pricing/price-ledger.ts";
import { latencyQuantileUs } from "../profiles/latency.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import { Simulator } from "../simulator.ts";
import type { LogDeviceReplicated } from "./log-device-replicated.ts";
import type { LogDeviceTier } from "./log-device-tier.ts";
import { logDeviceForTier, type StorageDeviceOptions } from "./storage-factory.ts";
import { TokenBucket } from "./token-bucket.ts";

const azure = loadCloudProfile("azure-2024");
const second = 1_000_000;

function setup(tierName: string, options: Partial<StorageDeviceOptions> = {}) {
  const sim = new Simulator({ seed: `tiers-${tierName}` });
  const ledger = new UsageLedger({ clock: sim.clock });
  const device = logDeviceForTier(azure, {
    clock: sim.clock, random: sim.random.fork("storage"), storageId: "log", tierName, ledger,
    hostVmSize: "Standard_D8s_v3", ...options,
  });
  return { sim, ledger, device };
}

/** Flush latencies of `count` flushes of `bytes`, issued `gapUs` apart (idle device if large). */
function flushLatencies(sim: Simulator, device: LogDeviceTier, count: number, bytes: number, gapUs: number): number[] {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const startUs = sim.nowUs();
    device.append(new Uint8Array(bytes));
    device.flush(() => latencies.push(sim.nowUs() - startUs));
    sim.runFor(gapUs);
  }
  sim.run();
  return latencies.sort((a, b) => a - b);
}

function within(t: ExecutionContext, actual: number, expected: number, tolerance: number, what: string): void {
  t.true(Math.abs(actual - expected) <= tolerance * expected, `${what}: got ${actual}, expected ${expected} ± ${tolerance * 100}%`);
}

test("token bucket: a full bucket passes `depth` requests at once, then one per 1/rate, exactly", (t) => {
  const bucket = new TokenBucket(100, 5); // 100 per second, 5 deep
  let atUs = 0;
  const starts: number[] = [];
  for (let i = 0; i < 50; i++) {
    atUs = bucket.readyUs(1, atUs);
    bucket.take(1, atUs);
    starts.push(atUs);
  }
  // The first 5 pass at once; then one every 10 ms.
  t.deepEqual(starts.slice(0, 7), [0, 0, 0, 0, 0, 10_000, 20_000]);
  t.is(starts[49], 450_000);
});

test("premium SSD at idle: flush latency matches the profile's distribution (median, p99)", (t) => {
  const { sim, device } = setup("premium-ssd-p10");
  const sample = flushLatencies(sim, device, 5000, 4096, 100_000);
  const latency = azure.storage.tiers["premium-ssd-p10"]!.writeLatency;
  within(t, quantileSorted(sample, 0.5), latencyQuantileUs(latency, 0.5), 0.04, "median");
  within(t, quantileSorted(sample, 0.99), latencyQuantileUs(latency, 0.99), 0.1, "p99");
});

/** Largest count of `times` in any window [x, x + windowUs). */
function windowMax(times: readonly number[], windowUs: number, weights?: readonly number[]): number {
  let best = 0;
  let sum = 0;
  let head = 0;
  for (let i = 0; i < times.length; i++) {
    sum += weights?.[i] ?? 1;
    while (times[head]! <= times[i]! - windowUs) {
      sum -= weights?.[head] ?? 1;
      head++;
    }
    if (sum > best) best = sum;
  }
  return best;
}

test("premium SSD P4 IOPS cap: 1000 flushes/s offered, at most 120/s achieved, the rest queue", (t) => {
  const { sim, device } = setup("premium-ssd-p4");
  const completions: number[] = [];
  for (let i = 0; i < 3000; i++) {
    device.append(new Uint8Array(512));
    device.flush(() => completions.push(sim.nowUs()));
    sim.runFor(1000);
  }
  sim.run();
  t.is(completions.length, 3000, "no flush is dropped");
  // Depth 12 (100 ms of 120 IOPS) plus completions bunched behind a slow flush (≤ 20 ms here).
  t.true(windowMax(completions, second) <= 120 * 1.02 + 12, `max per second ${windowMax(completions, second)}`);
  const rate = (completions.length / (completions.at(-1)! - completions[0]!)) * second;
  within(t, rate, 120, 0.02, "saturated rate");
});

test("premium SSD P4 throughput cap: 1 MB flushes at 100 MB/s offered, 25 MB/s achieved", (t) => {
  const { sim, device } = setup("premium-ssd-p4");
  const completions: number[] = [];
  for (let i = 0; i < 300; i++) {
    device.append(new Uint8Array(1_000_000));
    device.flush(() => completions.push(sim.nowUs()));
    sim.runFor(10_000);
  }
  sim.run();
  const bytesMax = windowMax(completions, second) * 1_000_000;
  t.true(bytesMax <= 25e6 * 1.02 + 2.5e6 + 1e6, `max bytes per second ${bytesMax}`);
  const rate = ((completions.length - 1) * 1e6 / (completions.at(-1)! - completions[0]!)) * second;
  within(t, rate, 25e6, 0.02, "saturated MB/s");
});

test("blob: flush latency follows the profile; one write request per 4 MiB block, reads per 4 MiB range, priced exactly", (t) => {
  const { sim, device, ledger } = setup("blob-hot");
  const sample = flushLatencies(sim, device, 3000, 1000, second);
  const latency = azure.storage.tiers["blob-hot"]!.writeLatency;
  within(t, quantileSorted(sample, 0.5), latencyQuantileUs(latency, 0.5), 0.05, "median");
  device.append(new Uint8Array(10 * 1024 * 1024)); // 10 MiB: 3 blocks of ≤ 4 MiB
  device.flush(() => {});
  device.flush(() => {}); // nothing new: no request
  sim.run();
  for (let offset = 0; offset < device.end(); offset += 65_536) device.read(offset, Math.min(65_536, device.end() - offset));
  const data = ledger.toData();
  const store = data.storage[0]!;
  t.is(store.writes, 3003);
  t.is(store.writeBytes, 3_000_000 + 10 * 1024 * 1024);
  t.is(store.reads, Math.ceil(device.end() / (4 * 1024 * 1024)), "sequential reads of one 4 MiB range are one request");
  const report = priceLedger(data, azure);
  const writes = report.lines.find((line) => line.item === "writes")!;
  const reads = report.lines.find((line) => line.item === "reads")!;
  t.true(Math.abs(writes.runUsd - (3003 / 1e4) * 0.055) < 1e-12, `writes cost ${writes.runUsd}`);
  t.true(Math.abs(reads.runUsd - (store.reads / 1e4) * 0.0045) < 1e-12, `reads cost ${reads.runUsd}`);
});

test("hot-replicated flush waits for the slower of two backups: its median is one round trip's 70.7th percentile", (t) => {
  const { sim, device } = setup("hot-replicated");
  const both = flushLatencies(sim, device, 20_000, 100, 10_000);
  const latency = azure.storage.tiers["hot-replicated"]!.writeLatency;
  // P(max of two ≤ x) = F(x)² = 0.5 ⇒ F(x) = √0.5.
  within(t, quantileSorted(both, 0.5), latencyQuantileUs(latency, Math.SQRT1_2), 0.03, "median of two");
  (device as LogDeviceReplicated).replicaCrash(2);
  const one = flushLatencies(sim, device, 20_000, 100, 10_000);
  within(t, quantileSorted(one, 0.5), latencyQuantileUs(latency, 0.5), 0.03, "median of one");
});

test("hot-replicated is volatile only when every replica is down: then even flushed bytes are gone", (t) => {
  const { sim, device: tier } = setup("hot-replicated", { tornWriteChance: 0 });
  const device = tier as LogDeviceReplicated;
  device.append(new Uint8Array(1000).fill(7));
  device.flush(() => {});
  sim.run();
  device.replicaCrash(1);
  const survived = device.crash();
  t.false(survived.volatileLost);
  t.is(device.end(), 1000, "one backup up: the flushed log survives the primary's crash");
  device.replicaCrash(2);
  const lost = device.crash();
  t.true(lost.volatileLost);
  t.is(lost.durableBytesLost, 1000);
  t.is(device.end(), device.begin(), "all replicas down: the log is empty");
  device.replicaRestart(1);
  device.append(new Uint8Array(10));
  device.flush(() => {});
  sim.run();
  t.is(device.durableEnd(), device.end());
  t.throws(() => device.replicaCrash(0), { message: /backup index/ });
});

test("a forced torn write tears the unflushed tail of a premium SSD", (t) => {
  const { sim, device } = setup("premium-ssd-p10");
  device.append(new Uint8Array(500).fill(1));
  device.flush(() => {});
  sim.run();
  device.append(new Uint8Array(500).fill(2));
  const crash = device.crash("torn");
  t.is(crash.outcome, "torn");
  t.true(device.end() > 500 && device.end() <= 1000);
  t.true(crash.garbledBytes >= 1);
});

test("storage size over time becomes GB-months; the disk is billed per provisioned month", (t) => {
  const { sim, device, ledger } = setup("premium-ssd-p10");
  device.append(new Uint8Array(1_000_000));
  sim.runFor(3600 * second);
  device.truncatePrefix(500_000);
  sim.runFor(3600 * second);
  const store = ledger.toData().storage[0]!;
  t.is(store.byteSeconds, 1_000_000 * 3600 + 500_000 * 3600);
  const report = priceLedger(ledger.toData(), azure);
  const disk = report.lines.find((line) => line.item === "disk-months")!;
  // 2 h of a 19.71 USD/month disk, with a 730 h month.
  t.true(Math.abs(disk.runUsd - (2 / 730) * 19.71) < 1e-12, `disk cost ${disk.runUsd}`);
});

test("gated flush completions wait until the owner's event loop is free, in flush order; the device is durable meanwhile", (t) => {
  const { sim, ledger, device } = setup("premium-ssd-p10");
  const ungated = logDeviceForTier(azure, { clock: sim.clock, random: sim.random.fork("ungated"), storageId: "other", tierName: "premium-ssd-p10", ledger });
  const freeAt = { us: 0 };
  device.gateCompletions(() => freeAt.us);
  const done: [string, number][] = [];
  for (const [name, target] of [["first", device], ["second", device], ["reference", ungated]] as const) {
    target.append(new Uint8Array(512));
    target.flush((error) => done.push([`${name}${error === null ? "" : " failed"}`, sim.nowUs()]));
  }
  freeAt.us = 1_000_000; // a step computing for a second
  sim.run();
  const at = new Map(done);
  t.deepEqual(done.map(([name]) => name), ["reference", "first", "second"]);
  t.true(at.get("reference")! < 1_000_000, "an ungated device calls back after its latency");
  t.is(at.get("first"), 1_000_000);
  t.is(at.get("second"), 1_000_000);
  t.is(device.durableEnd(), device.end(), "the bytes were durable before the callbacks ran");
});
