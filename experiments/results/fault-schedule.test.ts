// Fault schedules in the simulator's vocabulary (sim/faults/fault.ts): written with a fixed key
// order (equal schedules, equal files), read back equal, and a malformed line is refused with its line number and what is wrong.

import test from "ava";
import { formatFaultSchedule, parseFaultSchedule, type FaultRecord } from "./fault-schedule.ts";

const schedule: FaultRecord[] = [
  { timeUs: 0, fault: "networkPartition", targets: ["h1", "h2"], params: { groups: [["h1"], ["h2"]], asymmetric: false } },
  { timeUs: 5_000_000, fault: "crash", targets: ["darq-1"] },
  { timeUs: 7_000_000, fault: "linkLoss", targets: [], params: { rate: 0.1, note: "bursty" } },
];

test("a schedule round-trips through JSONL with canonical key order", (t) => {
  const text = formatFaultSchedule(schedule);
  t.is(text.split("\n")[0], '{"timeUs":0,"fault":"networkPartition","targets":["h1","h2"],"params":{"asymmetric":false,"groups":[["h1"],["h2"]]}}');
  t.is(text.split("\n")[2], '{"timeUs":7000000,"fault":"linkLoss","targets":[],"params":{"note":"bursty","rate":0.1}}');
  const parsed = parseFaultSchedule(`${text}\n\n`, "s.jsonl");
  t.deepEqual(parsed.ok ? parsed.value : parsed.reason, schedule);
  t.is(formatFaultSchedule([]), "");
});

test("malformed schedules are refused with the line and the reason", (t) => {
  const reason = (text: string) => {
    const parsed = parseFaultSchedule(text, "s.jsonl");
    return parsed.ok ? "accepted" : parsed.reason;
  };
  t.regex(reason('{"timeUs":5,"fault":"x","targets":[]}\n{"timeUs":4,"fault":"x","targets":[]}'), /s.jsonl:2: timeUs 4 comes before the previous fault at 5/);
  t.regex(reason("{oops"), /s.jsonl:1: not valid JSON/);
  t.regex(reason('{"timeUs":1.5,"fault":"x","targets":[]}'), /timeUs must be an integer/);
  t.regex(reason('{"timeUs":1,"fault":"","targets":[]}'), /fault must be a non-empty string/);
  t.regex(reason('{"timeUs":1,"fault":"x","targets":"a"}'), /targets must be an array of strings/);
  t.regex(reason('{"timeUs":1,"fault":"x","targets":[],"when":3}'), /unknown key\(s\) when/);
  t.regex(reason('{"timeUs":1,"fault":"x","targets":[],"params":[1]}'), /params must be an object/);
});
