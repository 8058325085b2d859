// UsageLedger: what a simulated run consumed, recorded as it happens and priced afterwards.
//
// Models append to it on their hot paths (a storage write, a message sent, an invocation), so it
// keeps numeric accumulators in typed-array columns indexed by a handle that a resource gets once
// at registration; recording an event is a few additions and allocates nothing. Time comes from
// the Clock seam. The ledger knows no prices: `toData()` gives the quantities (LedgerData, plain
// JSON) that sim/pricing turns into dollars under any price table, so a price change needs no
// rerun (DESIGN §6).
//
// Serverless durations are rounded per invocation, as providers bill them; the ledger keeps one
// billed-duration sum per rounding rule it was given (by default every rule of the bundled
// profiles), so the same ledger prices correctly under Azure's and AWS's rules.

import { assert } from "../engine/io/assert.ts";
import type { Clock } from "../engine/io/clock.ts";
import { egressZone, ledgerFormat, ledgerVersion, type LedgerData } from "./pricing/ledger-data.ts";
import { billedDurationUs, durationRulesOf, type DurationRule } from "./pricing/rounding.ts";
import { loadCloudProfile, profileNames } from "./profiles/load.ts";

export type LedgerOptions = {
  readonly clock: Clock;
  /** Rounding rules to accumulate billed durations under; default: those of the bundled profiles. */
  readonly durationRules?: readonly DurationRule[];
};

type VmRecord = { readonly id: string; readonly size: string; readonly spot: boolean; readonly segmentsUs: [number, number][]; runningSinceUs: number };

function grown(column: Float64Array<ArrayBuffer>, length: number): Float64Array<ArrayBuffer> {
  if (length <= column.length) return column;
  const next = new Float64Array(Math.max(length, column.length * 2));
  next.set(column);
  return next;
}

export class UsageLedger {
  private readonly clock: Clock;
  private readonly startUs: number;
  private readonly rules: readonly DurationRule[];

  private readonly vms: VmRecord[] = [];
  private readonly vmHandles = new Map<string, number>();

  private readonly functionIds: string[] = [];
  private readonly functionMemoryMb: number[] = [];
  private invocations = new Float64Array(4);
  private coldStarts = new Float64Array(4);
  private durationUsTotal = new Float64Array(4);
  /** Row-major [function][rule] billed µs. */
  private billedUs: Float64Array<ArrayBuffer>;

  private readonly workflowIds: string[] = [];
  private transitions = new Float64Array(4);

  private readonly storageIds: string[] = [];
  private readonly storageTiers: string[] = [];
  private readonly storageHostVmSizes: (string | null)[] = [];
  private storageColumns = { reads: new Float64Array(8), writes: new Float64Array(8), readBytes: new Float64Array(8),
    writeBytes: new Float64Array(8), byteSeconds: new Float64Array(8), sizeBytes: new Float64Array(8),
    sizeSinceUs: new Float64Array(8), openUs: new Float64Array(8), closeUs: new Float64Array(8) };

  private readonly pathHandles = new Map<string, number>();
  private readonly pathZones: [string, string][] = [];
  private pathBytes = new Float64Array(8);
  private pathMessages = new Float64Array(8);

  private catalogReads = 0;
  private catalogWrites = 0;

  constructor(options: LedgerOptions) {
    this.clock = options.clock;
    this.startUs = options.clock.nowUs();
    this.rules = (options.durationRules ?? durationRulesOf(profileNames().map((name) => loadCloudProfile(name))))
      .map((rule) => ({ ...rule }));
    assert(this.rules.every((rule) => rule.stepUs > 0 && rule.minUs >= 0), "duration rules need stepUs > 0 and minUs ≥ 0");
    this.billedUs = new Float64Array(4 * Math.max(1, this.rules.length));
  }

  /** Starts (or restarts, same size and pricing) a VM; its time is billed from now until vmStop. */
  vmStart(vmId: string, size: string, spot: boolean): number {
    let handle = this.vmHandles.get(vmId);
    if (handle === undefined) {
      handle = this.vms.length;
      this.vms.push({ id: vmId, size, spot, segmentsUs: [], runningSinceUs: -1 });
      this.vmHandles.set(vmId, handle);
    }
    const vm = this.vms[handle]!;
    assert(vm.size === size && vm.spot === spot, `VM ${vmId} restarted as ${size}/${spot ? "spot" : "regular"}, was ${vm.size}/${vm.spot ? "spot" : "regular"}`);
    assert(vm.runningSinceUs < 0, `VM ${vmId} started while running`);
    vm.runningSinceUs = this.clock.nowUs();
    return handle;
  }

  /** Stops a running VM (deallocated, evicted or deleted): billing stops now. */
  vmStop(handle: number): void {
    const vm = this.vms[handle];
    assert(vm !== undefined && vm.runningSinceUs >= 0, `vmStop of a VM that is not running (handle ${handle})`);
    vm.segmentsUs.push([vm.runningSinceUs, this.clock.nowUs()]);
    vm.runningSinceUs = -1;
  }

  /** Registers a serverless function; `memoryMb` is its configured (or observed) memory. */
  functionRegister(functionId: string, memoryMb: number): number {
    assert(!this.functionIds.includes(functionId), `function ${functionId} registered twice`);
    assert(memoryMb > 0, `function ${functionId} needs memoryMb > 0`);
    const handle = this.functionIds.length;
    this.functionIds.push(functionId);
    this.functionMemoryMb.push(memoryMb);
    this.invocations = grown(this.invocations, handle + 1);
    this.coldStarts = grown(this.coldStarts, handle + 1);
    this.durationUsTotal = grown(this.durationUsTotal, handle + 1);
    this.billedUs = grown(this.billedUs, (handle + 1) * this.rules.length);
    return handle;
  }

  /** One invocation that ran `durationUs` (cold start included if the provider bills it). */
  invocation(handle: number, durationUs: number, coldStart = false): void {
    if (!(handle >= 0 && handle < this.functionIds.length && durationUs >= 0)) {
      assert(false, `invocation(${handle}, ${durationUs}): unknown function handle or negative duration`);
    }
    this.invocations[handle]! += 1;
    if (coldStart) this.coldStarts[handle]! += 1;
    this.durationUsTotal[handle]! += durationUs;
    const base = handle * this.rules.length;
    for (let rule = 0; rule < this.rules.length; rule++) {
      this.billedUs[base + rule]! += billedDurationUs(durationUs, this.rules[rule]!);
    }
  }

  /** Registers a priced workflow (e.g. a Step Functions state machine). */
  workflowRegister(workflowId: string): number {
    assert(!this.workflowIds.includes(workflowId), `workflow ${workflowId} registered twice`);
    this.workflowIds.push(workflowId);
    this.transitions = grown(this.transitions, this.workflowIds.length);
    return this.workflowIds.length - 1;
  }

  stateTransitions(handle: number, count: number): void {
    assert(handle >= 0 && handle < this.workflowIds.length && count >= 0, `bad stateTransitions(${handle}, ${count})`);
    this.transitions[handle]! += count;
  }

  /**
   * Opens a storage resource on a profile tier; it is provisioned (billed for disks and replicas)
   * from now until storageClose. `hostVmSize` names the VM size holding a replicated-memory log.
   */
  storageOpen(storageId: string, tier: string, hostVmSize: string | null = null): number {
    assert(!this.storageIds.includes(storageId), `storage ${storageId} opened twice`);
    const handle = this.storageIds.length;
    this.storageIds.push(storageId);
    this.storageTiers.push(tier);
    this.storageHostVmSizes.push(hostVmSize);
    const columns = this.storageColumns;
    for (const key of Object.keys(columns) as (keyof typeof columns)[]) columns[key] = grown(columns[key], handle + 1);
    const nowUs = this.clock.nowUs();
    columns.openUs[handle] = nowUs;
    columns.sizeSinceUs[handle] = nowUs;
    columns.closeUs[handle] = -1;
    return handle;
  }

  storageClose(handle: number): void {
    const columns = this.storageColumns;
    assert(handle >= 0 && handle < this.storageIds.length && columns.closeUs[handle]! < 0, `storageClose of a storage that is not open (handle ${handle})`);
    this.storageResize(handle, 0);
    columns.closeUs[handle] = this.clock.nowUs();
  }

  /** One read request of `bytes`. */
  storageRead(handle: number, bytes: number): void {
    if (!(handle >= 0 && handle < this.storageIds.length)) assert(false, `storageRead: unknown storage handle ${handle}`);
    this.storageColumns.reads[handle]! += 1;
    this.storageColumns.readBytes[handle]! += bytes;
  }

  /** One write request of `bytes`. */
  storageWrite(handle: number, bytes: number): void {
    if (!(handle >= 0 && handle < this.storageIds.length)) assert(false, `storageWrite: unknown storage handle ${handle}`);
    this.storageColumns.writes[handle]! += 1;
    this.storageColumns.writeBytes[handle]! += bytes;
  }

  /** The resource now stores `sizeBytes` (after an append or a truncation); feeds GB-months. */
  storageResize(handle: number, sizeBytes: number): void {
    const columns = this.storageColumns;
    if (!(handle >= 0 && handle < this.storageIds.length && sizeBytes >= 0)) {
      assert(false, `storageResize(${handle}, ${sizeBytes}): unknown storage handle or negative size`);
    }
    const nowUs = this.clock.nowUs();
    columns.byteSeconds[handle]! += (columns.sizeBytes[handle]! * (nowUs - columns.sizeSinceUs[handle]!)) / 1e6;
    columns.sizeBytes[handle] = sizeBytes;
    columns.sizeSinceUs[handle] = nowUs;
  }

  /** Handle for traffic from one zone to another (same zone allowed; `egressZone` = internet). */
  networkPath(sourceZone: string, targetZone: string): number {
    const key = `${sourceZone}\u0000${targetZone}`;
    let handle = this.pathHandles.get(key);
    if (handle === undefined) {
      handle = this.pathZones.length;
      this.pathZones.push([sourceZone, targetZone]);
      this.pathHandles.set(key, handle);
      this.pathBytes = grown(this.pathBytes, handle + 1);
      this.pathMessages = grown(this.pathMessages, handle + 1);
    }
    return handle;
  }

  egressPath(sourceZone: string): number {
    return this.networkPath(sourceZone, egressZone);
  }

  /** One message of `bytes` sent over a path. */
  transfer(handle: number, bytes: number): void {
    if (!(handle >= 0 && handle < this.pathZones.length)) assert(false, `transfer: unknown network path handle ${handle}`);
    this.pathBytes[handle]! += bytes;
    this.pathMessages[handle]! += 1;
  }

  catalogRead(count = 1): void {
    this.catalogReads += count;
  }

  catalogWrite(count = 1): void {
    this.catalogWrites += count;
  }

  /** The quantities so far, as if the run ended now: running VMs and open storage are cut here. */
  toData(): LedgerData {
    const endUs = this.clock.nowUs();
    const count = this.rules.length;
    return {
      format: ledgerFormat,
      version: ledgerVersion,
      startUs: this.startUs,
      endUs,
      durationRules: this.rules.map((rule) => ({ ...rule })),
      vms: this.vms.map((vm) => ({
        id: vm.id, size: vm.size, spot: vm.spot,
        segmentsUs: [...vm.segmentsUs.map(([a, b]): [number, number] => [a, b]),
          ...(vm.runningSinceUs >= 0 ? [[vm.runningSinceUs, endUs] as [number, number]] : [])],
      })),
      functions: this.functionIds.map((id, handle) => ({
        id, memoryMb: this.functionMemoryMb[handle]!, invocations: this.invocations[handle]!,
        coldStarts: this.coldStarts[handle]!, durationUsTotal: this.durationUsTotal[handle]!,
        billedUsByRule: Array.from(this.billedUs.subarray(handle * count, (handle + 1) * count)),
      })),
      workflows: this.workflowIds.map((id, handle) => ({ id, stateTransitions: this.transitions[handle]! })),
      storage: this.storageIds.map((id, handle) => this.storageData(id, handle, endUs)),
      network: this.pathZones.map(([sourceZone, targetZone], handle) => ({
        sourceZone, targetZone, bytes: this.pathBytes[handle]!, messages: this.pathMessages[handle]!,
      })),
      catalog: { reads: this.catalogReads, writes: this.catalogWrites },
    };
  }

  private storageData(id: string, handle: number, endUs: number): LedgerData["storage"][number] {
    const c = this.storageColumns;
    const closed = c.closeUs[handle]! >= 0;
    const pendingByteSeconds = closed ? 0 : (c.sizeBytes[handle]! * (endUs - c.sizeSinceUs[handle]!)) / 1e6;
    return {
      id, tier: this.storageTiers[handle]!, hostVmSize: this.storageHostVmSizes[handle]!,
      openUs: c.openUs[handle]!, closeUs: closed ? c.closeUs[handle]! : endUs,
      reads: c.reads[handle]!, writes: c.writes[handle]!, readBytes: c.readBytes[handle]!,
      writeBytes: c.writeBytes[handle]!, byteSeconds: c.byteSeconds[handle]! + pendingByteSeconds,
    };
  }
}
