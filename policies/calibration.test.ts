// Tests of the cost model's refinement: factors move toward observed ÷ predicted by exponential
// smoothing, stay within their bounds, ignore terms the window did not measure, learn throughput
// only from saturated windows, and a refined model predicts what was observed.

import test from "ava";
import { calibrationIdentity, calibrationRefine, factorMax, observedTerms, type ObservedTerms } from "./calibration.ts";
import { costModelFromObservation } from "./cost-model.ts";
import { busyAutomaton, darqNode, observationOf, vmNode } from "./observation.fixtures.ts";

const nothing: ObservedTerms = { throughput: null, latencyP50: null, latencyP99: null, costCompute: null, costStorage: null, costServerless: null, costNetwork: null };

function observed(latencyUsP50: number) {
  return observationOf({
    nodes: [vmNode("vm-1", { costUsdPerHour: 0.1 }), darqNode("darq-1", { costUsdPerHour: 0.6 })],
    automata: [busyAutomaton("a/0", "vm-1", "darq-1", 100, { stepLatencyUsP50: latencyUsP50, stepLatencyUsP99: latencyUsP50 * 2, computeCoreUsPerStep: 1000 })],
  });
}

test("latency and cost factors move a fraction α of the way to observed ÷ predicted", (t) => {
  const observation = observed(6000);
  const model = costModelFromObservation(observation);
  const raw = model.predict(model.assignmentNow());
  const terms = observedTerms(observation);
  const refined = calibrationRefine(calibrationIdentity, raw, terms, 0.5);
  t.true(Math.abs(refined.latencyP50 - (0.5 + 0.5 * (6000 / raw.latencyUsP50))) < 1e-6);
  // Billed 0.1 USD/h for the VM where the price book says 0.2: a spot-like discount.
  t.true(Math.abs(refined.costCompute - 0.75) < 1e-9);
  t.is(refined.costStorage, 1, "DARQ billed 0.6 USD/h × 730 = 438 = predicted");
  t.is(refined.throughput, 1, "not saturated: observed rate says nothing about capacity");
  t.is(refined.costServerless, 1, "not measured");
});

test("repeated windows converge: the refined model predicts the observed median", (t) => {
  const observation = observed(9000);
  const terms = observedTerms(observation);
  let calibration = calibrationIdentity;
  const base = costModelFromObservation(observation);
  const raw = base.predict(base.assignmentNow());
  for (let window = 0; window < 40; window++) calibration = calibrationRefine(calibration, raw, terms, 0.3);
  const refined = costModelFromObservation(observation, { calibration });
  const prediction = refined.predict(refined.assignmentNow());
  t.true(Math.abs(prediction.latencyUsP50 / 9000 - 1) < 1e-4);
});

test("factors are bounded and unmeasured terms are left alone", (t) => {
  const model = costModelFromObservation(observed(1));
  const raw = model.predict(model.assignmentNow());
  const wild = calibrationRefine(calibrationIdentity, raw, { ...nothing, latencyP99: raw.latencyUsP99 * 1e6 }, 1);
  t.is(wild.latencyP99, factorMax);
  t.deepEqual(calibrationRefine(calibrationIdentity, raw, nothing), calibrationIdentity);
  t.throws(() => calibrationRefine(calibrationIdentity, raw, nothing, 0), { message: /smoothing/ });
});

test("throughput learns from saturated windows only", (t) => {
  const model = costModelFromObservation(observed(5000));
  const saturated = model.predict(model.assignmentNow(), 100);
  t.true(saturated.headroom < 1);
  const refined = calibrationRefine(calibrationIdentity, saturated, { ...nothing, throughput: saturated.throughputStepsPerS / 2 }, 1);
  t.is(refined.throughput, 0.5);
});
