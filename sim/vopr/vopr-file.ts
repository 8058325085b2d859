// VOPR replay files: a failing (usually shrunk) case as JSONL, so `ssms replay FILE` and
// `ssms vopr --replay FILE` rerun it exactly.
//
//   line 1   {"vopr": 1, "seed": "17", "plantedBugs": [], "case": {config, counters, injections,
//             safetyUs, livenessUsMax, faultMode, faultRates}, "expect": {fingerprint, violations}}
//   then     one schedule entry per line, in time order: a fault in the sim/faults vocabulary
//            ({timeUs, fault, targets, params}) or an operator action ({timeUs, action, target?,
//            durationUs?}; actions: deactivate, metadataWorkerRestart, suspect; and the optimizer's
//            moves {timeUs, action, target, darqNode?, computeNode?}: migrate, moveCompute,
//            addStandby, failover)
//
// The header carries the whole drawn case, not just the seed, so a file still replays after the
// generator changes. Parsing validates everything once (STYLE 12): the header against a schema,
// the cluster config with the cluster's own checker, every entry's shape, that its targets exist
// in the cluster, time order, and that every entry (and a spot eviction's notice) falls inside
// the safety phase. Every problem is reported with its line; sim/ does no I/O, so the caller
// reads the text.

import { Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { isPlantedBugName, type PlantedBugName } from "../../engine/io/planted-bugs.ts";
import { clusterConfigCheck, type SimClusterConfig } from "../cluster/cluster-config.ts";
import { worldHost } from "../cluster/cluster-nodes.ts";
import { faultCheck, faultLine, type Fault } from "../faults/fault.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import { isAction, type VoprAction, type VoprCase, type VoprEntry } from "./vopr-case.ts";
import { isMove, moveCheck, moveLine } from "./vopr-moves.ts";

export const voprFileVersion = 1;

export type VoprExpect = { readonly fingerprint: string; readonly violations: readonly string[] };

export type VoprFile = {
  readonly case: VoprCase;
  readonly plantedBugs: readonly PlantedBugName[];
  /** What the run that wrote the file saw; null in a hand-written file. */
  readonly expect: VoprExpect | null;
};

const Integer = Type.Integer({ minimum: 0 });
const HeaderSchema = Type.Object({
  vopr: Type.Literal(voprFileVersion),
  seed: Type.String({ minLength: 1 }),
  plantedBugs: Type.Array(Type.String()),
  case: Type.Object({
    config: Type.Unknown(),
    counters: Type.Integer({ minimum: 1, maximum: 1000 }),
    injections: Type.Array(Type.Object({
      atUs: Integer, to: Integer, tag: Type.String({ minLength: 1, maxLength: 200 }), hops: Type.Integer({ minimum: 0, maximum: 64 }),
    }, { additionalProperties: false }), { maxItems: 10_000 }),
    safetyUs: Type.Integer({ minimum: 1 }),
    livenessUsMax: Type.Integer({ minimum: 1 }),
    faultMode: Type.Union([Type.Literal("none"), Type.Literal("single"), Type.Literal("mixed")]),
    faultRates: Type.Record(Type.String(), Type.Number()),
  }, { additionalProperties: false }),
  expect: Type.Union([Type.Null(), Type.Object({
    fingerprint: Type.String({ pattern: "^[0-9a-f]{16}$" }), violations: Type.Array(Type.String()),
  }, { additionalProperties: false })]),
}, { additionalProperties: false });

/** The file's text: the header line, then one line per schedule entry. */
export function formatVoprFile(file: VoprFile): string {
  const { schedule, seed, ...drawn } = file.case;
  const header = { vopr: voprFileVersion, seed, plantedBugs: file.plantedBugs, case: drawn, expect: file.expect };
  return [JSON.stringify(header), ...schedule.map(entryLine)].map((line) => `${line}\n`).join("");
}

function entryLine(entry: VoprEntry): string {
  if (!isAction(entry)) return faultLine(entry);
  if (isMove(entry)) return moveLine(entry);
  if (entry.action === "metadataWorkerRestart") return JSON.stringify({ timeUs: entry.timeUs, action: entry.action });
  if (entry.action === "deactivate") return JSON.stringify({ timeUs: entry.timeUs, action: entry.action, target: entry.target });
  return JSON.stringify({ timeUs: entry.timeUs, action: entry.action, target: entry.target, durationUs: entry.durationUs });
}

/** Whether `text` starts like a VOPR file (its first non-blank line is a header). */
export function isVoprText(text: string): boolean {
  const first = text.split("\n").find((line) => line.trim().length > 0);
  if (first === undefined) return false;
  try {
    const value: unknown = JSON.parse(first);
    return typeof value === "object" && value !== null && "vopr" in value;
  } catch {
    return false;
  }
}

/** Parses a VOPR file; throws SsmsError(configInvalid) listing every problem with its line. */
export function parseVoprFile(text: string, origin: string): VoprFile {
  const lines = text.split("\n");
  const headerIndex = lines.findIndex((line) => line.trim().length > 0);
  const problems: string[] = [];
  const header = headerIndex < 0 ? null : headerParse(lines[headerIndex]!, `${origin}:${headerIndex + 1}`, problems);
  if (header === null) {
    if (headerIndex < 0) problems.push(`${origin}: empty; a VOPR file starts with a {"vopr": 1, …} header line`);
    throw invalid(origin, problems);
  }
  const nodes = nodesOf(header.config);
  const schedule: VoprEntry[] = [];
  let previousUs = 0;
  for (let index = headerIndex + 1; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line.length === 0) continue;
    const where = `${origin}:${index + 1}`;
    const before = problems.length;
    const entry = entryParse(line, header, nodes, (problem) => problems.push(`${where}: ${problem}`));
    if (entry === null || problems.length > before) continue;
    if (entry.timeUs < previousUs) problems.push(`${where}: timeUs ${entry.timeUs} is before the previous entry's ${previousUs}; entries are in time order`);
    previousUs = Math.max(previousUs, entry.timeUs);
    schedule.push(entry);
  }
  if (problems.length > 0) throw invalid(origin, problems);
  const { plantedBugs, expect, noticeUs: _noticeUs, ...drawn } = header;
  return { case: { ...drawn, schedule }, plantedBugs, expect };
}

type Header = Omit<VoprCase, "schedule"> & { readonly plantedBugs: PlantedBugName[]; readonly expect: VoprExpect | null; readonly noticeUs: number };

function headerParse(line: string, where: string, problems: string[]): Header | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    problems.push(`${where}: the header is not valid JSON (${(error as Error).message})`);
    return null;
  }
  const before = problems.length;
  for (const error of Value.Errors(HeaderSchema, value)) problems.push(`${where}: header${error.path || "/"}: ${error.message}`);
  if (problems.length > before) return null;
  const header = value as { seed: string; plantedBugs: string[]; case: Omit<VoprCase, "schedule" | "seed">; expect: VoprExpect | null };
  for (const name of header.plantedBugs) if (!isPlantedBugName(name)) problems.push(`${where}: header/plantedBugs: unknown planted bug '${name}'`);
  let config: SimClusterConfig;
  let noticeUs = 0;
  try {
    config = clusterConfigCheck(header.case.config, (name) => loadCloudProfile(name));
    noticeUs = loadCloudProfile(config.profile).compute.spot.evictionNoticeUs;
  } catch (error) {
    problems.push(`${where}: header/case/config: ${(error as Error).message}`);
    return null;
  }
  header.case.injections.forEach((injection, index) => {
    if (injection.to >= header.case.counters) problems.push(`${where}: header/case/injections/${index}/to: ${injection.to} is not below counters (${header.case.counters})`);
  });
  if (problems.length > before) return null;
  return { ...header.case, config, seed: header.seed, plantedBugs: header.plantedBugs as PlantedBugName[], expect: header.expect, noticeUs };
}

type Nodes = { readonly darqs: ReadonlySet<string>; readonly computes: ReadonlySet<string>; readonly hosts: ReadonlySet<string> };

function nodesOf(config: SimClusterConfig): Nodes {
  const darqs = new Set(config.darqNodes.map((node) => node.name));
  const computes = new Set(config.computeNodes.map((node) => node.name));
  const hosts = new Set([worldHost, ...darqs, ...config.computeNodes.filter((node) => node.kind !== "darq-spare").map((node) => node.name)]);
  return { darqs, computes, hosts };
}

function entryParse(line: string, header: Header, nodes: Nodes, problem: (text: string) => void): VoprEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    problem(`not valid JSON (${(error as Error).message})`);
    return null;
  }
  if (typeof value === "object" && value !== null && "action" in value) {
    const action = value as Record<string, unknown>;
    if (!isMove(action)) return actionParse(action, header, problem);
    timeCheck(action.timeUs, header, problem);
    moveCheck(action, nodes.darqs, nodes.computes, problem);
    return action as unknown as VoprAction;
  }
  const checked = faultCheck(value);
  if (checked.fault === null) {
    for (const text of checked.problems) problem(text);
    return null;
  }
  const fault = checked.fault;
  targetsCheck(fault, header, nodes, problem);
  if (fault.timeUs >= header.safetyUs) problem(`${fault.fault} at ${fault.timeUs}us is not inside the safety phase [0, ${header.safetyUs})`);
  return fault;
}

function targetsCheck(fault: Fault, header: Header, nodes: Nodes, problem: (text: string) => void): void {
  const isNode = (name: string): boolean => nodes.darqs.has(name) || nodes.computes.has(name);
  switch (fault.fault) {
    case "networkPartition":
    case "linkLoss":
    case "linkDuplicate":
    case "linkReorder":
      for (const host of fault.targets) if (!nodes.hosts.has(host)) problem(`${fault.fault}: '${host}' is not a host of the cluster (${[...nodes.hosts].join(", ")})`);
      return;
    case "heal":
      return;
    case "spotPreempt":
      for (const node of fault.targets) {
        const config = header.config.computeNodes.find((candidate) => candidate.name === node);
        if (config?.spot !== true) problem(`spotPreempt: '${node}' is not a spot VM of the cluster`);
      }
      if (fault.timeUs + header.noticeUs >= header.safetyUs) {
        problem(`spotPreempt at ${fault.timeUs}us: the ${header.noticeUs}us eviction notice would end after the safety phase (${header.safetyUs}us)`);
      }
      return;
    default:
      for (const node of fault.targets) if (!isNode(node)) problem(`${fault.fault}: '${node}' is not a node of the cluster`);
  }
}

function timeCheck(timeUs: unknown, header: Header, say: (text: string) => void): void {
  if (!(typeof timeUs === "number" && Number.isSafeInteger(timeUs) && timeUs >= 0 && timeUs < header.safetyUs)) {
    say(`timeUs must be an integer in [0, ${header.safetyUs}), got ${JSON.stringify(timeUs)}`);
  }
}

/** An operator action; problems go to `say` (the caller drops the entry if there were any). */
function actionParse(value: Record<string, unknown>, header: Header, say: (text: string) => void): VoprAction {
  const { timeUs, action, target, durationUs } = value;
  const allowed = action === "suspect" ? ["timeUs", "action", "target", "durationUs"]
    : action === "deactivate" ? ["timeUs", "action", "target"] : ["timeUs", "action"];
  for (const key of Object.keys(value)) if (!allowed.includes(key)) say(`${String(action)} has no key '${key}' (keys: ${allowed.join(", ")})`);
  timeCheck(timeUs, header, say);
  if (action === "deactivate" && !(typeof target === "string" && target.includes("/"))) say(`deactivate needs an automaton id as target, got ${JSON.stringify(target)}`);
  if (action === "suspect") {
    const computes = header.config.computeNodes.filter((node) => node.kind !== "darq-spare").map((node) => node.name);
    if (!(typeof target === "string" && computes.includes(target))) say(`suspect needs a vm or serverless compute node as target (${computes.join(", ")}), got ${JSON.stringify(target)}`);
    if (!(typeof durationUs === "number" && Number.isSafeInteger(durationUs) && durationUs > 0)) say(`suspect needs durationUs, an integer > 0, got ${JSON.stringify(durationUs)}`);
  }
  if (action !== "deactivate" && action !== "metadataWorkerRestart" && action !== "suspect") {
    say(`action must be deactivate, metadataWorkerRestart, suspect, migrate, moveCompute, addStandby or failover, got ${JSON.stringify(action)}`);
  }
  return value as unknown as VoprAction;
}

function invalid(origin: string, problems: readonly string[]): SsmsError {
  const shown = problems.slice(0, 20);
  const more = problems.length > shown.length ? [`… and ${problems.length - shown.length} more`] : [];
  return new SsmsError(ErrorCode.configInvalid,
    `VOPR file ${origin} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n  ${[...shown, ...more].join("\n  ")}`, { problems });
}
