// The compute scale maps to decimals as documented (100·√c, at least one), the work model
// interpolates the calibration exactly at its points and as a power law between and beyond
// them, and a calibration file that does not fit the code is rejected with the reason.

import test from "ava";
import { parsePiCalibration, piCalibration, piDecimalsOfScale, piWorkCoreUs, type PiCalibration } from "./pi-work.ts";

const synthetic: PiCalibration = {
  format: "ssms-pi-calibration",
  version: 1,
  decimalsPerSqrtScale: 100,
  machine: {},
  method: "synthetic",
  points: [
    { computeScale: 1, decimals: 100, coreUsMedian: 10, samples: 1 },
    { computeScale: 100, decimals: 1000, coreUsMedian: 1000, samples: 1 },
    { computeScale: 400, decimals: 2000, coreUsMedian: 16000, samples: 1 },
  ],
};

test("decimals grow with the square root of the compute scale", (t) => {
  t.is(piDecimalsOfScale(1), 100);
  t.is(piDecimalsOfScale(100), 1000);
  t.is(piDecimalsOfScale(10), 316);
  t.is(piDecimalsOfScale(1e-9), 1, "never fewer than one decimal");
  t.throws(() => piDecimalsOfScale(0));
});

test("work is exact at calibrated points, a power law between them, flat below and extended above", (t) => {
  t.is(piWorkCoreUs(1, synthetic), 10);
  t.is(piWorkCoreUs(100, synthetic), 1000);
  t.is(piWorkCoreUs(400, synthetic), 16000);
  t.true(Math.abs(piWorkCoreUs(10, synthetic) - 100) < 1e-9, "slope 1 between c = 1 and c = 100");
  t.true(Math.abs(piWorkCoreUs(200, synthetic) - 4000) < 1e-6, "slope 2 between c = 100 and c = 400");
  t.is(piWorkCoreUs(0.5, synthetic), 10, "below the ladder the first point's work");
  t.true(Math.abs(piWorkCoreUs(800, synthetic) - 64000) < 1e-6, "above the ladder the last slope continues");
});

test("the committed calibration is valid and its work grows with the compute scale", (t) => {
  const calibration = piCalibration();
  t.true(calibration.points.length >= 2);
  let previous = 0;
  for (const scale of [0.01, 0.1, 1, 10, 100, 1000, 10_000, 100_000]) {
    const workUs = piWorkCoreUs(scale, calibration);
    t.true(workUs > previous, `work at c = ${scale} is ${workUs} us, at the previous scale ${previous} us`);
    previous = workUs;
  }
});

test("a calibration measured with another mapping, unsorted or with bad numbers is rejected", (t) => {
  const broken = (change: (copy: Record<string, unknown>) => void): string => {
    const copy = JSON.parse(JSON.stringify(synthetic)) as Record<string, unknown>;
    change(copy);
    const result = parsePiCalibration(copy, "calibration.json");
    return result.ok ? "accepted" : result.reason;
  };
  t.is(broken(() => undefined), "accepted");
  t.regex(broken((copy) => (copy["decimalsPerSqrtScale"] = 50)), /measured with 50 decimals per √c/);
  t.regex(broken((copy) => (copy["points"] as unknown[]).reverse()), /computeScale must be a number above/);
  t.regex(broken((copy) => ((copy["points"] as Record<string, unknown>[])[1]!["coreUsMedian"] = -1)), /coreUsMedian/);
  t.regex(broken((copy) => ((copy["points"] as Record<string, unknown>[])[1]!["decimals"] = 7)), /maps to 1000/);
  t.regex(broken((copy) => (copy["format"] = "other")), /calibrate pi/);
});
