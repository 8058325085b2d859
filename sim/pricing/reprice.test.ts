// Tests that a saved ledger is enough to price a run: re-pricing the saved JSON gives the same
// report, a price change re-prices without a rerun, and the same run can be priced on the other
// cloud by mapping its sizes and tiers.

import test from "ava";
import { ClockSim } from "../clock-sim.ts";
import { EventQueue } from "../event-queue.ts";
import { UsageLedger } from "../ledger.ts";
import { loadCloudProfile, loadCloudProfileDocument, parseCloudProfile } from "../profiles/load.ts";
import { plainOf } from "../profiles/figure.ts";
import { parseLedgerData, type LedgerData } from "./ledger-data.ts";
import { priceLedger } from "./price-ledger.ts";

const second = 1_000_000;

/** A small mixed run: VMs, a function, three storage tiers, traffic, catalog requests. */
function recordRun(): LedgerData {
  const queue = new EventQueue();
  const ledger = new UsageLedger({ clock: new ClockSim(queue) });
  const darq = ledger.vmStart("darq", "Standard_D8s_v3", false);
  ledger.vmStart("worker", "Standard_F4s_v2", true);
  const fn = ledger.functionRegister("step", 300);
  const hot = ledger.storageOpen("darq/hot", "hot-replicated", "Standard_D8s_v3");
  const blob = ledger.storageOpen("darq/blob", "blob-hot");
  const disk = ledger.storageOpen("darq/ssd", "premium-ssd-p10");
  const across = ledger.networkPath("z1", "z2");
  for (let tick = 1; tick <= 600; tick++) {
    queue.advanceTo(tick * second);
    ledger.invocation(fn, 20_000 + tick * 37, tick % 100 === 0);
    ledger.storageWrite(blob, 8192);
    ledger.storageResize(blob, tick * 8192);
    ledger.storageWrite(disk, 8192);
    ledger.storageResize(hot, tick * 1024);
    ledger.transfer(across, 1500);
    ledger.catalogRead();
  }
  ledger.vmStop(darq);
  queue.advanceTo(900 * second);
  return ledger.toData();
}

test("re-pricing the saved ledger JSON gives exactly the same report", (t) => {
  const data = recordRun();
  const profile = loadCloudProfile("azure-2024");
  for (const options of [{}, { utilisation: 0.1, freeGrants: true }, { hotReplicatedPricing: "memoryShare" as const }]) {
    const direct = priceLedger(data, profile, options);
    const saved = JSON.stringify(data);
    const reloaded = parseLedgerData(JSON.parse(saved), "run/ledger.json");
    t.deepEqual(priceLedger(reloaded, profile, options), direct);
  }
});

test("a price change re-prices the saved run: doubling D8s v3 doubles its compute and replica lines only", (t) => {
  const data = recordRun();
  const document = structuredClone(loadCloudProfileDocument("azure-2024")) as Record<string, any>;
  document["compute"].vmSizes["Standard_D8s_v3"].usdPerHour.value = 0.768;
  document["asOf"] = "2025-01-01";
  const raised = plainOf(parseCloudProfile(document, "raised"));
  const before = priceLedger(data, loadCloudProfile("azure-2024"));
  const after = priceLedger(data, raised);
  t.is(after.priceTable.asOf, "2025-01-01", "the report names the price table it used");
  t.is(after.resources["darq"]!.runUsd, 2 * before.resources["darq"]!.runUsd);
  t.is(after.resources["darq/hot"]!.runUsd, 2 * before.resources["darq/hot"]!.runUsd);
  t.is(after.resources["worker"]!.runUsd, before.resources["worker"]!.runUsd);
  t.is(after.components.serverless.runUsd, before.components.serverless.runUsd);
});

test("the same saved run prices on AWS once sizes and tiers are mapped, under Lambda's rounding", (t) => {
  const data = recordRun();
  const report = priceLedger(data, loadCloudProfile("aws-2024"), {
    vmSizeMap: { Standard_D8s_v3: "m5.2xlarge", Standard_F4s_v2: "c5.xlarge" },
    storageTierMap: { "blob-hot": "s3-standard", "premium-ssd-p10": "ebs-gp3-128gib" },
  });
  t.is(report.priceTable.profile, "aws-2024");
  // 600 invocations of 20,037…42,200 µs: Lambda bills each rounded up to the ms, no 100 ms minimum.
  const billedMs = Array.from({ length: 600 }, (_, index) => Math.ceil((20_000 + (index + 1) * 37) / 1000)).reduce((a, b) => a + b, 0);
  const gbSeconds = (300 / 1024) * (billedMs / 1000);
  const line = report.lines.find((candidate) => candidate.resourceId === "step" && candidate.item === "GB-seconds")!;
  t.true(Math.abs(line.quantity - gbSeconds) < 1e-9);
  // 600 s × 1500 B across zones at 0.02 USD/GB.
  const network = report.components.network.runUsd;
  t.true(Math.abs(network - ((600 * 1500) / 2 ** 30) * 0.02) < 1e-12);
});
