// Tests of the fault vocabulary and its JSONL form: every kind round-trips through format and
// parse, defaults are filled, and malformed schedules are rejected with the line number and what
// is wrong for every bad line at once.

import test from "ava";
import { SsmsError } from "../../engine/io/errors.ts";
import type { Fault } from "./fault.ts";
import { FaultScheduleWriter, formatFaultSchedule, parseFaultSchedule } from "./schedule.ts";

const everyKind: Fault[] = [
  { timeUs: 0, fault: "crash", targets: ["darq-3"], params: {} },
  { timeUs: 10, fault: "restart", targets: ["darq-3"], params: {} },
  { timeUs: 10, fault: "pause", targets: ["compute-1", "compute-2"], params: {} },
  { timeUs: 20, fault: "resume", targets: ["compute-1", "compute-2"], params: {} },
  { timeUs: 30, fault: "networkPartition", targets: ["h1", "h2", "h3"], params: { groups: [["h1"], ["h2", "h3"]], asymmetric: true } },
  { timeUs: 40, fault: "heal", targets: [], params: {} },
  { timeUs: 50, fault: "linkLoss", targets: [], params: { rate: 0.25 } },
  { timeUs: 50, fault: "linkDuplicate", targets: ["h1"], params: { rate: 1 } },
  { timeUs: 60, fault: "linkReorder", targets: ["h2"], params: { jitterUs: 500 } },
  { timeUs: 70, fault: "diskTornWrite", targets: ["darq-1"], params: {} },
  { timeUs: 80, fault: "spotPreempt", targets: ["compute-9"], params: {} },
];

test("every fault kind round-trips through JSONL; the writer produces the same text", (t) => {
  const text = formatFaultSchedule(everyKind);
  t.is(text.split("\n").length, everyKind.length + 1);
  t.deepEqual(parseFaultSchedule(text, "all.jsonl"), everyKind);
  const writer = new FaultScheduleWriter();
  for (const fault of everyKind) writer.append(fault);
  t.is(writer.text(), text);
  t.is(writer.count, everyKind.length);
});

test("defaults: params may be omitted where a kind takes none; asymmetric defaults to false; blank lines pass", (t) => {
  const text = [
    '{"timeUs":5,"fault":"crash","targets":["n1"]}',
    "",
    '{"timeUs":6,"fault":"networkPartition","targets":["a","b"],"params":{"groups":[["a"],["b"]]}}',
  ].join("\n");
  t.deepEqual(parseFaultSchedule(text, "defaults.jsonl"), [
    { timeUs: 5, fault: "crash", targets: ["n1"], params: {} },
    { timeUs: 6, fault: "networkPartition", targets: ["a", "b"], params: { groups: [["a"], ["b"]], asymmetric: false } },
  ]);
});

test("malformed lines are all reported, each with its line number and what is wrong", (t) => {
  const text = [
    '{"timeUs":0,"fault":"crash","targets":["n1"],"params":{}}',
    '{"timeUs":1,"fault":"crash",',
    '{"timeUs":2,"fault":"explode","targets":["n1"],"params":{}}',
    '{"timeUs":3,"fault":"crash","targets":[],"params":{},"when":"now"}',
    '{"timeUs":4,"fault":"linkLoss","targets":[],"params":{"rate":1.5}}',
    '{"timeUs":5,"fault":"networkPartition","targets":["a"],"params":{"groups":[["a"],["b"]]}}',
    '{"timeUs":-1,"fault":"heal","targets":[],"params":{}}',
    '{"timeUs":7,"fault":"heal","targets":[],"params":{}}',
    '{"timeUs":1,"fault":"heal","targets":[],"params":{}}',
    '{"timeUs":9,"fault":"linkReorder","targets":[],"params":{"jitterUs":2.5}}',
    '{"timeUs":9,"fault":"pause","targets":["n1"],"params":{"forUs":3}}',
  ].join("\n");
  const error = t.throws(() => parseFaultSchedule(text, "bad.jsonl"), { instanceOf: SsmsError })!;
  t.is(error.code, "SSMS_ERR_CONFIG_INVALID");
  for (const expected of [
    /bad\.jsonl:2: not valid JSON/,
    /bad\.jsonl:3: fault must be one of crash, restart/,
    /bad\.jsonl:4: unknown key 'when'/,
    /bad\.jsonl:5: linkLoss needs params\.rate in \[0, 1\], got 1\.5/,
    /bad\.jsonl:6: networkPartition targets must list the groups' hosts in order/,
    /bad\.jsonl:7: timeUs must be an integer ≥ 0, got -1/,
    /bad\.jsonl:9: timeUs 1 is before the previous fault's 7/,
    /bad\.jsonl:10: linkReorder needs params\.jitterUs, an integer ≥ 0, got 2\.5/,
    /bad\.jsonl:11: pause has no param 'forUs' \(it takes none\)/,
    /bad\.jsonl:4: crash needs at least one target node/,
  ]) {
    t.regex(error.message, expected);
  }
  t.notRegex(error.message, /bad\.jsonl:(1|8):/, "good lines are not reported");
});
