// Log devices for the storage tiers of a cloud profile: one call builds the device a DARQ of a
// given tier runs on (the paper's three backends: hot-replicated memory, managed SSD, blob).
// The tier's kind picks the model; see tier-timing.ts and log-device-replicated.ts for each
// model's timing and fault assumptions.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { CloudProfile } from "../profiles/schema.ts";
import { LogDeviceReplicated } from "./log-device-replicated.ts";
import { LogDeviceTier, type LogDeviceTierOptions } from "./log-device-tier.ts";
import { BlobTiming, DiskTiming, type BlobTimingOptions, type DiskTimingOptions } from "./tier-timing.ts";

export type StorageDeviceOptions = LogDeviceTierOptions & DiskTimingOptions & BlobTimingOptions & {
  /** Hot-replicated only: bandwidth to the backups; default the profile's same-zone link. */
  readonly replicationBytesPerSecond?: number;
};

/** A log device on `options.tierName` of `profile`, recording its usage in `options.ledger`. */
export function logDeviceForTier(profile: CloudProfile, options: StorageDeviceOptions): LogDeviceTier {
  const tier = profile.storage.tiers[options.tierName];
  if (tier === undefined) {
    throw new SsmsError(ErrorCode.configInvalid,
      `storage '${options.storageId}' names tier '${options.tierName}', which profile ${profile.name} does not have; tiers are ${Object.keys(profile.storage.tiers).join(", ")}`);
  }
  switch (tier.kind) {
    case "replicatedMemory": {
      const replicationBytesPerSecond = options.replicationBytesPerSecond
        ?? profile.network.links.sameZone.bandwidthBytesPerSecond ?? Infinity;
      return new LogDeviceReplicated(tier, { ...options, replicationBytesPerSecond });
    }
    case "managedDisk":
      return new LogDeviceTier(options, new DiskTiming(tier, options));
    case "objectStore":
      return new LogDeviceTier(options, new BlobTiming(tier, options));
  }
}
