// Regression cases from a VOPR sweep, shrunk: the metadata record named a standby that its compute
// node no longer kept (the audit's catalogConsistent). Seed 5654: a recovery placed on the
// standby's node and moved away stopped the standby there (processorStopAbandoned) while the
// record kept naming it. Seed 9627: the standby's node restarted while a queued recovery held the
// operation's single follow-up slot, so the standby's restart was never asked for. Each case is
// the seed's drawn cluster and workload with the shrunk schedule, checked end to end.

import test from "ava";
import { formatVoprFile, parseVoprFile } from "./vopr-file.ts";
import { voprCase } from "./vopr-case.ts";
import { voprCheckCase } from "./vopr-seed.ts";

/** The case of `seed` with its schedule replaced by `lines` (VOPR file entry lines). */
function shrunkCase(seed: string, lines: readonly string[]): ReturnType<typeof voprCase> {
  const header = formatVoprFile({ case: { ...voprCase(seed), schedule: [] }, plantedBugs: [], expect: null });
  return parseVoprFile(header + lines.join("\n"), `seed ${seed}`).case;
}

const cases: Record<string, readonly string[]> = {
  "5654": [
    `{"timeUs":2187362,"fault":"crash","targets":["d2"],"params":{}}`,
    `{"timeUs":2191142,"action":"addStandby","target":"hop/3"}`,
    `{"timeUs":2201038,"fault":"crash","targets":["d1"],"params":{}}`,
  ],
  "9627": [
    `{"timeUs":164627,"fault":"crash","targets":["c1"],"params":{}}`,
    `{"timeUs":208125,"action":"deactivate","target":"hop/2"}`,
    `{"timeUs":446788,"action":"addStandby","target":"hop/1"}`,
    `{"timeUs":783188,"fault":"diskTornWrite","targets":["d1"],"params":{}}`,
    `{"timeUs":820022,"fault":"diskTornWrite","targets":["d3"],"params":{}}`,
    `{"timeUs":1605379,"fault":"restart","targets":["d3"],"params":{}}`,
    `{"timeUs":1688869,"fault":"crash","targets":["d3"],"params":{}}`,
    `{"timeUs":1887065,"fault":"restart","targets":["d3"],"params":{}}`,
  ],
};

for (const [seed, lines] of Object.entries(cases)) {
  test(`seed ${seed}: every standby a record names runs on its node after the heal`, (t) => {
    const c = shrunkCase(seed, lines);
    t.is(c.schedule.length, lines.length);
    const report = voprCheckCase(c, { determinism: false });
    t.deepEqual(report.violations.map((violation) => `${violation.invariant}: ${violation.detail}`), []);
  });
}
