// ledgerSince: the usage between two snapshots of one ledger. Proves: counters are the
// difference, VM time and storage lifetimes are cut to the window, a resource that appeared in
// the window counts whole, and the priced window is the priced whole minus the priced prefix for
// usage lines (and the window's share of time for provisioned ones).

import test from "ava";
import { UsageLedger } from "../ledger.ts";
import { priceLedger } from "../pricing/price-ledger.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import { Simulator } from "../simulator.ts";
import { ledgerSince } from "./executor-ledger.ts";

test("the window's usage is the difference of two snapshots, times cut to the window", (t) => {
  const sim = new Simulator({ seed: "ledger" });
  const ledger = new UsageLedger({ clock: sim.clock });
  ledger.vmStart("vm", "Standard_D8s_v3", false);
  const blob = ledger.storageOpen("blob", "blob-hot");
  ledger.storageWrite(blob, 1000);
  ledger.catalogWrite(3);
  sim.runFor(2_000_000);
  const before = ledger.toData();
  ledger.storageWrite(blob, 500);
  ledger.storageWrite(blob, 500);
  const late = ledger.storageOpen("late", "blob-hot");
  ledger.storageWrite(late, 7);
  ledger.catalogWrite(1);
  sim.runFor(3_000_000);
  const window = ledgerSince(before, ledger.toData());
  t.is(window.startUs, 2_000_000);
  t.is(window.endUs, 5_000_000);
  t.deepEqual(window.vms[0]!.segmentsUs, [[2_000_000, 5_000_000]]);
  t.like(window.storage[0], { openUs: 2_000_000, writes: 2, writeBytes: 1000 });
  t.like(window.storage[1], { openUs: 2_000_000, writes: 1, writeBytes: 7 });
  t.deepEqual(window.catalog, { reads: 0, writes: 1 });
  const profile = loadCloudProfile("azure-2024");
  const writesUsd = (data: typeof window) => priceLedger(data, profile).components.storageOperations.runUsd;
  t.true(Math.abs(writesUsd(window) - (writesUsd(ledger.toData()) - writesUsd(before))) < 1e-12);
});
