// What the run figures are drawn from: fault episodes become one marker spanning start to end
// (crash to restart of the same node, partition to heal, or params.durationUs), cut at the run's
// end; the scatter labels each configuration by its swept values and, with two or more swept
// parameters, colours groups by the first; failed points are left out.

import test from "ava";
import type { FaultRecord } from "./fault-schedule.ts";
import { costThroughputRuns, faultMarkers, shortParamName } from "./figures.ts";

test("fault episodes are drawn once, spanning start to their end, cut at the end of the run", (t) => {
  const faults: FaultRecord[] = [
    { timeUs: 10, fault: "crash", targets: ["a"], params: {} },
    { timeUs: 20, fault: "crash", targets: ["b"], params: {} },
    { timeUs: 30, fault: "restart", targets: ["b"], params: {} },
    { timeUs: 40, fault: "networkPartition", targets: ["h1", "h2"], params: { groups: [["h1"], ["h2"]] } },
    { timeUs: 50, fault: "heal", targets: [], params: {} },
    { timeUs: 60, fault: "linkLoss", targets: [], params: { rate: 0.1, durationUs: 500 } },
    { timeUs: 70, fault: "restart", targets: ["a"], params: {} },
  ];
  t.deepEqual(faultMarkers(faults, 100), [
    { timeUs: 10, label: "crash a", endUs: 70 },
    { timeUs: 20, label: "crash b", endUs: 30 },
    { timeUs: 40, label: "networkPartition h1,h2", endUs: 50 },
    { timeUs: 60, label: "linkLoss", endUs: 100 },
  ]);
  t.deepEqual(faultMarkers([{ timeUs: 5, fault: "restart", targets: ["c"] }], 100), [{ timeUs: 5, label: "restart c" }], "an end without a start is an instant");
});

test("scatter rows: labelled by swept values, grouped by the first of several, failures left out", (t) => {
  const keys = ["workload.computeScale", "cluster.darq[0].tier"];
  t.is(shortParamName(keys[1]!), "tier");
  const rows = [
    { status: "ok", "workload.computeScale": "10", "cluster.darq[0].tier": "ssd", throughputPerS: "100", costUsdPerMonth: "5" },
    { status: "failed", "workload.computeScale": "10", "cluster.darq[0].tier": "blob", throughputPerS: "", costUsdPerMonth: "" },
  ];
  t.deepEqual(costThroughputRuns(rows, keys, "e"), [{ label: "tier=ssd", group: "computeScale=10", throughputPerS: 100, costUsdPerMonth: 5 }]);
  t.deepEqual(costThroughputRuns(rows.slice(0, 1), keys.slice(0, 1), "e"), [{ label: "computeScale=10", throughputPerS: 100, costUsdPerMonth: 5 }]);
  t.deepEqual(costThroughputRuns(rows.slice(0, 1), [], "e"), [{ label: "e", throughputPerS: 100, costUsdPerMonth: 5 }]);
});
