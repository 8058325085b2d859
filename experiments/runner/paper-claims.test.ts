// The claims table follows its stated rules on the numbers it is given. Proves, with hand-made
// points (plain data, as paperPoints returns them): each §4.4 claim is "supported" when the
// numbers agree, "contradicted" (or "partly") when they do not, "not measured" when its points are
// missing; and the page is the same bytes for the same points.

import test from "ava";
import { claimRows } from "./paper-claims-rules.ts";
import type { PaperPoint } from "./paper-points.ts";

type Numbers = { throughputPerS: number; costUsdPerMonthPeak: number; costUsdPerMonthUtilisation10?: number };

function point(params: Record<string, unknown>, numbers: Numbers): PaperPoint {
  const metrics: Record<string, number> = { ...numbers, costUsdPerMonthUtilisation10: numbers.costUsdPerMonthUtilisation10 ?? numbers.costUsdPerMonthPeak };
  return { index: 0, replication: 0, params, metric: (name) => metrics[name] ?? NaN };
}

/** Figure 3 points in the paper's shape: storage-bound at c = 1, compute-bound at c = 1000. */
function figure3(storageHelpsAtLowScale: boolean): PaperPoint[] {
  const rows: [number, string, string, number, number, number][] = [
    // c, vm, tier, tasks/s, USD peak, USD 10%
    [1, "D8s_v3", "blob", 700, 3000, 1200], [1, "D8s_v3", "ssd", 12_000, 1400, 1400], [1, "D8s_v3", "hot-replicated", storageHelpsAtLowScale ? 90_000 : 12_100, 2200, 2200],
    [1, "D32s_v3", "blob", 700, 9500, 4500], [1, "D32s_v3", "ssd", storageHelpsAtLowScale ? 12_000 : 60_000, 4800, 4800], [1, "D32s_v3", "hot-replicated", 90_000, 9000, 9000],
    [1000, "D8s_v3", "blob", 4000, 3100, 1300], [1000, "D8s_v3", "ssd", 5700, 1400, 1400], [1000, "D8s_v3", "hot-replicated", 5750, 2200, 2200],
    [1000, "D32s_v3", "blob", 15_000, 9500, 4600], [1000, "D32s_v3", "ssd", 20_000, 4800, 4800], [1000, "D32s_v3", "hot-replicated", 22_000, 9000, 9000],
  ];
  return rows.map(([c, vm, tier, throughputPerS, peak, tenth]) => point(
    { "workload.computeScale": c, "cluster.compute[0].size": vm, "cluster.darq[0]": { name: "darq", tier, count: 2 } },
    { throughputPerS, costUsdPerMonthPeak: peak, costUsdPerMonthUtilisation10: tenth },
  ));
}

function figure4(ioGain: number, cpuGain: number): PaperPoint[] {
  const rows: [number, string, number][] = [
    [1, "none", 1000], [1, "darq", 1000 * Math.sqrt(ioGain)], [1, "darq-and-compute", 1000 * ioGain],
    [10_000, "none", 100], [10_000, "darq", 100], [10_000, "darq-and-compute", 100 * cpuGain],
  ];
  return rows.map(([c, colocation, throughputPerS]) => point({ "workload.computeScale": c, "placement.colocation": colocation }, { throughputPerS, costUsdPerMonthPeak: 1000 }));
}

test("numbers in the paper's shape support every claim", (t) => {
  const rows = claimRows(figure3(true), figure4(50, 1.1));
  t.deepEqual(rows.map((row) => row.verdict), ["supported", "supported", "supported", "supported", "supported", "supported"]);
  t.regex(rows[0]!.measured, /storage → hot-replicated adds 78\u2009000 tasks\/s/);
  t.regex(rows[2]!.measured, /cheapest at 10%: yes; dearest at peak: yes/);
  t.regex(rows[4]!.measured, /DARQ and compute ×50/);
});

test("numbers against a claim give contradicted or partly, by the stated rule", (t) => {
  const rows = claimRows(figure3(false), figure4(1.1, 1.2));
  t.is(rows[0]!.verdict, "partly", "from blob the storage upgrade still wins, from SSD the VM upgrade does");
  t.is(rows[4]!.verdict, "contradicted", "×1.1 is no order of magnitude, and under the 1.2× floor of partly");
  t.is(rows[5]!.verdict, "contradicted", "the compute-bound gain is not smaller than the I/O-bound one");
});

test("missing points are not measured, never guessed; the same points give the same rows", (t) => {
  const rows = claimRows([], []);
  t.deepEqual(rows.map((row) => row.verdict), Array(6).fill("not measured"));
  t.deepEqual(claimRows(figure3(true), figure4(3, 1)), claimRows(figure3(true), figure4(3, 1)));
});
