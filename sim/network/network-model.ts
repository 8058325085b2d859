// NetworkModel: the simulated cloud network, as a LinkModel for TransportSim.
//
// Fault and performance model, per message from address `from` to address `to`:
// 1. Relation. The Topology says whether the two share a process, a VM, a zone, or neither; the
//    relation picks the profile's one-way latency distribution and link bandwidth.
// 2. Same process or same VM: memory or loopback. Latency only (FIFO per host on loopback);
//    never lost, duplicated, reordered or partitioned, and no bytes billed.
// 3. Otherwise the sender's NIC serialises the message: a FIFO queue per host at the NIC rate
//    (the VM size's expected bandwidth, capped by the link's), so a message waits for every byte
//    queued before it. The bytes are recorded in the UsageLedger on the (source zone, target
//    zone) path whether or not the message arrives: the sender pays for what it puts on the wire.
// 4. On the wire: an active network partition that separates the hosts drops it; otherwise it is
//    lost with the link's loss probability. A surviving copy arrives after the NIC plus a one-way
//    latency drawn from the relation's distribution. Arrivals are FIFO per (source host, target
//    host), as over one connection, unless reordering is on: then each copy gets an extra uniform
//    delay in [0, jitterUs] that is not held back by FIFO. With the duplication probability a
//    second copy follows with its own latency and jitter.
// Randomness: separate forks of the given stream for latency, loss, duplication and reordering,
// so turning a fault on or off never changes the latencies other messages draw.
// Cost: two Map lookups on a link's first message (its address indices are then kept in the
// transport's LinkKeys), one latency draw and a few typed-array reads per message; the returned
// arrays (one per copy count) are reused (TransportSim reads them at once), so a send allocates
// nothing here.

import { assert } from "../../engine/io/assert.ts";
import type { Clock } from "../../engine/io/clock.ts";
import type { Random } from "../../engine/io/random.ts";
import type { Address } from "../../engine/io/transport.ts";
import type { UsageLedger } from "../ledger.ts";
import { latencySampler, type LatencySampler } from "../profiles/latency.ts";
import type { CloudProfile } from "../profiles/schema.ts";
import type { LinkKeys, LinkModel } from "../transport-sim.ts";
import { LinkFaultKind, LinkFaults } from "./link-faults.ts";
import { NetworkPartitions } from "./partitions.ts";
import { Relation, relationNames, type Topology } from "./topology.ts";

export type NetworkLinks = CloudProfile["network"]["links"];
export type VmSizes = CloudProfile["compute"]["vmSizes"];

export type NetworkModelOptions = {
  readonly clock: Clock;
  /** The network's stream, e.g. `simulator.random.fork("network")`. */
  readonly random: Random;
  readonly topology: Topology;
  readonly links: NetworkLinks;
  /** VM sizes, for the NIC bandwidth of hosts that name one. */
  readonly vmSizes?: VmSizes;
  readonly ledger?: UsageLedger;
  /** Base probabilities and jitter (faults can raise them at run time); default 0. */
  readonly lossRate?: number;
  readonly duplicateRate?: number;
  readonly reorderJitterUs?: number;
};

export type NetworkStats = {
  /** Messages and bytes sent, by relation (index: Relation). */
  readonly messages: Float64Array;
  readonly bytes: Float64Array;
  droppedPartition: number;
  droppedLoss: number;
  duplicated: number;
};

const bytesPerSecondPerMbps = 125_000;

export class NetworkModel implements LinkModel {
  readonly stats: NetworkStats = {
    messages: new Float64Array(4), bytes: new Float64Array(4), droppedPartition: 0, droppedLoss: 0, duplicated: 0,
  };
  private readonly clock: Clock;
  private readonly topology: Topology;
  private readonly vmSizes: VmSizes | undefined;
  private readonly ledger: UsageLedger | undefined;
  private readonly samplers: LatencySampler[];
  /** Link bandwidth per relation in bytes per µs (Infinity: not a bottleneck). */
  private readonly linkBytesPerUs: Float64Array;
  private readonly latencyRandom: Random;
  private readonly lossRandom: Random;
  private readonly duplicateRandom: Random;
  private readonly reorderRandom: Random;
  private readonly partitions = new NetworkPartitions();
  private readonly faults: LinkFaults;
  /** NIC rate per host in bytes per µs; NaN until first used. */
  private nicBytesPerUs = new Float64Array(0);
  /** Time each host's NIC has serialised everything queued so far, fractional µs. */
  private nicFreeUs = new Float64Array(0);
  /** Latest arrival per (source host, target host): FIFO per connection. */
  private readonly lastArrivalUs: (Float64Array | undefined)[] = [];
  private readonly ledgerPaths = new Map<number, number>();
  /** The returned delays, reused: no copy, one copy, two copies (a duplicate). */
  private readonly outNone: number[] = [];
  private readonly outOne: number[] = [0];
  private readonly outTwo: number[] = [0, 0];

  constructor(options: NetworkModelOptions) {
    this.clock = options.clock;
    this.topology = options.topology;
    this.vmSizes = options.vmSizes;
    this.ledger = options.ledger;
    const links = relationNames.map((name) => options.links[name]);
    this.samplers = links.map((link) => latencySampler(link.oneWayLatency));
    this.linkBytesPerUs = Float64Array.from(links, (link) => (link.bandwidthBytesPerSecond ?? Infinity) / 1e6);
    this.latencyRandom = options.random.fork("latency");
    this.lossRandom = options.random.fork("loss");
    this.duplicateRandom = options.random.fork("duplicate");
    this.reorderRandom = options.random.fork("reorder");
    this.faults = new LinkFaults(options.lossRate ?? 0, options.duplicateRate ?? 0, options.reorderJitterUs ?? 0);
  }

  deliveries(from: Address, to: Address, sizeBytes: number, keys?: LinkKeys): readonly number[] {
    const topology = this.topology;
    let fromIndex: number;
    let toIndex: number;
    if (keys !== undefined && keys.fromKey >= 0) {
      fromIndex = keys.fromKey;
      toIndex = keys.toKey;
    } else {
      fromIndex = topology.addressIndexOf(from);
      toIndex = topology.addressIndexOf(to);
      // An address keeps its index once placed (moving it changes its host, not its index), so
      // the link's record can hold both for the rest of the run.
      if (keys !== undefined) {
        keys.fromKey = fromIndex;
        keys.toKey = toIndex;
      }
    }
    const relation = topology.relation(fromIndex, toIndex);
    const fromHost = topology.hostOfIndex(fromIndex);
    const toHost = topology.hostOfIndex(toIndex);
    this.stats.messages[relation]! += 1;
    this.stats.bytes[relation]! += sizeBytes;
    const nowUs = this.clock.nowUs();
    const latencyUs = this.samplers[relation]!(this.latencyRandom);
    const one = this.outOne;
    if (relation === Relation.sameProcess) {
      one[0] = latencyUs;
      return one;
    }
    if (relation === Relation.sameVm) {
      one[0] = this.fifoArrival(fromHost, toHost, nowUs + latencyUs) - nowUs;
      return one;
    }
    const sentUs = Math.ceil(this.nicSerialise(fromHost, relation, sizeBytes, nowUs));
    if (this.ledger !== undefined) this.ledger.transfer(this.ledgerPath(fromHost, toHost), sizeBytes);
    if (this.partitions.activeCount > 0 && this.partitions.blocks(fromHost, toHost)) {
      this.stats.droppedPartition++;
      return this.outNone;
    }
    const faults = this.faults;
    const lossRate = faults.value(LinkFaultKind.loss, fromHost, toHost);
    if (lossRate > 0 && this.lossRandom.chance(lossRate)) {
      this.stats.droppedLoss++;
      return this.outNone;
    }
    const jitterUs = faults.value(LinkFaultKind.reorderJitterUs, fromHost, toHost);
    const firstUs = this.fifoArrival(fromHost, toHost, sentUs + latencyUs) + this.jitter(jitterUs) - nowUs;
    const duplicateRate = faults.value(LinkFaultKind.duplicate, fromHost, toHost);
    if (duplicateRate > 0 && this.duplicateRandom.chance(duplicateRate)) {
      this.stats.duplicated++;
      const two = this.outTwo;
      two[0] = firstUs;
      two[1] = sentUs + this.samplers[relation]!(this.duplicateRandom) + this.jitter(jitterUs) - nowUs;
      return two;
    }
    one[0] = firstUs;
    return one;
  }

  /** Starts a partition between groups of host ids; returns its id. See partitions.ts. */
  networkPartition(groups: readonly (readonly string[])[], asymmetric = false): number {
    const topology = this.topology;
    return this.partitions.apply(groups.map((group) => group.map((host) => topology.hostIndexOf(host))),
      asymmetric, topology.hostCount);
  }

  /** Heals one partition, or every partition when `id` is omitted. */
  networkHeal(id?: number): void {
    this.partitions.heal(id);
  }

  /** Loss probability on links of `hosts` (empty: every link); 0 ends the fault. */
  linkLoss(hosts: readonly string[], rate: number): void {
    this.faults.set(LinkFaultKind.loss, this.hostIndices(hosts), rate);
  }

  /** Duplication probability on links of `hosts` (empty: every link); 0 ends the fault. */
  linkDuplicate(hosts: readonly string[], rate: number): void {
    this.faults.set(LinkFaultKind.duplicate, this.hostIndices(hosts), rate);
  }

  /** Reordering jitter on links of `hosts` (empty: every link); 0 ends the fault. */
  linkReorder(hosts: readonly string[], jitterUs: number): void {
    this.faults.set(LinkFaultKind.reorderJitterUs, this.hostIndices(hosts), jitterUs);
  }

  /** Bytes per second of a host's NIC (Infinity when neither the host nor its VM size says). */
  nicBytesPerSecond(hostId: string): number {
    return this.nicRate(this.topology.hostIndexOf(hostId)) * 1e6;
  }

  /** Queues `sizeBytes` on the sender's NIC; returns when its last byte leaves, fractional µs. */
  private nicSerialise(host: number, relation: Relation, sizeBytes: number, nowUs: number): number {
    const nicRate = this.nicRate(host);
    const linkRate = this.linkBytesPerUs[relation]!;
    const bytesPerUs = nicRate < linkRate ? nicRate : linkRate;
    if (bytesPerUs === Infinity || sizeBytes === 0) return nowUs;
    const freeUs = this.nicFreeUs[host]!;
    const finishUs = (freeUs > nowUs ? freeUs : nowUs) + sizeBytes / bytesPerUs;
    this.nicFreeUs[host] = finishUs;
    return finishUs;
  }

  private nicRate(host: number): number {
    if (host >= this.nicBytesPerUs.length) this.growHosts();
    const cached = this.nicBytesPerUs[host]!;
    if (!Number.isNaN(cached)) return cached;
    const spec = this.topology.hostSpec(host);
    let bytesPerSecond = spec.nicBytesPerSecond;
    if (bytesPerSecond === undefined && spec.vmSize !== null) {
      const mbps = this.vmSizes?.[spec.vmSize]?.networkBandwidthMbps;
      if (mbps !== undefined) bytesPerSecond = mbps * bytesPerSecondPerMbps;
    }
    const rate = (bytesPerSecond ?? Infinity) / 1e6;
    assert(rate > 0, `host '${this.topology.hostId(host)}' has a NIC rate of ${bytesPerSecond} bytes/s; it must be > 0`);
    this.nicBytesPerUs[host] = rate;
    return rate;
  }

  private growHosts(): void {
    const length = Math.max(16, 2 * this.topology.hostCount);
    const rates = new Float64Array(length).fill(NaN);
    rates.set(this.nicBytesPerUs);
    this.nicBytesPerUs = rates;
    const free = new Float64Array(length);
    free.set(this.nicFreeUs);
    this.nicFreeUs = free;
  }

  /** Holds an arrival back behind the previous one on the same host pair. */
  private fifoArrival(fromHost: number, toHost: number, arrivalUs: number): number {
    let last = this.lastArrivalUs[fromHost];
    if (last === undefined || toHost >= last.length) {
      // Sized to the hosts there are (grown when hosts are added): 8 bytes per host pair used.
      const grown = new Float64Array(Math.max(16, toHost + 1, this.topology.hostCount));
      if (last !== undefined) grown.set(last);
      this.lastArrivalUs[fromHost] = last = grown;
    }
    const previousUs = last[toHost]!;
    const resultUs = arrivalUs > previousUs ? arrivalUs : previousUs;
    last[toHost] = resultUs;
    return resultUs;
  }

  private jitter(jitterUs: number): number {
    return jitterUs > 0 ? this.reorderRandom.int(jitterUs + 1) : 0;
  }

  private ledgerPath(fromHost: number, toHost: number): number {
    const topology = this.topology;
    const fromZone = topology.zoneOfHost(fromHost);
    const toZone = topology.zoneOfHost(toHost);
    const key = fromZone * 65536 + toZone;
    let handle = this.ledgerPaths.get(key);
    if (handle === undefined) {
      handle = this.ledger!.networkPath(topology.zoneName(fromZone), topology.zoneName(toZone));
      this.ledgerPaths.set(key, handle);
    }
    return handle;
  }

  private hostIndices(hosts: readonly string[]): number[] {
    return hosts.map((host) => this.topology.hostIndexOf(host));
  }
}

/** A NetworkModel with the links and VM sizes of a cloud profile. */
export function networkModelFromProfile(
  profile: CloudProfile, options: Omit<NetworkModelOptions, "links" | "vmSizes">,
): NetworkModel {
  return new NetworkModel({ ...options, links: profile.network.links, vmSizes: profile.compute.vmSizes });
}
