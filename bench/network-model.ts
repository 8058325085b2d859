// Network model cost per message: NetworkModel.deliveries() alone (relation lookup, NIC queue,
// latency draw, ledger, fault checks) on 1,000 hosts in 3 zones with 2 addresses each, and as
// context the whole path through TransportSim and the Simulator loop (send → queue → deliver).
// `value` is ns per deliveries() call with loss, duplication and reordering on (every branch
// taken). Args: [messages] (default 2,000,000).

import { performance } from "node:perf_hooks";
import { UsageLedger } from "../sim/ledger.ts";
import { networkModelFromProfile, type NetworkModel } from "../sim/network/network-model.ts";
import { Topology } from "../sim/network/topology.ts";
import { loadCloudProfile } from "../sim/profiles/load.ts";
import { RandomSim } from "../sim/random-sim.ts";
import { Simulator } from "../sim/simulator.ts";
import { TransportSim } from "../sim/transport-sim.ts";
import type { BenchResult } from "./run.ts";

const hostCount = 1000;
const addressCount = 2 * hostCount;

function world(faults: boolean): { sim: Simulator; network: NetworkModel; addresses: string[] } {
  const sim = new Simulator({ seed: "bench-network", countMax: 1 << 24 });
  const topology = new Topology();
  const addresses: string[] = [];
  for (let host = 0; host < hostCount; host++) {
    topology.hostAdd(`host-${host}`, { zone: `zone-${host % 3}`, vmSize: "Standard_D8s_v3" });
    for (const role of ["darq", "compute"]) {
      const address = `${role}-${host}`;
      topology.addressPlace(address, `host-${host}`, role === "darq" ? "p" : "p2");
      addresses.push(address);
    }
  }
  const ledger = new UsageLedger({ clock: sim.clock });
  const network = networkModelFromProfile(loadCloudProfile("azure-2024"), {
    clock: sim.clock, random: sim.random.fork("network"), topology, ledger,
    ...(faults ? { lossRate: 0.01, duplicateRate: 0.01, reorderJitterUs: 100 } : {}),
  });
  return { sim, network, addresses };
}

/** Sender/receiver pairs drawn up front so the loop measures the model, not the draw. */
function pairs(count: number): Int32Array {
  const random = new RandomSim("bench-network-pairs");
  const table = new Int32Array(2 * count);
  for (let index = 0; index < table.length; index++) table[index] = random.int(addressCount);
  return table;
}

function deliveriesNs(messages: number, table: Int32Array, faults: boolean): number {
  const { network, addresses } = world(faults);
  const pairCount = table.length / 2;
  let copies = 0;
  const startMs = performance.now();
  for (let index = 0; index < messages; index++) {
    const pair = index % pairCount;
    copies += network.deliveries(addresses[table[2 * pair]!]!, addresses[table[2 * pair + 1]!]!, 512).length;
  }
  const elapsedMs = performance.now() - startMs;
  if (copies === 0) throw new Error("no message was delivered");
  return (elapsedMs * 1e6) / messages;
}

function transportMessagesPerSecond(messages: number, table: Int32Array): number {
  const { sim, network, addresses } = world(false);
  const transport = new TransportSim(sim.queue, network);
  const pairCount = table.length / 2;
  let sent = 0;
  const onMessage = (): void => {
    if (sent >= messages) return;
    const pair = sent++ % pairCount;
    transport.send(addresses[table[2 * pair]!]!, addresses[table[2 * pair + 1]!]!, sent, 512);
  };
  for (const address of addresses) transport.listen(address, onMessage);
  for (let index = 0; index < 1000; index++) onMessage();
  const startMs = performance.now();
  sim.run();
  const elapsedMs = performance.now() - startMs;
  return transport.stats.messagesDelivered / (elapsedMs / 1000);
}

export async function run(args: string[]): Promise<BenchResult> {
  const messages = args[0] === undefined ? 2_000_000 : Number(args[0]);
  if (!(Number.isInteger(messages) && messages > 0)) throw new Error(`messages must be a positive integer, got ${args[0]}`);
  const table = pairs(1 << 16);
  deliveriesNs(Math.min(messages, 200_000), table, true); // warm-up
  const withFaultsNs = Math.min(deliveriesNs(messages, table, true), deliveriesNs(messages, table, true));
  const withoutFaultsNs = Math.min(deliveriesNs(messages, table, false), deliveriesNs(messages, table, false));
  const throughput = transportMessagesPerSecond(messages, table);
  process.stdout.write(`deliveries(): ${withFaultsNs.toFixed(0)} ns with faults on, ${withoutFaultsNs.toFixed(0)} ns without; ` +
    `through TransportSim + Simulator: ${(throughput / 1e6).toFixed(2)} M messages/s\n`);
  return {
    bench: "network-model",
    value: Math.round(withFaultsNs),
    unit: "ns/message",
    deliveriesNsWithoutFaults: Math.round(withoutFaultsNs),
    transportMessagesPerSecond: Math.round(throughput),
    hosts: hostCount,
    addresses: addressCount,
    messages,
  };
}
