// priceLedger: a run's usage ledger × a versioned price table → a cost report.
//
// Pricing is a pure function of the saved ledger, the profile and the options, so a price change
// (a new profile, a different spot discount or utilisation) re-prices a saved run without
// rerunning it, and the report names the price table (profile name + asOf) it used.
// See cost-report.ts for the month rule and sim/MODEL.md for every assumption.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { CloudProfile } from "../profiles/schema.ts";
import { CostBook, summarise, type CostReport } from "./cost-report.ts";
import type { LedgerData } from "./ledger-data.ts";
import { resolveOptions, type PricingOptions } from "./options.ts";
import { priceCompute } from "./price-compute.ts";
import { priceStorage } from "./price-storage.ts";
import { priceNetwork, priceServerless } from "./price-usage.ts";

export function priceLedger(ledger: LedgerData, profile: CloudProfile, options: PricingOptions = {}): CostReport {
  const resolved = resolveOptions(options, profile);
  const runSeconds = (ledger.endUs - ledger.startUs) / 1e6;
  if (!(runSeconds > 0)) {
    throw new SsmsError(ErrorCode.argumentInvalid,
      `cannot price a ledger that covers ${runSeconds} s (startUs ${ledger.startUs}, endUs ${ledger.endUs}); the run must advance virtual time`);
  }
  const monthFactor = (profile.hoursPerMonth * 3600) / runSeconds;
  const book = new CostBook(monthFactor, resolved.utilisation, resolved.freeGrants);
  priceCompute(ledger, profile, resolved, book);
  priceServerless(ledger, profile, resolved, book);
  priceStorage(ledger, profile, resolved, book);
  priceNetwork(ledger, profile, book);
  const { total, components, resources } = summarise(book.lines);
  return {
    priceTable: { profile: profile.name, provider: profile.provider, asOf: profile.asOf, region: profile.region },
    runSeconds,
    hoursPerMonth: profile.hoursPerMonth,
    monthFactor,
    utilisation: resolved.utilisation,
    freeGrants: resolved.freeGrants,
    total,
    components,
    resources,
    lines: book.lines,
    warnings: book.warnings,
  };
}
