// Acceptance (issue 7): experiments/compare-placement.json sets at least 5 placement policies
// against 3 workloads, all on the same seed. Runs every point (each shortened to 0.3 s of virtual
// time here) and proves: every point completes work with a finite objective score; the comparison
// table has one row per (workload, policy) and the four figures (throughput, p99, USD/month,
// objective score) render; and on the pi chain co-locating DARQ and compute beats spreading it
// (the paper's Figure 4 direction), so the table tells policies apart.

import test from "ava";
import { comparisonCells, comparisonFigures, comparisonMarkdown } from "../../experiments/results/comparison.ts";
import { experimentPoints, metric, runPoint } from "../../experiments/runner/acceptance-fixtures.ts";

test("5+ placement policies × 3 workloads give a comparison table and figures", (t) => {
  const points = experimentPoints("compare-placement");
  const policies = new Set(points.map((point) => JSON.stringify(point.params["placement"])));
  const workloads = new Set(points.map((point) => JSON.stringify(point.params["workload"])));
  t.true(policies.size >= 5 && workloads.size === 3, `${policies.size} policies × ${workloads.size} workloads`);
  const rows = points.map((point) => {
    const result = runPoint(point, (config) => ({ ...config, durationS: 0.3 }));
    t.true(result.throughputPerS > 0, `${point.label} completed work`);
    t.true(Number.isFinite(metric(result, "objectiveScore")));
    return {
      status: "ok", placement: JSON.stringify(point.params["placement"]), workload: JSON.stringify(point.params["workload"]),
      throughputPerS: String(result.throughputPerS), latencyUsP99: String(result.latencyUsP99),
      costUsdPerMonth: String(result.costUsdPerMonth), objectiveScore: String(metric(result, "objectiveScore")),
    };
  });
  const cells = comparisonCells(rows, Object.keys(rows[0]!), ["placement", "workload"])!;
  t.is(cells.length, points.length);
  const table = comparisonMarkdown("compare-placement", cells);
  t.is(table.split("\n").filter((line) => line.startsWith("| pi-chain")).length, policies.size);
  t.deepEqual(comparisonFigures("compare-placement", cells).map((figure) => figure.name),
    ["comparison-throughputPerS", "comparison-latencyUsP99", "comparison-costUsdPerMonth", "comparison-objectiveScore"]);
  const pi = (policy: string) => cells.find((cell) => cell.category.startsWith("pi-chain") && cell.series === policy)!.values[0]![0]!;
  t.true(pi("groups/darq-and-compute") > pi("groups/none"), "co-location raises the pi chain's throughput");
});
