// Pricing storage: capacity (provisioned disks, replica VMs, stored GB-months) and operations
// (per-request charges of object stores and of the catalog).
//
// - replicatedMemory: "replicaVms" bills replicas − 1 more VMs of the host's size for the tier's
//   lifetime (the primary's VM is already billed as compute); "memoryShare" bills replicas × the
//   stored GiB-hours at the profile's memory price. No per-request charge.
// - managedDisk: the tier's monthly price pro rata over its provisioned time, plus per-operation
//   charges where the tier has them (premium SSD has none).
// - objectStore: GB-months from byte-seconds, per-10k read and write prices, per-GB transfer
//   charges where the tier has them.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { CloudProfile, StorageTier } from "../profiles/schema.ts";
import type { CostBook } from "./cost-report.ts";
import type { LedgerData } from "./ledger-data.ts";
import type { ResolvedPricingOptions } from "./options.ts";
import { vmSizeOf } from "./price-compute.ts";
import { billedVmSeconds } from "./rounding.ts";

type StorageRecord = LedgerData["storage"][number];

const bytesPerGib = 2 ** 30;

function tierOf(profile: CloudProfile, record: StorageRecord, options: ResolvedPricingOptions): StorageTier {
  const name = options.storageTierMap[record.tier] ?? record.tier;
  const tier = profile.storage.tiers[name];
  if (tier === undefined) {
    throw new SsmsError(ErrorCode.argumentInvalid,
      `storage '${record.id}' uses tier '${name}', which price table ${profile.name} does not have (tiers: ${Object.keys(profile.storage.tiers).join(", ")}); map it with options.storageTierMap`);
  }
  return tier;
}

export function priceStorage(ledger: LedgerData, profile: CloudProfile, options: ResolvedPricingOptions, book: CostBook): void {
  const secondsPerMonth = profile.hoursPerMonth * 3600;
  for (const record of ledger.storage) {
    const tier = tierOf(profile, record, options);
    const provisionedSeconds = (record.closeUs - record.openUs) / 1e6;
    switch (tier.kind) {
      case "replicatedMemory":
        priceReplicated(record, tier, provisionedSeconds, profile, options, book);
        break;
      case "managedDisk":
        book.provisioned("storageCapacity", record.id, "disk-months", provisionedSeconds / secondsPerMonth, "month", tier.usdPerMonth);
        if (tier.usdPer10kOperations !== undefined) {
          book.usage("storageOperations", record.id, "operations", (record.reads + record.writes) / 1e4, "10k ops", tier.usdPer10kOperations);
        }
        break;
      case "objectStore":
        book.provisioned("storageCapacity", record.id, "GB-months", record.byteSeconds / profile.bytesPerGb / secondsPerMonth, "GB-month", tier.usdPerGbMonth);
        book.usage("storageOperations", record.id, "writes", record.writes / 1e4, "10k writes", tier.usdPer10kWrites);
        book.usage("storageOperations", record.id, "reads", record.reads / 1e4, "10k reads", tier.usdPer10kReads);
        if (tier.usdPerGbWritten !== undefined) {
          book.usage("storageOperations", record.id, "GB written", record.writeBytes / profile.bytesPerGb, "GB", tier.usdPerGbWritten);
        }
        if (tier.usdPerGbRead !== undefined) {
          book.usage("storageOperations", record.id, "GB read", record.readBytes / profile.bytesPerGb, "GB", tier.usdPerGbRead);
        }
        break;
    }
  }
  priceCatalog(ledger, profile, book);
}

function priceReplicated(
  record: StorageRecord, tier: Extract<StorageTier, { kind: "replicatedMemory" }>, provisionedSeconds: number,
  profile: CloudProfile, options: ResolvedPricingOptions, book: CostBook,
): void {
  if (options.hotReplicatedPricing === "memoryShare") {
    const gibHours = record.byteSeconds / bytesPerGib / 3600;
    book.provisioned("storageCapacity", record.id, "replica GiB-hours", gibHours * tier.replicas, "GiB-h", tier.memoryUsdPerGibHour);
    return;
  }
  if (record.hostVmSize === null) {
    throw new SsmsError(ErrorCode.argumentInvalid,
      `storage '${record.id}' on a replicated-memory tier has no hostVmSize, which replicaVms pricing needs; record it with storageOpen(id, tier, hostVmSize) or price with hotReplicatedPricing: "memoryShare"`);
  }
  const host = vmSizeOf(profile, record.hostVmSize, options, `storage '${record.id}' host`);
  const replicaHours = ((tier.replicas - 1) * billedVmSeconds(provisionedSeconds, profile.compute.billing)) / 3600;
  book.provisioned("storageCapacity", record.id, "replica VM-hours", replicaHours, "h", host.usdPerHour);
}

function priceCatalog(ledger: LedgerData, profile: CloudProfile, book: CostBook): void {
  const { catalog } = profile;
  book.usage("storageOperations", "catalog", "catalog reads", ledger.catalog.reads / 1e6, "M reads", catalog.usdPerMillionReads);
  book.usage("storageOperations", "catalog", "catalog writes", ledger.catalog.writes / 1e6, "M writes", catalog.usdPerMillionWrites);
}
