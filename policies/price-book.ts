// The prices and performance figures policies read: a plain, serialisable `PriceBook`, built from
// a `ProfileView`. policies/ may not import sim/, so `ProfileView` is the minimal structural
// subset of a loaded cloud profile (sim/profiles `CloudProfile`) that the cost model needs: a
// loaded profile is assignable to it as it is, and `priceBookFromProfile(profile)` digests it
// once (latency quantiles computed, tier kinds flattened, prices per unit the model uses).
//
// Units are in the names. `null` means "no such cap" (JSON has no Infinity). Latencies are
// one-way, as quantile pairs (p50, p99); the model fits a lognormal through each pair.

import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import { lognormalQuantile } from "./stats.ts";

/** A latency distribution as cloud profiles state it (one way, microseconds). */
export type LatencyView =
  | { readonly kind: "constant"; readonly valueUs: number }
  | { readonly kind: "uniform"; readonly minUs: number; readonly maxUs: number }
  | { readonly kind: "lognormal"; readonly medianUs: number; readonly p99Us: number };

type TierCommon = { readonly writeLatency: LatencyView };
export type StorageTierView =
  | (TierCommon & { readonly kind: "replicatedMemory"; readonly replicas: number })
  | (TierCommon & {
    readonly kind: "managedDisk";
    readonly iopsMax: number;
    readonly throughputMBpsMax: number;
    readonly usdPerMonth: number;
    readonly usdPer10kOperations?: number;
  })
  | (TierCommon & {
    readonly kind: "objectStore";
    readonly usdPerGbMonth: number;
    readonly usdPer10kWrites: number;
    readonly usdPerGbWritten?: number;
  });

type LinkView = { readonly oneWayLatency: LatencyView; readonly bandwidthBytesPerSecond?: number; readonly usdPerGb: number };

/** What the cost model reads of a cloud profile; a loaded sim/profiles CloudProfile fits as is. */
export type ProfileView = {
  readonly name: string;
  readonly asOf: string;
  readonly hoursPerMonth: number;
  readonly bytesPerGb: number;
  readonly compute: {
    readonly families: Readonly<Record<string, { readonly speedFactor: number }>>;
    readonly vmSizes: Readonly<Record<string, {
      readonly family: string; readonly vcpu: number; readonly memoryGib: number; readonly usdPerHour: number;
    }>>;
    readonly spot: { readonly discountFraction: number };
  };
  readonly storage: { readonly tiers: Readonly<Record<string, StorageTierView>> };
  readonly serverless: {
    readonly defaultPlan: string;
    readonly plans: Readonly<Record<string, {
      readonly usdPerGbSecond: number; readonly usdPerMillionInvocations: number;
      readonly billedDurationStepUs: number; readonly billedDurationMinUs: number;
      readonly memoryStepMb: number; readonly memoryMbMin: number; readonly mbPerGb: number;
      readonly coldStart: LatencyView; readonly idleExpiryUs: number; readonly instancesMax: number;
      readonly speedFactor: number;
    }>>;
  };
  readonly network: { readonly links: { readonly sameProcess: LinkView; readonly sameVm: LinkView; readonly sameZone: LinkView; readonly crossZone: LinkView } };
  readonly catalog: { readonly writeLatency: LatencyView };
};

export type LatencyQuantiles = { readonly p50Us: number; readonly p99Us: number };

export type VmPrice = {
  readonly family: string; readonly vcpu: number; readonly memoryGib: number;
  readonly usdPerHour: number;
  /** Work per vCPU-second relative to the profile's baseline core. */
  readonly speedFactor: number;
};

export type StorageTierKind = StorageTierView["kind"];

export type StorageTierPrice = {
  readonly kind: StorageTierKind;
  /** Time to make a group-commit batch durable (one flush). */
  readonly flushLatency: LatencyQuantiles;
  /** Flushes per second the device sustains; null: no device cap. */
  readonly flushesPerSMax: number | null;
  /** Bytes per second the device sustains; null: no device cap. */
  readonly bytesPerSMax: number | null;
  /** Fixed price per DARQ node per month (a provisioned disk); 0 when none. */
  readonly usdPerMonth: number;
  /** Capacity price of stored log bytes. */
  readonly usdPerGbMonth: number;
  /** Price of one flush (one write request). */
  readonly usdPerWrite: number;
  readonly usdPerGbWritten: number;
  /** Extra host VMs billed per DARQ node (replicated memory: replicas − 1). */
  readonly replicaVms: number;
};

export type LinkPrice = {
  readonly oneWayLatency: LatencyQuantiles;
  /** null: the link is never the bottleneck. */
  readonly bandwidthBytesPerS: number | null;
  readonly usdPerGb: number;
};

export type LinkClass = "sameProcess" | "sameVm" | "sameZone" | "crossZone";
export const linkClasses: readonly LinkClass[] = ["sameProcess", "sameVm", "sameZone", "crossZone"];

export type ServerlessPrice = {
  readonly plan: string;
  readonly usdPerGbSecond: number;
  readonly usdPerInvocation: number;
  readonly billedDurationStepUs: number;
  readonly billedDurationMinUs: number;
  /** Memory configured per function instance, rounded up to the plan's step. */
  readonly memoryMb: number;
  readonly mbPerGb: number;
  readonly coldStart: LatencyQuantiles;
  readonly idleExpiryUs: number;
  readonly instancesMax: number;
  readonly speedFactor: number;
};

/** The digested, plain price and performance table the cost model and policies read. */
export type PriceBook = {
  readonly profile: string;
  readonly asOf: string;
  readonly hoursPerMonth: number;
  readonly bytesPerGb: number;
  readonly spotDiscountFraction: number;
  readonly vmSizes: Readonly<Record<string, VmPrice>>;
  readonly storageTiers: Readonly<Record<string, StorageTierPrice>>;
  readonly serverless: ServerlessPrice;
  readonly links: Readonly<Record<LinkClass, LinkPrice>>;
  readonly catalogWrite: LatencyQuantiles;
};

/** The q-quantile of a profile latency. */
export function latencyQuantileUs(latency: LatencyView, q: number): number {
  switch (latency.kind) {
    case "constant":
      return latency.valueUs;
    case "uniform":
      return latency.minUs + q * (latency.maxUs - latency.minUs);
    case "lognormal":
      return q === 0.5 ? latency.medianUs : lognormalQuantile(latency.medianUs, latency.p99Us, q);
  }
}

export function latencyQuantiles(latency: LatencyView): LatencyQuantiles {
  return { p50Us: latencyQuantileUs(latency, 0.5), p99Us: latencyQuantileUs(latency, 0.99) };
}

function tierPrice(tier: StorageTierView): StorageTierPrice {
  const flushLatency = latencyQuantiles(tier.writeLatency);
  const none = { usdPerMonth: 0, usdPerGbMonth: 0, usdPerWrite: 0, usdPerGbWritten: 0, replicaVms: 0 };
  switch (tier.kind) {
    case "replicatedMemory":
      return { ...none, kind: tier.kind, flushLatency, flushesPerSMax: null, bytesPerSMax: null, replicaVms: tier.replicas - 1 };
    case "managedDisk":
      return {
        ...none, kind: tier.kind, flushLatency, flushesPerSMax: tier.iopsMax, bytesPerSMax: tier.throughputMBpsMax * 1e6,
        usdPerMonth: tier.usdPerMonth, usdPerWrite: (tier.usdPer10kOperations ?? 0) / 1e4,
      };
    case "objectStore":
      return {
        ...none, kind: tier.kind, flushLatency, flushesPerSMax: null, bytesPerSMax: null,
        usdPerGbMonth: tier.usdPerGbMonth, usdPerWrite: tier.usdPer10kWrites / 1e4, usdPerGbWritten: tier.usdPerGbWritten ?? 0,
      };
  }
}

function linkPrice(link: LinkView): LinkPrice {
  return {
    oneWayLatency: latencyQuantiles(link.oneWayLatency),
    bandwidthBytesPerS: link.bandwidthBytesPerSecond ?? null,
    usdPerGb: link.usdPerGb,
  };
}

export type PriceBookOptions = {
  /** Serverless plan; default: the profile's default plan. */
  readonly serverlessPlan?: string;
  /** Memory per function instance; default: the plan's minimum. */
  readonly serverlessMemoryMb?: number;
};

/** Digests a cloud profile into a PriceBook; an unknown serverless plan is a config error. */
export function priceBookFromProfile(profile: ProfileView, options: PriceBookOptions = {}): PriceBook {
  const vmSizes: Record<string, VmPrice> = {};
  for (const [name, size] of Object.entries(profile.compute.vmSizes)) {
    const speedFactor = profile.compute.families[size.family]?.speedFactor ?? 1;
    vmSizes[name] = { family: size.family, vcpu: size.vcpu, memoryGib: size.memoryGib, usdPerHour: size.usdPerHour, speedFactor };
  }
  const storageTiers: Record<string, StorageTierPrice> = {};
  for (const [name, tier] of Object.entries(profile.storage.tiers)) storageTiers[name] = tierPrice(tier);
  const planName = options.serverlessPlan ?? profile.serverless.defaultPlan;
  const plan = profile.serverless.plans[planName];
  if (plan === undefined) {
    const known = Object.keys(profile.serverless.plans).join(", ");
    throw new SsmsError(ErrorCode.configInvalid, `profile ${profile.name} has no serverless plan '${planName}' (known: ${known})`);
  }
  const memoryWanted = Math.max(options.serverlessMemoryMb ?? plan.memoryMbMin, plan.memoryMbMin);
  const memoryMb = Math.ceil(memoryWanted / plan.memoryStepMb) * plan.memoryStepMb;
  const links = profile.network.links;
  return {
    profile: profile.name,
    asOf: profile.asOf,
    hoursPerMonth: profile.hoursPerMonth,
    bytesPerGb: profile.bytesPerGb,
    spotDiscountFraction: profile.compute.spot.discountFraction,
    vmSizes,
    storageTiers,
    serverless: {
      plan: planName, usdPerGbSecond: plan.usdPerGbSecond, usdPerInvocation: plan.usdPerMillionInvocations / 1e6,
      billedDurationStepUs: plan.billedDurationStepUs, billedDurationMinUs: plan.billedDurationMinUs,
      memoryMb, mbPerGb: plan.mbPerGb, coldStart: latencyQuantiles(plan.coldStart), idleExpiryUs: plan.idleExpiryUs,
      instancesMax: plan.instancesMax, speedFactor: plan.speedFactor,
    },
    links: {
      sameProcess: linkPrice(links.sameProcess), sameVm: linkPrice(links.sameVm),
      sameZone: linkPrice(links.sameZone), crossZone: linkPrice(links.crossZone),
    },
    catalogWrite: latencyQuantiles(profile.catalog.writeLatency),
  };
}

/** The VM price for a size name; accepts Azure's short form ("D8s_v3", "D8s v3") too. */
export function vmPriceNamed(book: PriceBook, size: string): VmPrice | undefined {
  if (Object.hasOwn(book.vmSizes, size)) return book.vmSizes[size];
  const azureName = `Standard_${size.replaceAll(" ", "_")}`;
  return Object.hasOwn(book.vmSizes, azureName) ? book.vmSizes[azureName] : undefined;
}

export function storageTierNamed(book: PriceBook, tier: string): StorageTierPrice | undefined {
  return Object.hasOwn(book.storageTiers, tier) ? book.storageTiers[tier] : undefined;
}

/** Quantile q of a fitted (p50, p99) pair, for mixtures such as cold starts. */
export function quantilesAt(latency: LatencyQuantiles, q: number): number {
  if (q === 0.5) return latency.p50Us;
  return latency.p99Us > latency.p50Us ? lognormalQuantile(latency.p50Us, latency.p99Us, q) : latency.p50Us;
}
