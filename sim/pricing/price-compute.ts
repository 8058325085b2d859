// Pricing VM time: each start–stop segment is billed under the provider's rounding rule and
// minimum, at the size's pay-as-you-go rate, less the spot discount for spot VMs.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { vmSizeNamed } from "../profiles/lookup.ts";
import type { CloudProfile, VmSizeProfile } from "../profiles/schema.ts";
import type { CostBook } from "./cost-report.ts";
import type { LedgerData } from "./ledger-data.ts";
import type { ResolvedPricingOptions } from "./options.ts";
import { billedVmSeconds } from "./rounding.ts";

/** The profile's entry for a ledger VM size, after the caller's size map. */
export function vmSizeOf(profile: CloudProfile, size: string, options: ResolvedPricingOptions, where: string): VmSizeProfile {
  const mapped = options.vmSizeMap[size] ?? size;
  const entry = vmSizeNamed(profile, mapped);
  if (entry === undefined) {
    throw new SsmsError(ErrorCode.argumentInvalid,
      `${where} uses VM size '${mapped}', which price table ${profile.name} does not have (sizes: ${Object.keys(profile.compute.vmSizes).join(", ")}); map it with options.vmSizeMap`);
  }
  return entry;
}

/** Billed seconds of a VM's segments under the profile's rule. */
export function billedSegmentsSeconds(segmentsUs: readonly (readonly [number, number])[], profile: CloudProfile): number {
  let seconds = 0;
  for (const [startUs, stopUs] of segmentsUs) seconds += billedVmSeconds((stopUs - startUs) / 1e6, profile.compute.billing);
  return seconds;
}

export function priceCompute(ledger: LedgerData, profile: CloudProfile, options: ResolvedPricingOptions, book: CostBook): void {
  const discount = options.spotDiscountFraction ?? profile.compute.spot.discountFraction;
  for (const vm of ledger.vms) {
    const size = vmSizeOf(profile, vm.size, options, `VM '${vm.id}'`);
    const hours = billedSegmentsSeconds(vm.segmentsUs, profile) / 3600;
    if (vm.spot) {
      book.warn(`spot VMs priced at ${(discount * 100).toFixed(0)}% off pay-as-you-go (${options.spotDiscountFraction === undefined ? `profile ${profile.name}` : "options.spotDiscountFraction"}); real spot prices vary`);
      book.provisioned("compute", vm.id, "spot VM-hours", hours, "h", size.usdPerHour * (1 - discount));
    } else {
      book.provisioned("compute", vm.id, "VM-hours", hours, "h", size.usdPerHour);
    }
  }
}
