// Coverage marks: a mark counts each pass, reset zeroes every counter, the counts list every known
// mark (zero for one that never fired, so a sweep can name it).

import test from "ava";
import { coverageCounts, coverageMark, coverageMarkNames, coverageNeverFired, coverageReset } from "./coverage.ts";

test("marks count passes; reset zeroes them; never-fired names the rest in order", (t) => {
  coverageReset();
  coverageMark("darq.dedup.dataDuplicate");
  coverageMark("darq.dedup.dataDuplicate");
  coverageMark("darq.recovery.tornTailCut");
  const counts = coverageCounts();
  t.deepEqual(Object.keys(counts), [...coverageMarkNames]);
  t.is(counts["darq.dedup.dataDuplicate"], 2);
  t.is(counts["darq.recovery.tornTailCut"], 1);
  t.deepEqual(coverageNeverFired(counts), coverageMarkNames.filter((name) => name !== "darq.dedup.dataDuplicate" && name !== "darq.recovery.tornTailCut"));
  coverageReset();
  t.deepEqual(coverageNeverFired(coverageCounts()), [...coverageMarkNames]);
});
