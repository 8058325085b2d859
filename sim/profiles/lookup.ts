// Looking up a profile's VM sizes by the names people write.
//
// Profiles key VM sizes by the provider's API name ("Standard_D8s_v3", "m5.2xlarge"). Azure's
// portal and papers drop the "Standard_" prefix ("D8s_v3", "D8s v3"), so a lookup also accepts
// that short form, with the space the paper uses in place of the underscore. Nothing else is
// guessed: an unknown name stays unknown and the caller reports it with the list of sizes.

import type { CloudProfile, VmSizeProfile } from "./schema.ts";

/** The profile key a VM size name refers to, or undefined. */
export function vmSizeKey(profile: CloudProfile, name: string): string | undefined {
  const sizes = profile.compute.vmSizes;
  if (Object.hasOwn(sizes, name)) return name;
  const azureName = `Standard_${name.replaceAll(" ", "_")}`;
  return profile.provider === "azure" && Object.hasOwn(sizes, azureName) ? azureName : undefined;
}

/** The VM size a name refers to, or undefined. */
export function vmSizeNamed(profile: CloudProfile, name: string): VmSizeProfile | undefined {
  const key = vmSizeKey(profile, name);
  return key === undefined ? undefined : profile.compute.vmSizes[key];
}
