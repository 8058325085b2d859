// The usage of a part of a run: `ledgerSince(before, after)` is what the ledger recorded between
// two of its snapshots (UsageLedger.toData()), itself a LedgerData that priceLedger prices like any
// other. The point executor prices the measured run this way, without its warm-up.
//
// It relies on the ledger only ever appending resources (a resource keeps its index) and only
// ever growing its counters: counters subtract, VM segments and storage lifetimes are cut to the
// window, and byte-seconds subtract (the integral up to each snapshot).

import { assert } from "../../engine/io/assert.ts";
import type { LedgerData } from "../pricing/ledger-data.ts";

function clip(startUs: number, endUs: number, fromUs: number, toUs: number): [number, number] | null {
  const start = Math.max(startUs, fromUs);
  const end = Math.min(endUs, toUs);
  return end > start ? [start, end] : null;
}

export function ledgerSince(before: LedgerData, after: LedgerData): LedgerData {
  assert(after.endUs >= before.endUs && after.startUs === before.startUs, "ledgerSince needs two snapshots of one ledger, in order");
  const fromUs = before.endUs;
  const toUs = after.endUs;
  return {
    ...after,
    startUs: fromUs,
    vms: after.vms.map((vm) => ({
      ...vm,
      segmentsUs: vm.segmentsUs.map(([start, end]) => clip(start, end, fromUs, toUs)).filter((segment) => segment !== null),
    })),
    functions: after.functions.map((fn, index) => {
      const old = before.functions[index];
      if (old === undefined) return fn;
      return {
        ...fn, invocations: fn.invocations - old.invocations, coldStarts: fn.coldStarts - old.coldStarts,
        durationUsTotal: fn.durationUsTotal - old.durationUsTotal,
        billedUsByRule: fn.billedUsByRule.map((billed, rule) => billed - (old.billedUsByRule[rule] ?? 0)),
      };
    }),
    workflows: after.workflows.map((flow, index) => ({ ...flow, stateTransitions: flow.stateTransitions - (before.workflows[index]?.stateTransitions ?? 0) })),
    storage: after.storage.map((store, index) => {
      const old = before.storage[index];
      const openUs = Math.min(Math.max(store.openUs, fromUs), store.closeUs);
      if (old === undefined) return { ...store, openUs };
      return {
        ...store, openUs,
        reads: store.reads - old.reads, writes: store.writes - old.writes, readBytes: store.readBytes - old.readBytes,
        writeBytes: store.writeBytes - old.writeBytes, byteSeconds: Math.max(0, store.byteSeconds - old.byteSeconds),
      };
    }),
    network: after.network.map((path, index) => {
      const old = before.network[index];
      return old === undefined ? path : { ...path, bytes: path.bytes - old.bytes, messages: path.messages - old.messages };
    }),
    catalog: { reads: after.catalog.reads - before.catalog.reads, writes: after.catalog.writes - before.catalog.writes },
  };
}
