// VOPR files: a case written and parsed back is the same case; every kind of bad file — a bad
// header, a node the cluster does not have, entries out of time order or past the heal, a spot
// eviction whose notice outlasts the safety phase, an unknown action — is refused with the line
// and what is wrong; and fuzzing (random, truncated and corrupted files, wrong-typed values) gets
// a configInvalid error every time, never another exception.

import test from "ava";
import fc from "fast-check";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { voprCase } from "./vopr-case.ts";
import { formatVoprFile, isVoprText, parseVoprFile, type VoprFile } from "./vopr-file.ts";

function fileOf(seed: string): VoprFile {
  return { case: voprCase(seed), plantedBugs: [], expect: { fingerprint: "0123456789abcdef", violations: ["noLeak: x"] } };
}

/** A seed whose case has faults, actions and at least two DARQ nodes. */
const richSeed = Array.from({ length: 200 }, (_, index) => `${index}`).find((seed) => {
  const c = voprCase(seed);
  return c.schedule.some((entry) => "action" in entry) && c.schedule.some((entry) => "fault" in entry) && c.config.darqNodes.length >= 2;
})!;

/** A seed whose schedule has every kind of optimizer move. */
const movesSeed = Array.from({ length: 400 }, (_, index) => `${index}`).find((seed) => {
  const kinds = new Set<string>(voprCase(seed).schedule.map((entry) => ("action" in entry ? entry.action : "")));
  return ["migrate", "moveCompute", "addStandby", "failover"].every((kind) => kinds.has(kind));
})!;

test("a case written to a file parses back to the same case", (t) => {
  t.not(movesSeed, undefined, "some seed draws every kind of move");
  for (const seed of [richSeed, movesSeed, "1", "2"]) {
    const file = fileOf(seed);
    const text = formatVoprFile(file);
    t.true(isVoprText(text));
    t.deepEqual(parseVoprFile(text, "x.jsonl"), file, `seed ${seed}`);
    t.is(text.split("\n").length, file.case.schedule.length + 2, "a header line, one line per entry, a final newline");
  }
});

/** The configInvalid message parsing `text` throws, or "" when it parses. */
function problemsOf(text: string): string {
  try {
    parseVoprFile(text, "bad.jsonl");
  } catch (error) {
    if (error instanceof SsmsError && error.code === ErrorCode.configInvalid) return error.message;
    throw error;
  }
  return "";
}

test("bad files are refused with the line and what is wrong", (t) => {
  const good = formatVoprFile(fileOf(richSeed)).split("\n");
  const header = good[0]!;
  const withEntry = (entry: string): string => `${header}\n${entry}\n`;
  t.regex(problemsOf(""), /empty; a VOPR file starts with/);
  t.regex(problemsOf("{not json"), /bad\.jsonl:1: the header is not valid JSON/);
  t.regex(problemsOf(header.replace('"vopr":1', '"vopr":2')), /header\/vopr/);
  t.regex(problemsOf(header.replace('"plantedBugs":[]', '"plantedBugs":["nope"]')), /unknown planted bug 'nope'/);
  t.regex(problemsOf(header.replace('"profile":"', '"profile":"x')), /header\/case\/config/);
  t.regex(problemsOf(withEntry('{"timeUs":10,"fault":"crash","targets":["zz"],"params":{}}')), /bad\.jsonl:2: crash: 'zz' is not a node/);
  t.regex(problemsOf(withEntry('{"timeUs":10,"fault":"linkLoss","targets":["zz"],"params":{"rate":0.5}}')), /'zz' is not a host/);
  t.regex(problemsOf(withEntry('{"timeUs":10,"fault":"crash","targets":["d1"],"params":{}}\n{"timeUs":5,"fault":"restart","targets":["d1"],"params":{}}')),
    /bad\.jsonl:3: timeUs 5 is before/);
  t.regex(problemsOf(withEntry('{"timeUs":999999999999,"fault":"crash","targets":["d1"],"params":{}}')), /not inside the safety phase/);
  t.regex(problemsOf(withEntry('{"timeUs":10,"action":"explode"}')), /action must be deactivate, metadataWorkerRestart, suspect, migrate/);
  t.regex(problemsOf(withEntry('{"timeUs":10,"action":"migrate","target":"hop/1","darqNode":"zz"}')), /migrate needs darqNode, a DARQ node/);
  t.regex(problemsOf(withEntry('{"timeUs":10,"action":"moveCompute","target":"hop/1"}')), /moveCompute: computeNode must be a compute node/);
  t.regex(problemsOf(withEntry('{"timeUs":10,"action":"failover","target":"hop/1","darqNode":"d1"}')), /failover has no key 'darqNode'/);
  t.regex(problemsOf(withEntry('{"timeUs":-1,"action":"addStandby","target":"hop/1"}')), /timeUs must be an integer/);
  t.regex(problemsOf(withEntry('{"timeUs":10,"action":"suspect","target":"d1","durationUs":5}')), /suspect needs a vm or serverless compute node/);
  t.regex(problemsOf(withEntry('{"timeUs":10,"action":"deactivate","target":"hop/1","extra":1}')), /deactivate has no key 'extra'/);
  t.regex(problemsOf(withEntry('{"timeUs":10,"fault":"crash","targets":["d1"],"params":{},"x":1}')), /unknown key 'x'/);
});

test("a spot eviction whose notice would outlast the safety phase is refused", (t) => {
  const file = fileOf(richSeed);
  const spot = { name: "s1", kind: "vm" as const, size: file.case.config.profile === "aws-2024" ? "m5.large" : "D2s_v3", zone: "z1", spot: true };
  const config = { ...file.case.config, computeNodes: [...file.case.config.computeNodes, spot] };
  const text = formatVoprFile({ ...file, case: { ...file.case, config, safetyUs: 1_000_000, schedule: [{ timeUs: 0, fault: "spotPreempt", targets: ["s1"], params: {} }] } });
  t.regex(problemsOf(text), /eviction notice would end after the safety phase/);
});

test("fuzzed files fail with configInvalid, never with another exception", (t) => {
  const good = formatVoprFile(fileOf(richSeed));
  const mutated = fc.tuple(fc.nat(good.length), fc.nat(64), fc.string({ maxLength: 16 })).map(([at, cut, insert]) =>
    good.slice(0, at) + insert + good.slice(Math.min(good.length, at + cut)));
  const jsonLines = fc.array(fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)), { maxLength: 5 }).map((lines) => lines.join("\n"));
  const wrongTyped = fc.record({ vopr: fc.constantFrom(1, "1", null), seed: fc.anything(), plantedBugs: fc.anything(), case: fc.anything(), expect: fc.anything() })
    .map((header) => JSON.stringify(header));
  fc.assert(fc.property(fc.oneof(mutated, jsonLines, wrongTyped, fc.string({ maxLength: 200 }), fc.constant(good.slice(0, good.length / 2))), (text) => {
    try {
      parseVoprFile(text, "fuzz.jsonl");
      return true;
    } catch (error) {
      return error instanceof SsmsError && error.code === ErrorCode.configInvalid;
    }
  }), { numRuns: 400, seed: 11 });
  t.pass();
});
