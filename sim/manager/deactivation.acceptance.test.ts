// Acceptance (issue 7): on a mostly idle workload (experiments/deactivate-idle.json: 16 automata,
// 0.4 messages/s between them), automatic deactivation — idle automata release their compute and
// start on demand on serverless, and the autoscaler gives back the VMs left empty — cuts USD/month
// by at least half against always-on, with the same messages handled (the same seed, so the same
// arrivals). Also: deactivation alone saves nothing (its VMs are still billed), which is why the
// autoscaler is part of it.

import test from "ava";
import { experimentPoints, metric, pointWith, runPoint } from "../../experiments/runner/acceptance-fixtures.ts";

test("deactivation with scale-in cuts USD/month by at least half on a mostly idle workload", (t) => {
  const points = experimentPoints("deactivate-idle");
  const off = { policy: "none" };
  const deactivation = points.find((point) => JSON.stringify(point.params["optimizer"]) !== JSON.stringify(off))!.params["optimizer"];
  const autoscaler = points.find((point) => JSON.stringify(point.params["autoscaler"]) !== JSON.stringify(off))!.params["autoscaler"];
  const alwaysOn = runPoint(pointWith(points, { optimizer: off, autoscaler: off }));
  const managed = runPoint(pointWith(points, { optimizer: deactivation, autoscaler }));
  const deactivationOnly = runPoint(pointWith(points, { optimizer: deactivation, autoscaler: off }));
  t.log(`USD/month: always-on ${alwaysOn.costUsdPerMonth}, deactivation + scale-in ${managed.costUsdPerMonth}, deactivation alone ${deactivationOnly.costUsdPerMonth}`);
  t.true(managed.costUsdPerMonth <= 0.5 * alwaysOn.costUsdPerMonth, `${managed.costUsdPerMonth} ≤ half of ${alwaysOn.costUsdPerMonth}`);
  t.true(metric(managed, "poolNodesRemoved") > 0, "empty VMs were given back");
  t.true(metric(managed, "managerRequested") > 0);
  t.is(metric(managed, "itemsCompleted"), metric(alwaysOn, "itemsCompleted"), "the same messages were handled");
  t.true(deactivationOnly.costUsdPerMonth > 0.9 * alwaysOn.costUsdPerMonth, "without scale-in the VMs are still billed");
});
