// Tests of the network model behind TransportSim: latencies follow the profile's distributions
// (simple-statistics over many samples), the NIC queue delays messages exactly as hand-computed,
// partitions (symmetric and asymmetric) drop exactly the messages they separate, loss and
// duplication happen at their rates, arrivals stay FIFO per host pair until reordering is on,
// and bytes reach the usage ledger by zone pair and are priced.

import test from "ava";
import { mean, quantileSorted } from "simple-statistics";
import { UsageLedger } from "../ledger.ts";
import { priceLedger } from "../pricing/price-ledger.ts";
import { latencyMeanUs, latencyQuantileUs } from "../profiles/latency.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import type { Latency } from "../profiles/schema.ts";
import { Simulator } from "../simulator.ts";
import { TransportSim } from "../transport-sim.ts";
import { NetworkModel, networkModelFromProfile, type NetworkLinks, type NetworkModelOptions } from "./network-model.ts";
import { Topology, type HostSpec } from "./topology.ts";

const azure = loadCloudProfile("azure-2024");
const aws = loadCloudProfile("aws-2024");

type Delivery = { readonly from: string; readonly to: string; readonly message: number; readonly atUs: number };

/** Hosts a, b, c in zone-1 and d in zone-2, one address per host named after it, plus a2 on a. */
function world(seed: string, options: Partial<NetworkModelOptions> = {}, hostSpec: Partial<HostSpec> = {}) {
  const sim = new Simulator({ seed });
  const topology = new Topology();
  for (const [host, zone] of [["a", "zone-1"], ["b", "zone-1"], ["c", "zone-1"], ["d", "zone-2"]] as const) {
    topology.hostAdd(host, { zone, vmSize: null, ...hostSpec });
    topology.addressPlace(host, host);
  }
  topology.addressPlace("a2", "a");
  const ledger = new UsageLedger({ clock: sim.clock });
  const network = new NetworkModel({
    clock: sim.clock, random: sim.random.fork("network"), topology, ledger,
    links: azure.network.links, vmSizes: azure.compute.vmSizes, ...options,
  });
  const transport = new TransportSim(sim.queue, network);
  const deliveries: Delivery[] = [];
  for (const address of ["a", "b", "c", "d", "a2"]) {
    transport.listen(address, (from, message) => deliveries.push({ from, to: address, message: message as number, atUs: sim.nowUs() }));
  }
  return { sim, topology, network, transport, deliveries, ledger };
}

function constantLinks(latencyUs: number, bandwidthBytesPerSecond?: number): NetworkLinks {
  const link = (valueUs: number) => ({
    oneWayLatency: { kind: "constant", valueUs } as Latency, usdPerGb: 0,
    ...(bandwidthBytesPerSecond === undefined ? {} : { bandwidthBytesPerSecond }),
  });
  return { sameProcess: link(0), sameVm: link(5), sameZone: link(latencyUs), crossZone: link(latencyUs) };
}

/** One-way delays of `count` messages from → to, sent 10 ms apart so none waits for another. */
function delays(seed: string, from: string, to: string, count: number): number[] {
  const { sim, transport, deliveries } = world(seed);
  for (let i = 0; i < count; i++) {
    transport.send(from, to, i, 0);
    sim.runFor(10_000);
  }
  return deliveries.map((delivery) => delivery.atUs - delivery.message * 10_000).sort((x, y) => x - y);
}

for (const [relation, to] of [["sameZone", "b"], ["crossZone", "d"]] as const) {
  test(`${relation} one-way latency matches the profile's lognormal: median, p99 and mean within tolerance`, (t) => {
    const latency = azure.network.links[relation].oneWayLatency;
    const sample = delays(`latency-${relation}`, "a", to, 20_000);
    t.is(sample.length, 20_000);
    const within = (actual: number, expected: number, tolerance: number, what: string) =>
      t.true(Math.abs(actual - expected) <= tolerance * expected, `${what}: got ${actual}, expected ${expected} ± ${tolerance * 100}%`);
    within(quantileSorted(sample, 0.5), latencyQuantileUs(latency, 0.5), 0.03, "median");
    within(quantileSorted(sample, 0.99), latencyQuantileUs(latency, 0.99), 0.08, "p99");
    within(mean(sample), latencyMeanUs(latency), 0.03, "mean");
  });
}

test("same process is instant and same VM pays only the loopback latency, never the NIC", (t) => {
  const { sim, transport, deliveries, network } = world("local", { links: constantLinks(100) }, { nicBytesPerSecond: 1000 });
  transport.send("a", "a", 1, 1_000_000);
  transport.send("a", "a2", 2, 1_000_000);
  sim.run();
  t.deepEqual(deliveries.map((d) => [d.to, d.atUs]), [["a", 0], ["a2", 5]]);
  t.is(network.stats.messages[0], 1);
  t.is(network.stats.messages[1], 1);
});

test("NIC queue: 125 kB messages on a 1 Gbit/s NIC leave 1 ms apart, then the idle link starts afresh", (t) => {
  const { sim, transport, deliveries } = world("nic", { links: constantLinks(100) }, { nicBytesPerSecond: 125_000_000 });
  // Each message takes 125,000 B ÷ 125 B/µs = 1000 µs to serialise, then 100 µs on the wire.
  transport.send("a", "b", 1, 125_000);
  transport.send("a", "c", 2, 125_000); // another target, same NIC: waits behind message 1
  transport.send("a", "b", 3, 125_000);
  transport.send("b", "a", 4, 125_000); // b's NIC is idle
  sim.runUntil(5000);
  transport.send("a", "b", 5, 62_500);
  sim.run();
  t.deepEqual(deliveries.map((d) => [d.message, d.atUs]), [[1, 1100], [4, 1100], [2, 2100], [3, 3100], [5, 5600]]);
});

test("the slower of NIC and link bandwidth sets the serialisation time; a VM size sets the NIC", (t) => {
  const { sim, transport, deliveries, network } = world("link-cap", { links: constantLinks(0, 62_500_000) }, { vmSize: "Standard_D2s_v3" });
  t.is(network.nicBytesPerSecond("a"), 125_000_000, "D2s v3: 1000 Mbit/s");
  transport.send("a", "b", 1, 125_000); // 125,000 B ÷ 62.5 B/µs = 2000 µs
  transport.send("a", "b", 2, 1);       // 1 B ÷ 62.5 B/µs = 0.016 µs, rounded up to whole µs
  sim.run();
  t.deepEqual(deliveries.map((d) => [d.message, d.atUs]), [[1, 2000], [2, 2001]]);
});

function sendAll(transport: TransportSim, pairs: readonly (readonly [string, string])[]): void {
  pairs.forEach(([from, to], i) => transport.send(from, to, i, 10));
}

const allPairs = ["a", "b", "c", "d"].flatMap((from) => ["a", "b", "c", "d"].filter((to) => to !== from).map((to) => [from, to] as const));

test("a symmetric partition drops exactly the messages between its groups, both ways; heal restores", (t) => {
  const { sim, transport, deliveries, network } = world("partition", { links: constantLinks(10) });
  const id = network.networkPartition([["a"], ["b", "c"]]);
  sendAll(transport, allPairs);
  sim.run();
  const got = deliveries.map((d) => `${d.from}>${d.to}`).sort();
  // d is in no group: it reaches and is reached by everyone; a is cut off from b and c.
  t.deepEqual(got, ["a>d", "b>c", "b>d", "c>b", "c>d", "d>a", "d>b", "d>c"]);
  t.is(network.stats.droppedPartition, 4);
  network.networkHeal(id);
  deliveries.length = 0;
  sendAll(transport, allPairs);
  sim.run();
  t.is(deliveries.length, allPairs.length);
});

test("an asymmetric partition: a cannot reach b or c, but they still reach a", (t) => {
  const { sim, transport, deliveries, network } = world("asymmetric", { links: constantLinks(10) });
  network.networkPartition([["a"], ["b", "c"]], true);
  sendAll(transport, allPairs);
  sim.run();
  const got = new Set(deliveries.map((d) => `${d.from}>${d.to}`));
  t.false(got.has("a>b") || got.has("a>c"));
  t.true(got.has("b>a") && got.has("c>a") && got.has("a>d") && got.has("b>c"));
  t.is(network.stats.droppedPartition, 2);
  network.networkHeal();
  deliveries.length = 0;
  sendAll(transport, allPairs);
  sim.run();
  t.is(deliveries.length, allPairs.length);
});

test("loss and duplication happen at their rates (within 5 standard deviations over 20,000 messages)", (t) => {
  const count = 20_000;
  const { sim, transport, deliveries, network } = world("rates", { lossRate: 0.1, duplicateRate: 0.05 });
  for (let i = 0; i < count; i++) transport.send("a", "b", i, 100);
  sim.run();
  const lost = network.stats.droppedLoss;
  const duplicated = network.stats.duplicated;
  const near = (actual: number, n: number, p: number, what: string) =>
    t.true(Math.abs(actual - n * p) <= 5 * Math.sqrt(n * p * (1 - p)), `${what}: ${actual} of ${n}, expected ${n * p}`);
  near(lost, count, 0.1, "lost");
  near(duplicated, count - lost, 0.05, "duplicated");
  t.is(deliveries.length, count - lost + duplicated);
});

test("arrivals are FIFO per host pair despite random latency; reorder jitter breaks the order", (t) => {
  const order = (jitterUs: number) => {
    const { sim, transport, deliveries } = world(`fifo-${jitterUs}`, { reorderJitterUs: jitterUs });
    for (let i = 0; i < 2000; i++) {
      transport.send("a", "b", i, 10);
      if (i % 10 === 0) sim.runFor(20);
    }
    sim.run();
    let inversions = 0;
    for (let i = 1; i < deliveries.length; i++) if (deliveries[i]!.message < deliveries[i - 1]!.message) inversions++;
    return inversions;
  };
  t.is(order(0), 0);
  t.true(order(500) > 100);
});

test("link faults on one host touch only that host's links; rate 0 ends them", (t) => {
  const { sim, transport, deliveries, network } = world("host-faults", { links: constantLinks(10) });
  network.linkLoss(["a"], 1);
  sendAll(transport, allPairs);
  sim.run();
  t.true(deliveries.every((d) => d.from !== "a" && d.to !== "a"));
  t.is(deliveries.length, allPairs.length - 6);
  network.linkLoss(["a"], 0);
  network.linkDuplicate([], 1);
  deliveries.length = 0;
  sendAll(transport, allPairs);
  sim.run();
  t.is(deliveries.length, 2 * allPairs.length);
});

test("turning loss on does not change the latency any surviving message draws", (t) => {
  const run = (lossRate: number) => {
    const { sim, transport, deliveries } = world("independent-streams", { lossRate });
    for (let i = 0; i < 500; i++) {
      transport.send("a", "b", i, 0);
      sim.runFor(10_000);
    }
    return new Map(deliveries.map((d) => [d.message, d.atUs]));
  };
  const whole = run(0);
  const lossy = run(0.3);
  t.true(lossy.size < 450);
  for (const [message, atUs] of lossy) t.is(atUs, whole.get(message) ?? -1);
});

test("bytes reach the ledger per zone pair; cross-zone transfer is priced (AWS: 0.02 USD/GB)", (t) => {
  const sim = new Simulator({ seed: "ledger" });
  const topology = new Topology();
  topology.hostAdd("x", { zone: "use1-az1", vmSize: null });
  topology.hostAdd("y", { zone: "use1-az2", vmSize: null });
  for (const host of ["x", "y"]) topology.addressPlace(host, host);
  topology.addressPlace("x2", "x");
  const ledger = new UsageLedger({ clock: sim.clock });
  const network = networkModelFromProfile(aws, { clock: sim.clock, random: sim.random, topology, ledger });
  const transport = new TransportSim(sim.queue, network);
  const gb = aws.bytesPerGb;
  transport.send("x", "y", "big", 2 * gb);
  transport.send("x", "x2", "local", gb); // same VM: no network bytes
  transport.send("y", "x", "back", 1000);
  sim.runUntil(3_600_000_000);
  const data = ledger.toData();
  t.deepEqual(data.network.map((p) => [p.sourceZone, p.targetZone, p.bytes, p.messages]),
    [["use1-az1", "use1-az2", 2 * gb, 1], ["use1-az2", "use1-az1", 1000, 1]]);
  const report = priceLedger(data, aws);
  const expected = ((2 * gb + 1000) / gb) * 0.02;
  t.true(Math.abs(report.components.network.runUsd - expected) < 1e-12, `network cost ${report.components.network.runUsd}, expected ${expected}`);
});
