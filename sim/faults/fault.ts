// The fault vocabulary: every fault the simulator (and the live chaos controller) can apply, as
// plain data, and the check that a value is one.
//
// A fault is `{timeUs, fault, targets, params}`:
// - crash, restart, pause, resume, diskTornWrite, spotPreempt: `targets` are node ids (at least
//   one), no params. diskTornWrite is a crash whose log device keeps a torn unflushed tail;
//   spotPreempt starts a spot eviction (notice, then kill).
// - networkPartition: params `{groups: string[][], asymmetric?: boolean}` over host ids (see
//   sim/network/partitions.ts); `targets` repeats the groups' hosts, flattened in order, so a
//   reader can find every fault touching a host by its targets alone.
// - heal: ends every network partition; no targets, no params.
// - linkLoss / linkDuplicate: params `{rate}` in [0, 1]; linkReorder: params `{jitterUs}`.
//   `targets` are the hosts whose links are affected, or none for every link. Rate or jitter 0
//   ends the fault.

export const faultKinds = [
  "crash", "restart", "pause", "resume", "networkPartition", "heal",
  "linkLoss", "linkDuplicate", "linkReorder", "diskTornWrite", "spotPreempt",
] as const;
export type FaultKind = (typeof faultKinds)[number];

export const nodeFaultKinds = ["crash", "restart", "pause", "resume", "diskTornWrite", "spotPreempt"] as const;
export type NodeFaultKind = (typeof nodeFaultKinds)[number];

type Base<K extends FaultKind, P> = { readonly timeUs: number; readonly fault: K; readonly targets: readonly string[]; readonly params: P };
type NoParams = Readonly<Record<string, never>>;

export type NodeFault = Base<NodeFaultKind, NoParams>;
export type PartitionFault = Base<"networkPartition", { readonly groups: readonly (readonly string[])[]; readonly asymmetric: boolean }>;
export type HealFault = Base<"heal", NoParams>;
export type LinkRateFault = Base<"linkLoss" | "linkDuplicate", { readonly rate: number }>;
export type LinkReorderFault = Base<"linkReorder", { readonly jitterUs: number }>;
export type Fault = NodeFault | PartitionFault | HealFault | LinkRateFault | LinkReorderFault;

const keysTop = new Set(["timeUs", "fault", "targets", "params"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string" && item.length > 0);
}

/**
 * Checks a parsed value; returns the fault in its normal form (defaults filled) or the list of
 * problems, each naming the field.
 */
export function faultCheck(value: unknown): { fault: Fault; problems: [] } | { fault: null; problems: string[] } {
  if (!isRecord(value)) return { fault: null, problems: ["a fault must be a JSON object {timeUs, fault, targets, params}"] };
  const problems: string[] = [];
  const { timeUs, fault, targets } = value;
  const params = value["params"] ?? {};
  if (!(typeof timeUs === "number" && Number.isSafeInteger(timeUs) && timeUs >= 0)) problems.push(`timeUs must be an integer ≥ 0, got ${JSON.stringify(timeUs)}`);
  if (!isStringList(targets)) problems.push(`targets must be an array of non-empty strings, got ${JSON.stringify(targets)}`);
  if (!isRecord(params)) problems.push(`params must be an object, got ${JSON.stringify(params)}`);
  if (!faultKinds.includes(fault as FaultKind)) {
    problems.push(`fault must be one of ${faultKinds.join(", ")}; got ${JSON.stringify(fault)}`);
  }
  for (const key of Object.keys(value)) if (!keysTop.has(key)) problems.push(`unknown key '${key}' (allowed: timeUs, fault, targets, params)`);
  if (problems.length > 0 && !(isRecord(params) && isStringList(targets) && faultKinds.includes(fault as FaultKind))) {
    return { fault: null, problems };
  }
  const normal = kindCheck(fault as FaultKind, timeUs as number, targets as string[], params as Record<string, unknown>, problems);
  return normal === null ? { fault: null, problems } : { fault: normal, problems: [] };
}

function paramsOnly(params: Record<string, unknown>, allowed: readonly string[], kind: string, problems: string[]): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) problems.push(`${kind} has no param '${key}'${allowed.length > 0 ? ` (params: ${allowed.join(", ")})` : " (it takes none)"}`);
  }
}

function kindCheck(kind: FaultKind, timeUs: number, targets: string[], params: Record<string, unknown>, problems: string[]): Fault | null {
  switch (kind) {
    case "networkPartition":
      return partitionCheck(timeUs, targets, params, problems);
    case "heal":
      paramsOnly(params, [], kind, problems);
      if (targets.length > 0) problems.push("heal heals every partition and takes no targets");
      return problems.length > 0 ? null : { timeUs, fault: kind, targets: [], params: {} };
    case "linkLoss":
    case "linkDuplicate": {
      paramsOnly(params, ["rate"], kind, problems);
      const rate = params["rate"];
      if (!(typeof rate === "number" && rate >= 0 && rate <= 1)) problems.push(`${kind} needs params.rate in [0, 1], got ${JSON.stringify(rate)}`);
      return problems.length > 0 ? null : { timeUs, fault: kind, targets, params: { rate: rate as number } };
    }
    case "linkReorder": {
      paramsOnly(params, ["jitterUs"], kind, problems);
      const jitterUs = params["jitterUs"];
      if (!(typeof jitterUs === "number" && Number.isSafeInteger(jitterUs) && jitterUs >= 0)) {
        problems.push(`linkReorder needs params.jitterUs, an integer ≥ 0, got ${JSON.stringify(jitterUs)}`);
      }
      return problems.length > 0 ? null : { timeUs, fault: kind, targets, params: { jitterUs: jitterUs as number } };
    }
    default:
      paramsOnly(params, [], kind, problems);
      if (targets.length === 0) problems.push(`${kind} needs at least one target node`);
      return problems.length > 0 ? null : { timeUs, fault: kind, targets, params: {} };
  }
}

function partitionCheck(timeUs: number, targets: string[], params: Record<string, unknown>, problems: string[]): PartitionFault | null {
  paramsOnly(params, ["groups", "asymmetric"], "networkPartition", problems);
  const { groups, asymmetric = false } = params;
  if (!(Array.isArray(groups) && groups.length >= 2 && groups.every((group) => isStringList(group) && group.length > 0))) {
    problems.push(`networkPartition needs params.groups: at least two non-empty arrays of host ids, got ${JSON.stringify(groups)}`);
    return null;
  }
  if (typeof asymmetric !== "boolean") problems.push(`networkPartition params.asymmetric must be true or false, got ${JSON.stringify(asymmetric)}`);
  const flat = (groups as string[][]).flat();
  if (new Set(flat).size !== flat.length) problems.push("networkPartition groups must be disjoint: a host appears twice");
  if (flat.length !== targets.length || flat.some((host, index) => targets[index] !== host)) {
    problems.push(`networkPartition targets must list the groups' hosts in order: expected ${JSON.stringify(flat)}`);
  }
  if (problems.length > 0) return null;
  return { timeUs, fault: "networkPartition", targets, params: { groups: groups as string[][], asymmetric: asymmetric as boolean } };
}

/** One JSONL line for a fault, keys in the documented order. */
export function faultLine(fault: Fault): string {
  return JSON.stringify({ timeUs: fault.timeUs, fault: fault.fault, targets: fault.targets, params: fault.params });
}
