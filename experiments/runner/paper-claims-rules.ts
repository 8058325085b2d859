// The six qualitative claims of the paper's §4.4, each with the rule that turns the measured
// points into a verdict. Costs are USD/month at peak unless a claim is about utilisation; an
// upgrade's cost-efficiency is the throughput it adds per USD/month it adds. Tiers from slow to
// fast: blob, premium SSD, hot-replicated; VM sizes in the order the sweep lists them (small
// first). A claim whose points are missing is "not measured", never guessed.

import { formatNumber, formatRatio } from "./paper-format.ts";
import { meanOf, paramOf, scaleOf, tierLabels, tierOf, type PaperPoint } from "./paper-points.ts";

export type ClaimRow = { readonly claim: string; readonly measured: string; readonly verdict: string };

const tiersSlowToFast = ["blob", "ssd", "hot-replicated"] as const;
const notMeasured = "not measured";

type Key = { readonly c: number; readonly vm: string; readonly tier: string };

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function vmOf(point: PaperPoint): string {
  return String(paramOf(point, "size") ?? "");
}

function value(points: readonly PaperPoint[], metric: string, key: Key): number {
  return meanOf(points, metric, (point) => scaleOf(point) === key.c && vmOf(point) === key.vm && tierOf(point) === key.tier);
}

function verdictOf(holds: readonly boolean[]): string {
  if (holds.length === 0) return notMeasured;
  if (holds.every(Boolean)) return "supported";
  return holds.some(Boolean) ? "partly" : "contradicted";
}

/** Throughput added per USD/month added by moving from `from` to `to`. */
function efficiency(points: readonly PaperPoint[], from: Key, to: Key): { gain: number; extraUsd: number; perUsd: number } {
  const gain = value(points, "throughputPerS", to) - value(points, "throughputPerS", from);
  const extraUsd = value(points, "costUsdPerMonthPeak", to) - value(points, "costUsdPerMonthPeak", from);
  return { gain, extraUsd, perUsd: extraUsd > 0 ? gain / extraUsd : gain > 0 ? Number.POSITIVE_INFINITY : 0 };
}

function upgradeText(upgrade: { gain: number; extraUsd: number; perUsd: number }): string {
  const adds = `adds ${formatNumber(upgrade.gain)} tasks/s`;
  if (upgrade.extraUsd <= 0) return `${adds} and saves ${formatNumber(-upgrade.extraUsd)} USD/month`;
  return `${adds} for ${formatNumber(upgrade.extraUsd)} USD/month more (${formatNumber(upgrade.perUsd)} tasks/s per USD/month)`;
}

function upgradeClaims(points: readonly PaperPoint[]): ClaimRow[] {
  const scales = distinct(points.map(scaleOf)).sort((a, b) => a - b);
  const vms = distinct(points.map(vmOf));
  const low = scales[0];
  const high = scales.at(-1);
  const [small, large] = vms;
  const claimLow = "At a non-compute-intensive scale, upgrading to faster storage is much more cost-efficient than upgrading the VM.";
  const claimHigh = "At a compute-intensive scale, a fast VM matters more than fast storage.";
  if (low === undefined || high === undefined || small === undefined || large === undefined || low === high) {
    return [{ claim: claimLow, measured: "", verdict: notMeasured }, { claim: claimHigh, measured: "", verdict: notMeasured }];
  }
  const lowText: string[] = [];
  const lowHolds: boolean[] = [];
  const highText: string[] = [];
  const highHolds: boolean[] = [];
  for (let index = 0; index + 1 < tiersSlowToFast.length; index++) {
    const tier = tiersSlowToFast[index]!;
    const faster = tiersSlowToFast[index + 1]!;
    const base = { c: low, vm: small, tier };
    const storage = efficiency(points, base, { ...base, tier: faster });
    const vm = efficiency(points, base, { ...base, vm: large });
    if (Number.isNaN(storage.gain) || Number.isNaN(vm.gain)) continue;
    lowHolds.push(storage.perUsd > vm.perUsd);
    lowText.push(`c = ${low}, from ${small} + ${tierLabels[tier]}: storage → ${tierLabels[faster]} ${upgradeText(storage)}; VM → ${large} ${upgradeText(vm)}`);
    const baseHigh = { c: high, vm: small, tier };
    const throughput = value(points, "throughputPerS", baseHigh);
    const vmGain = value(points, "throughputPerS", { ...baseHigh, vm: large }) / throughput;
    const storageGain = value(points, "throughputPerS", { ...baseHigh, tier: faster }) / throughput;
    if (Number.isNaN(vmGain) || Number.isNaN(storageGain)) continue;
    highHolds.push(vmGain > storageGain);
    highText.push(`c = ${high}, from ${small} + ${tierLabels[tier]}: VM → ${large} gives ${formatRatio(vmGain)} throughput, storage → ${tierLabels[faster]} gives ${formatRatio(storageGain)}`);
  }
  return [
    { claim: claimLow, measured: lowText.join("; ") || "", verdict: verdictOf(lowHolds) },
    { claim: claimHigh, measured: highText.join("; ") || "", verdict: verdictOf(highHolds) },
  ];
}

function blobClaim(points: readonly PaperPoint[]): ClaimRow {
  const claim = "Blob-backed DARQs are the cheapest at low (10%) utilisation and the most expensive at peak utilisation.";
  const text: string[] = [];
  const holds: boolean[] = [];
  for (const c of distinct(points.map(scaleOf))) {
    for (const vm of distinct(points.map(vmOf))) {
      const blob10 = value(points, "costUsdPerMonthUtilisation10", { c, vm, tier: "blob" });
      const blobPeak = value(points, "costUsdPerMonthPeak", { c, vm, tier: "blob" });
      const others = ["ssd", "hot-replicated"].map((tier) => value(points, "costUsdPerMonthPeak", { c, vm, tier })).filter((cost) => !Number.isNaN(cost));
      if (Number.isNaN(blob10) || others.length === 0) continue;
      const cheapest = blob10 < Math.min(...others);
      const dearest = blobPeak > Math.max(...others);
      holds.push(cheapest, dearest);
      text.push(`c = ${c}, ${vm}: blob ${formatNumber(blob10)} at 10% and ${formatNumber(blobPeak)} at peak vs others ${others.map(formatNumber).join(" and ")} USD/month (cheapest at 10%: ${cheapest ? "yes" : "no"}; dearest at peak: ${dearest ? "yes" : "no"})`);
    }
  }
  return { claim, measured: text.join("; "), verdict: verdictOf(holds) };
}

function spreadClaim(points: readonly PaperPoint[]): ClaimRow {
  const claim = "The options span a large area of the cost-performance trade-off space (rule: throughput over ≥ 10× and cost over ≥ 2×).";
  const throughputs = points.map((point) => point.metric("throughputPerS")).filter((x) => x > 0);
  const costs = points.flatMap((point) => [point.metric("costUsdPerMonthPeak"), point.metric("costUsdPerMonthUtilisation10")]).filter((x) => x > 0);
  if (throughputs.length === 0 || costs.length === 0) return { claim, measured: "", verdict: notMeasured };
  const throughputSpan = Math.max(...throughputs) / Math.min(...throughputs);
  const costSpan = Math.max(...costs) / Math.min(...costs);
  const measured = `throughput from ${formatNumber(Math.min(...throughputs))} to ${formatNumber(Math.max(...throughputs))} tasks/s (${formatRatio(throughputSpan)}); cost from ${formatNumber(Math.min(...costs))} to ${formatNumber(Math.max(...costs))} USD/month (${formatRatio(costSpan)})`;
  return { claim, measured, verdict: verdictOf([throughputSpan >= 10, costSpan >= 2]) };
}

function colocationRatios(points: readonly PaperPoint[], c: number): { both: number; darq: number } {
  const at = (mode: string) => meanOf(points, "throughputPerS", (point) => scaleOf(point) === c && (paramOf(point, "colocation") ?? "none") === mode);
  const none = at("none");
  return { both: at("darq-and-compute") / none, darq: at("darq") / none };
}

/** Figure 4's co-location gains in the paper's volatile-memory setup (paper-whatif.ts). */
export type VolatileWhatIf = { readonly c: number; readonly both: number; readonly darq: number };

function colocationClaims(points: readonly PaperPoint[], whatIf?: VolatileWhatIf): ClaimRow[] {
  const claimIo = "Co-location can change throughput by orders of magnitude for an I/O-intensive application (rule: ≥ 10× supported, > 1.2× partly).";
  const claimCpu = "For a compute-intensive application co-location has some benefit, but much less than for an I/O-intensive one (rule: gain below 1.5× and below the I/O-bound gain).";
  const scales = distinct(points.map(scaleOf)).sort((a, b) => a - b);
  if (scales.length < 2) return [{ claim: claimIo, measured: "", verdict: notMeasured }, { claim: claimCpu, measured: "", verdict: notMeasured }];
  const low = colocationRatios(points, scales[0]!);
  const high = colocationRatios(points, scales.at(-1)!);
  const describe = (c: number, ratios: { both: number; darq: number }) =>
    `c = ${c}: DARQ and compute ${formatRatio(ratios.both)}, DARQ only ${formatRatio(ratios.darq)} the throughput of no co-location`;
  const ioVerdict = low.both >= 10 ? "supported" : low.both > 1.2 ? "partly" : "contradicted";
  const cpuVerdict = high.both < 1.5 && high.both < low.both ? "supported" : high.both < low.both ? "partly" : "contradicted";
  return [
    {
      claim: claimIo,
      measured: describe(scales[0]!, low) + (whatIf === undefined ? "" : `; what-if with the paper's volatile-memory DARQ (no replication round trip), c = ${whatIf.c}: DARQ and compute ${formatRatio(whatIf.both)}, DARQ only ${formatRatio(whatIf.darq)}`),
      verdict: Number.isNaN(low.both) ? notMeasured : ioVerdict,
    },
    { claim: claimCpu, measured: scales.map((c) => describe(c, colocationRatios(points, c))).join("; "), verdict: Number.isNaN(high.both) ? notMeasured : cpuVerdict },
  ];
}

/** The claim rows, in the order the paper makes them. */
export function claimRows(figure3: readonly PaperPoint[], figure4: readonly PaperPoint[], whatIf?: VolatileWhatIf): ClaimRow[] {
  return [...upgradeClaims(figure3), blobClaim(figure3), spreadClaim(figure3), ...colocationClaims(figure4, whatIf)];
}
