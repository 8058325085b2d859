// Acceptance (issue 7): a workload whose communication pattern changes mid-run
// (experiments/phase-switch.json: synthetic rings that turn to run across groups 5 s in). The
// best static placement is chosen on the first phase alone (phaseSwitchS far beyond the run)
// among the static candidates of the config; then, with the switch, the online co-location
// optimizer started from that same placement ends with a lower (better) objective score than the
// static placement, having migrated automata (pauses included in its measured latency). The
// margin is logged. All runs share the config's seed.

import test from "ava";
import type { Experiment } from "../../experiments/schema.ts";
import { experimentPoints, metric, runPoint } from "../../experiments/runner/acceptance-fixtures.ts";

const none = JSON.stringify({ policy: "none" });

test("the online optimizer beats the best first-phase static placement once the pattern changes", (t) => {
  const points = experimentPoints("phase-switch");
  const staticFirstPhase = points.filter((point) => JSON.stringify(point.params["optimizer"]) === none && point.params["workload.phaseSwitchS"] === 3600);
  t.true(staticFirstPhase.length >= 3, "several static placements to choose from");
  // The first phase is steady: 8 s of it rank the placements as the whole run would.
  const scored = staticFirstPhase.map((point) => ({ point, score: metric(runPoint(point, (config) => ({ ...config, durationS: 8 })), "objectiveScore") }));
  scored.sort((left, right) => left.score - right.score);
  const best = scored[0]!.point;
  const placement = JSON.stringify(best.params["placement"]);
  t.log(`best static placement for the first phase: ${placement} (score ${scored[0]!.score})`);
  const withSwitch = (online: boolean) => points.find((point) => JSON.stringify(point.params["placement"]) === placement
    && point.params["workload.phaseSwitchS"] === 5 && (JSON.stringify(point.params["optimizer"]) === none) !== online)!;
  const staticRun = runPoint(withSwitch(false));
  const onlineRun = runPoint(withSwitch(true));
  const staticScore = metric(staticRun, "objectiveScore");
  const onlineScore = metric(onlineRun, "objectiveScore");
  t.true(metric(onlineRun, "managerRequested") > 0, "the optimizer moved automata");
  t.is(metric(onlineRun, "managerRefused"), 0);
  t.log(`with the switch: static score ${staticScore} (p99 ${staticRun.latencyUsP99} µs), online ${onlineScore} (p99 ${onlineRun.latencyUsP99} µs); margin ${staticScore - onlineScore}`);
  t.true(onlineScore < staticScore, `online ${onlineScore} < static ${staticScore}`);
  t.true(Math.abs(onlineRun.throughputPerS - staticRun.throughputPerS) / staticRun.throughputPerS < 0.01, "no work lost to the migrations");
});

test("the phase switch really changes who talks to whom: the static placement does worse after it", (t) => {
  const points = experimentPoints("phase-switch");
  const colocated = JSON.stringify({ policy: "groups", colocation: "darq-and-compute" });
  const run = (switchS: number) => runPoint(points.find((point) => JSON.stringify(point.params["placement"]) === colocated
    && point.params["workload.phaseSwitchS"] === switchS && JSON.stringify(point.params["optimizer"]) === none)!,
  (config: Experiment) => ({ ...config, durationS: 10 }));
  t.true(run(5).latencyUsP99 > run(3600).latencyUsP99);
});
