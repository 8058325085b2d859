// Tests of the providers' rounding rules: examples from the providers' own pages, and properties
// (billed time is never less than run time when rounding up, is monotone, and lands on a step).

import test from "ava";
import fc from "fast-check";
import { loadCloudProfile } from "../profiles/load.ts";
import { billedDurationUs, billedMemoryMb, billedVmSeconds, durationRulesOf, ruleIndex } from "./rounding.ts";

const azure = loadCloudProfile("azure-2024");
const aws = loadCloudProfile("aws-2024");
const consumption = azure.serverless.plans["consumption"]!;
const lambda = aws.serverless.plans["lambda"]!;

test("examples from the providers' pages", (t) => {
  // Lambda's blog: a 27.55 ms invocation is billed 28 ms.
  t.is(billedDurationUs(27_550, { stepUs: 1000, minUs: 0 }), 28_000);
  // Azure: minimum execution time 100 ms; 160 MB of memory is billed as 256 MB.
  t.is(billedDurationUs(27_550, { stepUs: 1000, minUs: 100_000 }), 100_000);
  t.is(billedMemoryMb(160, consumption), 256);
  t.is(billedMemoryMb(64, consumption), 128, "at least 128 MB");
  t.is(billedMemoryMb(4096, consumption), 1536, "clamped to the 1,536 MB instance maximum");
  t.is(billedMemoryMb(1000, lambda), 1000, "Lambda bills configured memory in 1 MB steps");
  // Azure knowledge center: a VM that ran 6 min 45 s is billed 6 min.
  t.is(billedVmSeconds(405, azure.compute.billing), 360);
  // AWS: per second with a 60 s minimum.
  t.is(billedVmSeconds(12, aws.compute.billing), 60);
  t.is(billedVmSeconds(61.2, aws.compute.billing), 62);
  t.is(billedVmSeconds(3600.0000000001, aws.compute.billing), 3600, "µs float noise adds no step");
});

test("billed durations are on a step, never below the run time or the minimum, and monotone", (t) => {
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }),
    fc.constantFrom(1, 1000, 100_000), fc.constantFrom(0, 100_000),
    (a, b, stepUs, minUs) => {
      const rule = { stepUs, minUs };
      const billed = billedDurationUs(a, rule);
      return billed >= a && billed >= minUs && (billed === minUs || billed % stepUs === 0) &&
        billed - a < stepUs + minUs && (a <= b ? billed <= billedDurationUs(b, rule) : true);
    },
  ));
  t.pass("property held for every sampled duration");
});

test("VM billing rounds down on Azure and up on AWS, within one step of the run time", (t) => {
  fc.assert(fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (runSeconds) => {
    const down = billedVmSeconds(runSeconds, azure.compute.billing);
    const up = billedVmSeconds(runSeconds, aws.compute.billing);
    return down <= runSeconds + 1e-6 && runSeconds - down < 60 + 1e-6 && up >= Math.min(runSeconds, 60) && up >= 60 && up - runSeconds < 60 + 1;
  }));
  t.pass("property held for every sampled run time");
});

test("the bundled profiles contribute two distinct duration rules", (t) => {
  const rules = durationRulesOf([aws, azure, aws]);
  t.deepEqual(rules, [{ stepUs: 1000, minUs: 0 }, { stepUs: 1000, minUs: 100_000 }]);
  t.is(ruleIndex(rules, { stepUs: 1000, minUs: 100_000 }), 1);
  t.is(ruleIndex(rules, { stepUs: 100_000, minUs: 100_000 }), -1);
});
