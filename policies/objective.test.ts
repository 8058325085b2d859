// Tests of the objectives: lower is better; every feasible configuration beats every infeasible
// one; among infeasible ones the smaller violation wins (the optimizer's gradient); the weighted
// sum trades its terms as its weights say; bad objectives are config errors with paths.

import test from "ava";
import { objectiveFeasible, objectiveParse, objectiveScore, type Objective } from "./objective.ts";

const configuration = (costUsdPerMonth: number, throughputStepsPerS: number, latencyUsP99: number) => ({ costUsdPerMonth, throughputStepsPerS, latencyUsP99 });

test("min-cost-p99: cheaper wins among feasible; any feasible beats any infeasible; smaller violations rank first", (t) => {
  const objective: Objective = { kind: "min-cost-p99", params: { latencyUsP99Max: 10_000 } };
  const cheapFast = objectiveScore(objective, configuration(100, 1, 9_000));
  const dearFast = objectiveScore(objective, configuration(900, 1, 1_000));
  const cheapSlow = objectiveScore(objective, configuration(10, 1, 11_000));
  const cheapSlower = objectiveScore(objective, configuration(10, 1, 30_000));
  t.true(cheapFast < dearFast);
  t.true(dearFast < cheapSlow, "feasible beats infeasible whatever it costs");
  t.true(cheapSlow < cheapSlower, "less violation is better");
  t.true(objectiveFeasible(objective, configuration(1, 1, 10_000)));
  t.false(objectiveFeasible(objective, configuration(1, 1, 10_001)));
});

test("max-throughput-budget: more throughput wins within the budget; over budget is infeasible, less over is better", (t) => {
  const objective: Objective = { kind: "max-throughput-budget", params: { costUsdPerMonthMax: 500 } };
  const slow = objectiveScore(objective, configuration(100, 1000, 1));
  const fast = objectiveScore(objective, configuration(490, 5000, 1));
  const overALittle = objectiveScore(objective, configuration(510, 1e6, 1));
  const overALot = objectiveScore(objective, configuration(5000, 1e6, 1));
  t.true(fast < slow);
  t.true(slow < overALittle);
  t.true(overALittle < overALot);
});

test("weighted: cost per USD, throughput per step/s, latency per ms, with the weights given", (t) => {
  const objective: Objective = { kind: "weighted", params: { costWeight: 1, throughputWeight: 0.1, latencyWeight: 2 } };
  t.is(objectiveScore(objective, configuration(100, 50, 3000)), 100 - 5 + 6);
  t.true(objectiveFeasible(objective, configuration(1e9, 0, 1e9)), "no constraint");
});

test("objectiveParse accepts the experiment schema's shapes and names every problem with its path", (t) => {
  t.deepEqual(objectiveParse({ kind: "min-cost-p99", params: { latencyUsP99Max: 5 } }), { kind: "min-cost-p99", params: { latencyUsP99Max: 5 } });
  const error = t.throws(() => objectiveParse({ kind: "weighted", params: { costWeight: -1, throughputWeight: 1, latencyWeight: 0, speed: 3 } }));
  t.regex(error.message, /SSMS_ERR_CONFIG_INVALID/);
  t.regex(error.message, /objective\.params\.speed: unknown key/);
  t.regex(error.message, /objective\.params\.costWeight must be a finite number ≥ 0/);
  t.throws(() => objectiveParse({ kind: "fastest" }), { message: /objective\.kind must be one of/ });
});
