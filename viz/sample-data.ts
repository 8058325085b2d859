// Deterministic sample rows for every figure, shaped like the paper's experiments: the pi chain
// on two VM sizes and three DARQ tiers (Figure 3), co-location modes by compute scale (Figure 4),
// a run with faults over time, and a small placement. The figure tests render them, and they
// show the row types by example. The numbers are illustrative, not measured.

import type { CostThroughputRow } from "./cost-throughput.ts";
import type { BarRow } from "./grouped-bars.ts";
import type { PlacementAutomaton, PlacementNode } from "./placement-map.ts";
import type { FaultMarker, TimeseriesRow } from "./timeseries.ts";

const vms = [
  { size: "D8s_v3", usdPerMonth: 280.32, speedup: 1 },
  { size: "D32s_v3", usdPerMonth: 1121.28, speedup: 3.6 },
] as const;

const tiers = [
  { tier: "hot-replicated", usdPerMonth: 840.96, stepMs: 0.3 },
  { tier: "ssd", usdPerMonth: 135.17, stepMs: 2.1 },
  { tier: "blob", usdPerMonth: 48.5, stepMs: 24 },
] as const;

/** Cost and throughput of every VM × tier at compute scales 1 and 100, with 95% CIs. */
export function sampleCostThroughputRows(): CostThroughputRow[] {
  const rows: CostThroughputRow[] = [];
  for (const scale of [1, 100]) {
    for (const vm of vms) {
      for (const tier of tiers) {
        const stepMs = tier.stepMs + (scale * 0.4) / vm.speedup;
        const throughputPerS = (8 * 1000) / stepMs;
        const costUsdPerMonth = vm.usdPerMonth * 2 + tier.usdPerMonth * 2;
        rows.push({
          label: `${vm.size} ${tier.tier}`,
          group: `c=${scale}`,
          throughputPerS,
          costUsdPerMonth,
          throughputPerSCi95: [throughputPerS * 0.93, throughputPerS * 1.06],
          costUsdPerMonthCi95: [costUsdPerMonth * 0.98, costUsdPerMonth * 1.02],
        });
      }
    }
  }
  return rows;
}

/** Throughput by compute scale and co-location mode (orders of magnitude apart). */
export function sampleBarRows(): BarRow[] {
  const modes = [
    { series: "not co-located", hopMs: 4.2 },
    { series: "co-located DARQ", hopMs: 0.35 },
    { series: "co-located both", hopMs: 0.012 },
  ];
  const rows: BarRow[] = [];
  for (const scale of [1, 10, 100]) {
    for (const mode of modes) {
      const value = 1000 / (mode.hopMs + scale * 0.05);
      rows.push({ category: `c=${scale}`, series: mode.series, value, ci95: [value * 0.9, value * 1.1] });
    }
  }
  return rows;
}

/** Two minutes sampled each second, with a DARQ crash at 40 s and a partition from 75 s to 90 s. */
export function sampleTimeseries(): { rows: TimeseriesRow[]; faults: FaultMarker[] } {
  const rows: TimeseriesRow[] = [];
  for (let second = 0; second <= 120; second++) {
    const crashed = second >= 40 && second < 46;
    const partitioned = second >= 75 && second < 90;
    const wave = 1 + 0.08 * Math.sin(second / 5);
    const throughputPerS = crashed ? 200 * (second - 40) : partitioned ? 2100 * wave : 3000 * wave;
    const latencyUsP50 = crashed ? 9000 : partitioned ? 4200 : 1800 / wave;
    rows.push({ timeUs: second * 1_000_000, throughputPerS, latencyUsP50, latencyUsP99: latencyUsP50 * (crashed ? 6 : 3.2), costUsdPerHour: 2.4 + (partitioned ? 0.3 : 0) });
  }
  const faults: FaultMarker[] = [
    { timeUs: 40_000_000, label: "kill -9 darq-ssd-1" },
    { timeUs: 46_000_000, label: "darq-ssd-1 recovered" },
    { timeUs: 75_000_000, endUs: 90_000_000, label: "network partition zone-1 | zone-2" },
  ];
  return { rows, faults };
}

/** Two compute pools and a DARQ pool; one node runs automata on its own DARQ. */
export function samplePlacement(): { nodes: PlacementNode[]; automata: PlacementAutomaton[] } {
  const nodes: PlacementNode[] = [
    { id: "vm-d8-0", pool: "vm-d8", role: "compute", size: "D8s_v3" },
    { id: "vm-d8-1", pool: "vm-d8", role: "compute", size: "D8s_v3" },
    { id: "darq-ssd-0", pool: "darq-ssd", role: "both", size: "ssd" },
    { id: "darq-ssd-1", pool: "darq-ssd", role: "darq", size: "ssd" },
    { id: "darq-hot-0", pool: "darq-hot", role: "darq", size: "hot-replicated" },
  ];
  const automata: PlacementAutomaton[] = [];
  for (let chain = 0; chain < 6; chain++) {
    automata.push({ id: `pi-step/chain-${chain}`, type: "pi-step", computeNode: chain < 3 ? "vm-d8-0" : "darq-ssd-0", darqNode: chain % 2 === 0 ? "darq-ssd-0" : "darq-ssd-1" });
  }
  automata.push({ id: "saga/booking-17", type: "saga", computeNode: "vm-d8-1", darqNode: "darq-hot-0" });
  automata.push({ id: "metadata/root", type: "metadata", computeNode: "vm-d8-1", darqNode: "darq-hot-0" });
  for (let key = 0; key < 40; key++) automata.push({ id: `counter/k${key}`, type: "counter", computeNode: "vm-d8-1", darqNode: "darq-hot-0" });
  return { nodes, automata };
}
