// Arrival processes: each kind delivers its documented long-run rate and shape (Poisson counts
// with dispersion 1, bursts of the configured length and spacing, a diurnal peak and trough where
// the formula puts them), every kind yields non-decreasing integer times at or after `afterUs`,
// and one seed always gives the same arrivals.

import test from "ava";
import fc from "fast-check";
import { max, mean, min, sampleCorrelation, standardDeviation, variance } from "simple-statistics";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import { arrivalNever, arrivalProcessOf, ArrivalsBursty, ArrivalsConstant, ArrivalsDiurnal, ArrivalsPoisson, meanArrivalRatePerS, type ArrivalProcess, type ArrivalSpec } from "./arrivals.ts";

const secondUs = 1_000_000;
const hourUs = 3600 * secondUs;

/** Every arrival in [startUs, endUs), in order. */
function collect(process: ArrivalProcess, startUs: number, endUs: number): number[] {
  const times: number[] = [];
  for (let timeUs = process.nextArrivalUs(startUs); timeUs < endUs; timeUs = process.nextArrivalUs(timeUs)) times.push(timeUs);
  return times;
}

function binCounts(times: readonly number[], binUs: number, endUs: number): number[] {
  const counts = new Array<number>(Math.ceil(endUs / binUs)).fill(0);
  for (const timeUs of times) counts[Math.floor(timeUs / binUs)]! += 1;
  return counts;
}

function gapsOf(times: readonly number[]): number[] {
  return times.slice(1).map((timeUs, index) => timeUs - times[index]!);
}

test("constant arrivals are evenly spaced and keep an exact long-run rate even below one microsecond", (t) => {
  const slow = collect(new ArrivalsConstant(3), 0, 100 * secondUs);
  t.is(slow.length, 299, "k/3 s for k = 1..299 lie before 100 s");
  t.deepEqual([...new Set(gapsOf(slow))].sort(), [333333, 333334]);
  const fast = collect(new ArrivalsConstant(10_000_000), 0, 1000);
  t.true(Math.abs(fast.length - 9_999) <= 1, `10 per microsecond over 1000 us, got ${fast.length}`);
  t.is(binCounts(fast, 1, 1000).slice(1, 999).every((count) => count === 10), true, "each microsecond holds ten arrivals");
});

test("Poisson arrivals have the configured mean rate, exponential gaps (CV 1) and counts with dispersion 1", (t) => {
  const endUs = 50 * secondUs;
  const times = collect(new ArrivalsPoisson(new RandomNode("poisson"), 2000), 0, endUs);
  t.true(Math.abs(times.length / 50 - 2000) < 20, `rate ${times.length / 50}/s, expected 2000/s ± 1%`);
  const gaps = gapsOf(times);
  const gapMean = mean(gaps);
  t.true(Math.abs(gapMean - 500) < 5, `mean gap ${gapMean} us`);
  const cv = standardDeviation(gaps) / gapMean;
  t.true(cv > 0.97 && cv < 1.03, `coefficient of variation ${cv}`);
  const counts = binCounts(times, 100_000, endUs);
  const dispersion = variance(counts) / mean(counts);
  t.true(dispersion > 0.85 && dispersion < 1.15, `index of dispersion ${dispersion}`);
});

test("bursty arrivals come in bursts of the configured mean length and spacing, at the documented mean rate", (t) => {
  const options = { ratePerS: 100, burstMultiplier: 10, burstDurationUs: secondUs, burstPeriodUs: 10 * secondUs };
  const endUs = 5000 * secondUs;
  const times = collect(new ArrivalsBursty(new RandomNode("bursty"), options), 0, endUs);
  const expected = ArrivalsBursty.meanRatePerS(options);
  t.is(expected, 190);
  const rate = times.length / 5000;
  t.true(Math.abs(rate - expected) / expected < 0.1, `mean rate ${rate}/s, expected ${expected}/s`);
  // Bursts seen from outside: 100 ms bins are quiet (≈10 arrivals) or bursting (≈100). A burst is
  // a run of bins above the midpoint; its length and the spacing of burst starts follow the config.
  const counts = binCounts(times, 100_000, endUs);
  const threshold = 40;
  const starts: number[] = [];
  const lengths: number[] = [];
  let runStart = -1;
  counts.forEach((count, bin) => {
    if (count > threshold && runStart < 0) runStart = bin;
    if (count <= threshold && runStart >= 0) {
      starts.push(runStart);
      lengths.push(bin - runStart);
      runStart = -1;
    }
  });
  t.true(starts.length > 350 && starts.length < 650, `${starts.length} bursts in 5000 s, expected ≈ 500`);
  const lengthS = mean(lengths) / 10;
  t.true(lengthS > 0.8 && lengthS < 1.25, `mean burst length ${lengthS} s, expected ≈ 1 s`);
  const spacingS = mean(gapsOf(starts)) / 10;
  t.true(spacingS > 8.5 && spacingS < 11.5, `mean time between burst starts ${spacingS} s, expected ≈ 10 s`);
  const burstBins = counts.filter((count) => count > threshold);
  const quietBins = counts.filter((count) => count <= threshold);
  const ratio = mean(burstBins) / mean(quietBins);
  t.true(ratio > 7 && ratio < 11, `burst rate / quiet rate ${ratio}, expected ≈ 10 (bins cut by a burst edge pull it down)`);
});

test("diurnal arrivals peak at peakAtUs and bottom out half a period later, around the base rate", (t) => {
  const amplitude = 0.8;
  const process = new ArrivalsDiurnal(new RandomNode("diurnal"), { ratePerS: 2, amplitude, peakAtUs: 6 * hourUs });
  const days = 2;
  const times = collect(process, 0, days * 24 * hourUs);
  t.true(Math.abs(times.length / (days * 86_400) - 2) < 0.04, `mean rate ${times.length / (days * 86_400)}/s, expected 2/s`);
  const byHour = binCounts(times, hourUs, days * 24 * hourUs);
  const hourOfDay = Array.from({ length: 24 }, (_, hour) => byHour[hour]! + byHour[hour + 24]!);
  const peakHour = hourOfDay.indexOf(max(hourOfDay));
  const troughHour = hourOfDay.indexOf(min(hourOfDay));
  t.true(peakHour === 5 || peakHour === 6, `peak in hour ${peakHour}, expected the one around 6 h`);
  t.true(troughHour === 17 || troughHour === 18, `trough in hour ${troughHour}, expected the one around 18 h`);
  const swing = max(hourOfDay) / min(hourOfDay);
  t.true(swing > 6 && swing < 12, `peak/trough ${swing}, expected ≈ (1 + a) / (1 − a) = 9`);
  const expected = hourOfDay.map((_, hour) => process.relativeRate((hour + 0.5) * hourUs));
  t.true(sampleCorrelation(hourOfDay, expected) > 0.99, "hourly counts follow the sine");
});

const specs: ArrivalSpec[] = [
  { kind: "constant" },
  { kind: "poisson" },
  { kind: "bursty", burstMultiplier: 5, burstDurationUs: 20_000, burstPeriodUs: 100_000 },
  { kind: "diurnal", amplitude: 1, periodUs: 1_000_000, peakAtUs: 250_000 },
  { kind: "trace", path: "inline", timeScale: 1.5, loop: true },
];
const traceUs = [0, 10, 10, 400, 1000, 1003];

test("the same seed gives the same arrivals; another seed other arrivals (every random kind)", (t) => {
  for (const spec of specs) {
    const run = (seed: string) => collect(arrivalProcessOf(spec, 5000, new RandomNode(seed), traceUs), 0, secondUs);
    t.deepEqual(run("a"), run("a"), spec.kind);
    if (spec.kind !== "constant" && spec.kind !== "trace") t.notDeepEqual(run("a"), run("b"), spec.kind);
  }
});

test("every kind yields integer, non-decreasing times at or after afterUs, also when the caller skips ahead", (t) => {
  t.notThrows(() => fc.assert(
    fc.property(fc.integer({ min: 0, max: specs.length - 1 }), fc.double({ min: 1, max: 1e6, noNaN: true }), fc.array(fc.nat(200_000), { minLength: 1, maxLength: 50 }), fc.string(), (kind, ratePerS, skipsUs, seed) => {
      const process = arrivalProcessOf(specs[kind]!, ratePerS, new RandomNode(seed), traceUs);
      let previousUs = 0;
      for (const skipUs of skipsUs) {
        const afterUs = previousUs + (skipUs % 3 === 0 ? skipUs : 0);
        const timeUs = process.nextArrivalUs(afterUs);
        if (timeUs === arrivalNever) return true;
        if (!(Number.isInteger(timeUs) && timeUs >= afterUs && timeUs >= previousUs)) return false;
        previousUs = timeUs;
      }
      return true;
    }),
    { numRuns: 300, seed: 7 },
  ));
});

test("meanArrivalRatePerS states the long-run rate of each kind", (t) => {
  t.is(meanArrivalRatePerS({ kind: "poisson" }, 7), 7);
  t.is(meanArrivalRatePerS({ kind: "diurnal", amplitude: 0.5 }, 7), 7);
  t.is(meanArrivalRatePerS({ kind: "bursty", burstMultiplier: 3, burstDurationUs: 1, burstPeriodUs: 4 }, 8), 12);
  t.is(meanArrivalRatePerS({ kind: "trace", path: "x" }, 8), undefined);
});
