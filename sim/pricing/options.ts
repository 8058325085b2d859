// Options of priceLedger, checked and filled with defaults in one place.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { CloudProfile } from "../profiles/schema.ts";

export type PricingOptions = {
  /**
   * Fraction of the month the system runs at the load the run measured, in (0, 1]; scales every
   * usage-priced line of the monthly figure (requests, GB-s, bytes moved), never provisioned ones.
   * The paper prices blob-backed DARQs at 0.1 and at peak (1). Default 1.
   */
  readonly utilisation?: number;
  /** Credit the providers' monthly free grants (per subscription). Default false. */
  readonly freeGrants?: boolean;
  /** Overrides the profile's typical spot discount, e.g. to sweep it. */
  readonly spotDiscountFraction?: number;
  /**
   * How a replicated-memory tier is priced: "replicaVms" (default, as the paper: replicas − 1 more
   * VMs of the host's size for the tier's lifetime) or "memoryShare" (replicas × stored GiB-hours
   * at the profile's memory price).
   */
  readonly hotReplicatedPricing?: "replicaVms" | "memoryShare";
  /** Serverless plan that prices the ledger's functions; default the profile's defaultPlan. */
  readonly serverlessPlan?: string;
  /** Renames ledger VM sizes / storage tiers to the profile's, to re-price a run on another cloud. */
  readonly vmSizeMap?: Readonly<Record<string, string>>;
  readonly storageTierMap?: Readonly<Record<string, string>>;
};

export type ResolvedPricingOptions = {
  readonly utilisation: number;
  readonly freeGrants: boolean;
  readonly spotDiscountFraction: number | undefined;
  readonly hotReplicatedPricing: "replicaVms" | "memoryShare";
  readonly serverlessPlan: string;
  readonly vmSizeMap: Readonly<Record<string, string>>;
  readonly storageTierMap: Readonly<Record<string, string>>;
};

export function resolveOptions(options: PricingOptions, profile: CloudProfile): ResolvedPricingOptions {
  const utilisation = options.utilisation ?? 1;
  if (!(utilisation > 0 && utilisation <= 1)) {
    throw new SsmsError(ErrorCode.argumentInvalid, `pricing option utilisation must be in (0, 1], got ${utilisation}`);
  }
  const spot = options.spotDiscountFraction;
  if (spot !== undefined && !(spot >= 0 && spot < 1)) {
    throw new SsmsError(ErrorCode.argumentInvalid, `pricing option spotDiscountFraction must be in [0, 1), got ${spot}`);
  }
  const serverlessPlan = options.serverlessPlan ?? profile.serverless.defaultPlan;
  if (profile.serverless.plans[serverlessPlan] === undefined) {
    throw new SsmsError(ErrorCode.argumentInvalid,
      `pricing option serverlessPlan '${serverlessPlan}' is not a plan of ${profile.name} (plans: ${Object.keys(profile.serverless.plans).join(", ")})`);
  }
  const hotReplicatedPricing = options.hotReplicatedPricing ?? "replicaVms";
  if (hotReplicatedPricing !== "replicaVms" && hotReplicatedPricing !== "memoryShare") {
    throw new SsmsError(ErrorCode.argumentInvalid, `pricing option hotReplicatedPricing must be "replicaVms" or "memoryShare", got '${String(hotReplicatedPricing)}'`);
  }
  return {
    utilisation,
    freeGrants: options.freeGrants ?? false,
    spotDiscountFraction: spot,
    hotReplicatedPricing,
    serverlessPlan,
    vmSizeMap: options.vmSizeMap ?? {},
    storageTierMap: options.storageTierMap ?? {},
  };
}
