// Topology: where every address of a simulated cluster lives. Hosts (one VM or one serverless
// instance each) sit in zones; addresses (a DARQ, a compute process, a client) sit on a host and
// in a process on it. The network model asks it one question per message: how far apart are two
// addresses (same process, same VM, same zone, or across zones), and which hosts carry the bytes.
//
// Hosts and addresses get dense integer indices when they are added, so the network keeps its
// per-host state (NIC queues, fault rates, partition groups) in typed arrays. Hosts may be added
// at run time (an autoscaler starts a VM) and addresses moved (a migration re-places a DARQ);
// nothing is ever renumbered.

import { assert } from "../../engine/io/assert.ts";
import type { Address } from "../../engine/io/transport.ts";

/** How far apart two addresses are; indexes the profile's four link kinds. */
export const Relation = { sameProcess: 0, sameVm: 1, sameZone: 2, crossZone: 3 } as const;
export type Relation = (typeof Relation)[keyof typeof Relation];
export const relationNames = ["sameProcess", "sameVm", "sameZone", "crossZone"] as const;

/** Zone indices fit 16 bits, so a pair of them makes one small-integer map key. */
const zonesMax = 65536;

export type HostSpec = {
  readonly zone: string;
  /** VM size from the cloud profile (sets the NIC bandwidth); null for hosts that are not VMs. */
  readonly vmSize: string | null;
  /** Overrides the VM size's NIC bandwidth, bytes per second. */
  readonly nicBytesPerSecond?: number;
};

export class Topology {
  private readonly hostIndex = new Map<string, number>();
  private readonly hostIds: string[] = [];
  private readonly hostSpecs: HostSpec[] = [];
  private readonly zoneIndex = new Map<string, number>();
  private readonly zoneNames: string[] = [];
  /** Zone index per host. */
  private hostZones = new Int32Array(16);

  private readonly addressIndex = new Map<Address, number>();
  private addressHosts = new Int32Array(64);
  private addressProcesses = new Int32Array(64);
  private readonly processIndex = new Map<string, number>();

  /** Adds a host; returns its index. */
  hostAdd(hostId: string, spec: HostSpec): number {
    assert(hostId.length > 0, "a host needs a non-empty id");
    assert(!this.hostIndex.has(hostId), `host '${hostId}' added twice`);
    assert(spec.zone.length > 0, `host '${hostId}' needs a non-empty zone`);
    const index = this.hostIds.length;
    this.hostIds.push(hostId);
    this.hostSpecs.push(Object.freeze({ ...spec }));
    this.hostIndex.set(hostId, index);
    let zone = this.zoneIndex.get(spec.zone);
    if (zone === undefined) {
      zone = this.zoneNames.length;
      assert(zone < zonesMax, `a topology holds at most ${zonesMax} zones`);
      this.zoneNames.push(spec.zone);
      this.zoneIndex.set(spec.zone, zone);
    }
    if (index >= this.hostZones.length) this.hostZones = grow(this.hostZones, 2 * index);
    this.hostZones[index] = zone;
    return index;
  }

  /**
   * Places `address` on a host, in process `processId` (addresses that share a process id on
   * one host talk in memory). The default process is the address itself: a process of its own.
   * Placing an address again moves it.
   */
  addressPlace(address: Address, hostId: string, processId: string = address): void {
    const host = this.hostIndex.get(hostId);
    assert(host !== undefined, `address '${address}' placed on unknown host '${hostId}'; add the host first`);
    let index = this.addressIndex.get(address);
    if (index === undefined) {
      index = this.addressIndex.size;
      this.addressIndex.set(address, index);
      if (index >= this.addressHosts.length) {
        this.addressHosts = grow(this.addressHosts, 2 * index);
        this.addressProcesses = grow(this.addressProcesses, 2 * index);
      }
    }
    const processKey = `${hostId}\u0000${processId}`;
    let process = this.processIndex.get(processKey);
    if (process === undefined) {
      process = this.processIndex.size;
      this.processIndex.set(processKey, process);
    }
    this.addressHosts[index] = host;
    this.addressProcesses[index] = process;
  }

  /** The addresses placed in process `processId` on host `hostId`, in placement order. */
  addressesInProcess(hostId: string, processId: string): Address[] {
    const process = this.processIndex.get(`${hostId}\u0000${processId}`);
    if (process === undefined) return [];
    return [...this.addressIndex].filter(([, index]) => this.addressProcesses[index] === process).map(([address]) => address);
  }

  /** Host index of a placed address; asserts the address was placed. */
  hostOfAddress(address: Address): number {
    const index = this.addressIndex.get(address);
    if (index === undefined) assert(false, `address '${address}' is on no host; place it with Topology.addressPlace`);
    return this.addressHosts[index]!;
  }

  /** Address index, for callers that look up many times; asserts the address was placed. */
  addressIndexOf(address: Address): number {
    const index = this.addressIndex.get(address);
    if (index === undefined) assert(false, `address '${address}' is on no host; place it with Topology.addressPlace`);
    return index;
  }

  hostOfIndex(addressIndex: number): number {
    return this.addressHosts[addressIndex]!;
  }

  /** Relation between two placed addresses, by index. */
  relation(fromIndex: number, toIndex: number): Relation {
    const fromHost = this.addressHosts[fromIndex]!;
    const toHost = this.addressHosts[toIndex]!;
    if (fromHost === toHost) {
      return this.addressProcesses[fromIndex] === this.addressProcesses[toIndex] ? Relation.sameProcess : Relation.sameVm;
    }
    return this.hostZones[fromHost] === this.hostZones[toHost] ? Relation.sameZone : Relation.crossZone;
  }

  hostIndexOf(hostId: string): number {
    const index = this.hostIndex.get(hostId);
    if (index === undefined) assert(false, `unknown host '${hostId}'; hosts are ${this.hostIds.slice(0, 20).join(", ")}`);
    return index;
  }

  hasHost(hostId: string): boolean {
    return this.hostIndex.has(hostId);
  }

  hostId(index: number): string {
    return this.hostIds[index]!;
  }

  hostSpec(index: number): HostSpec {
    return this.hostSpecs[index]!;
  }

  /** Zone index of a host. */
  zoneOfHost(hostIndex: number): number {
    return this.hostZones[hostIndex]!;
  }

  zoneName(zoneIndex: number): string {
    return this.zoneNames[zoneIndex]!;
  }

  get hostCount(): number {
    return this.hostIds.length;
  }

  get zoneCount(): number {
    return this.zoneNames.length;
  }

  /** Host ids in the order they were added. */
  hosts(): readonly string[] {
    return this.hostIds;
  }
}

function grow(array: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(Math.max(length, 16));
  next.set(array);
  return next;
}
