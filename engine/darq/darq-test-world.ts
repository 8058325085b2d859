// Support for DARQ tests and benchmarks, built on the seams only (so engine/ code can use it):
// a Transport with seeded faults, a static router, and byte helpers. The simulator's own
// TransportSim models a cloud network; this one exists to hit the out-sender with the faults its
// protocol must survive — loss, duplication, reordering — at rates a test chooses.
//
// Fault model: each send is lost with `lossChance`, else delivered once, plus a second copy with
// `duplicateChance`; each copy is delayed uniformly in [delayUsMin, delayUsMax], so copies of
// different messages reorder whenever the range is wider than their spacing. Links can be cut
// and healed (`partition`), which drops everything sent across them meanwhile.

import { assert } from "../io/assert.ts";
import type { Clock } from "../io/clock.ts";
import type { LogDevice } from "../io/log-device.ts";
import type { Random } from "../io/random.ts";
import type { Address, Transport, TransportHandler } from "../io/transport.ts";
import type { DarqRouter } from "./out-sender.ts";
import { PhysicalDarq } from "./physical-darq.ts";

export type TransportFaults = {
  readonly lossChance: number;
  readonly duplicateChance: number;
  readonly delayUsMin: number;
  readonly delayUsMax: number;
};

export const transportFaultsNone: TransportFaults = { lossChance: 0, duplicateChance: 0, delayUsMin: 100, delayUsMax: 100 };

export class TransportChaos implements Transport {
  private readonly handlers = new Map<Address, TransportHandler>();
  private readonly cut = new Set<Address>();
  sent = 0;
  delivered = 0;

  constructor(private readonly clock: Clock, private readonly random: Random, public faults: TransportFaults) {
    assert(faults.delayUsMin >= 0 && faults.delayUsMax >= faults.delayUsMin, "delay range must be 0 ≤ min ≤ max");
  }

  send(from: Address, to: Address, message: unknown, sizeBytes: number): void {
    assert(sizeBytes >= 0, "sizeBytes must be ≥ 0");
    this.sent++;
    if (this.cut.has(from) || this.cut.has(to)) return;
    const faults = this.faults;
    if (this.random.chance(faults.lossChance)) return;
    const copies = this.random.chance(faults.duplicateChance) ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      const delayUs = this.random.intRange(faults.delayUsMin, faults.delayUsMax);
      this.clock.timerStart(delayUs, () => {
        if (this.cut.has(from) || this.cut.has(to)) return;
        const handler = this.handlers.get(to);
        if (handler === undefined) return;
        this.delivered++;
        handler(from, message);
      });
    }
  }

  listen(address: Address, handler: TransportHandler): void {
    assert(!this.handlers.has(address), `address '${address}' already has a listener`);
    this.handlers.set(address, handler);
  }

  unlisten(address: Address): void {
    this.handlers.delete(address);
  }

  /** Cuts (true) or heals (false) every link of `address`. */
  partition(address: Address, isolated: boolean): void {
    if (isolated) this.cut.add(address);
    else this.cut.delete(address);
  }
}

/** A router over a map the test controls (the runtime's catalog cache plays this part). */
export class RouterStatic implements DarqRouter {
  readonly routes = new Map<string, Address>();
  invalidations = 0;

  resolve(target: string): Address | undefined {
    return this.routes.get(target);
  }

  invalidate(_target: string): void {
    this.invalidations++;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function text(body: Uint8Array): string {
  return decoder.decode(body);
}

/** A device that can lose its unflushed tail (LogDeviceSim; LogDeviceMemory via dropUnflushed). */
export type CrashableDevice = LogDevice & { crash(): unknown };

/**
 * Several physical DARQs on one clock and transport, each on its own crashable device, with the
 * router kept in step with where logical DARQs are hosted. `crash` models a machine failure:
 * the DARQ object is abandoned, the device loses (part of) its unflushed tail, and a new DARQ
 * recovers from what is left.
 */
export class DarqCluster {
  readonly router = new RouterStatic();
  private readonly nodes = new Map<Address, { device: CrashableDevice; darq: PhysicalDarq }>();

  constructor(
    readonly clock: Clock,
    readonly transport: Transport,
    private readonly deviceMake: (address: Address) => CrashableDevice,
    private readonly config: Readonly<Record<string, unknown>> = {},
  ) {}

  add(address: Address): PhysicalDarq {
    const device = this.deviceMake(address);
    const darq = this.open(address, device);
    this.nodes.set(address, { device, darq });
    return darq;
  }

  darq(address: Address): PhysicalDarq {
    const node = this.nodes.get(address);
    assert(node !== undefined, `no DARQ at ${address}`);
    return node.darq;
  }

  device(address: Address): CrashableDevice {
    const node = this.nodes.get(address);
    assert(node !== undefined, `no DARQ at ${address}`);
    return node.device;
  }

  /** Hosts `logical` on the DARQ at `address` and routes to it. */
  host(address: Address, logical: string): void {
    const result = this.darq(address).host(logical);
    assert(result.ok, `host ${logical}: ${result.ok ? "" : result.reason}`);
    this.router.routes.set(logical, address);
  }

  /** Crashes the machine at `address` and recovers a new DARQ from its device. */
  crash(address: Address): PhysicalDarq {
    this.kill(address);
    return this.restart(address);
  }

  /** The machine at `address` fails: its DARQ object is abandoned, its unflushed tail damaged. */
  kill(address: Address): void {
    const node = this.nodes.get(address);
    assert(node !== undefined, `no DARQ at ${address}`);
    node.darq.stop();
    node.device.crash();
  }

  /** A new DARQ recovers from the device at `address` (after `kill`). */
  restart(address: Address): PhysicalDarq {
    const node = this.nodes.get(address);
    assert(node !== undefined, `no DARQ at ${address}`);
    node.darq = this.open(address, node.device);
    return node.darq;
  }

  private open(address: Address, device: LogDevice): PhysicalDarq {
    return PhysicalDarq.open({
      device, clock: this.clock, transport: this.transport, router: this.router, address, config: this.config,
    });
  }
}
