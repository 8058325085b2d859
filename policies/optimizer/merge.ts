// Merging fine-grained automata into a "super automaton" (paper §2): automata that talk
// constantly and do little work per step are put on one physical DARQ and one compute node and
// run as one processor, so a message between them becomes part of the sender's step (no hop, no
// separate commit, no dispatch to compute) and their steps batch into one group commit.
//
// Candidates: automata not merged yet, with compute per step ≤ fineGrainedCoreUsMax, placed at
// least cooldownUs ago, in groups (talk-groups.ts) of pairs exchanging ≥ messagesPerSMin. Target:
// the group's anchor DARQ and a compute node on its machine (spare cores), else the busiest
// member's compute node; none → no merge. The merge happens when the time saved over the horizon
// (per message between members: the network hop and IN commit co-location saves, plus the
// receiver's own dispatch, submit and commit) exceeds the pauses' cost by the hysteresis, and the
// cost model keeps the anchor and the compute node under utilisationMax.

import type { Random } from "../../engine/io/random.ts";
import { costModelFromObservation } from "../cost-model.ts";
import { decide, type Decision } from "../decision.ts";
import { observationIndex, type AutomatonObservation, type NodeObservation, type Observation, type ObservationIndex } from "../observation.ts";
import { paramsResolve, policyContextDefault, type PolicyContext, type PolicyParams } from "../policy.ts";
import { sparesByHost } from "./candidates.ts";
import { applyPlan, memberPauseUs, planFits, type GroupPlan } from "./group-plan.ts";
import { anchorDarq, colocationSavedUsPerS, pauseLossUs, talkGroups, type TalkGroup } from "./talk-groups.ts";

export const optimizerMergeSpec = {
  messagesPerSMin: { default: 1000, min: 0, max: 1e12, doc: "messages/s (both directions) that make a pair merge candidates" },
  fineGrainedCoreUsMax: { default: 50, min: 0, max: 1e9, doc: "compute per step (core-µs) at most, for an automaton to be merged" },
  groupAutomataMax: { default: 8, min: 2, max: 100_000, integer: true, doc: "members of one super automaton at most" },
  utilisationMax: { default: 0.8, min: 0.01, max: 1, doc: "utilisation the anchor DARQ and compute may reach" },
  horizonS: { default: 60, min: 1, max: 86_400, doc: "seconds over which the saved latency is counted" },
  hysteresisFraction: { default: 0.1, min: 0, max: 100, doc: "extra gain a merge must show over its pause cost" },
  cooldownUs: { default: 30_000_000, min: 0, max: 86_400_000_000, integer: true, doc: "no merge within this time of the last move" },
  processStartUs: { default: 100_000, min: 0, max: 600_000_000, doc: "time to start a processor on a provisioned node" },
  replayBytesPerS: { default: 200e6, min: 1, max: 1e12, doc: "self-message replay speed of a new processor" },
} as const;

/** Per message between members, what running them as one processor saves beyond co-location. */
function stepSavedUs(observation: Observation, anchor: NodeObservation, compute: NodeObservation): number {
  const links = observation.prices.links;
  const sameMachine = compute.kind === "darq-spare" && compute.hostNode === anchor.id;
  const link = sameMachine ? links.sameProcess : compute.zone === anchor.zone ? links.sameZone : links.crossZone;
  const flushUs = observation.prices.storageTiers[anchor.storageTier ?? ""]?.flushLatency.p50Us ?? 0;
  return 2 * link.oneWayLatency.p50Us + flushUs;
}

function intraGroupMessagesPerS(observation: Observation, group: TalkGroup): number {
  const members = new Set(group.members.map((member) => member.id));
  let total = 0;
  for (const edge of observation.talk) if (members.has(edge.from) && members.has(edge.to) && edge.from !== edge.to) total += edge.messagesPerS;
  return total;
}

function computeFor(group: TalkGroup, anchor: NodeObservation, index: ObservationIndex, spares: ReadonlyMap<string, NodeObservation>): NodeObservation | undefined {
  const spare = spares.get(anchor.id);
  if (spare !== undefined) return spare;
  const busiest = [...group.members].sort((a, b) => b.stepsPerS - a.stepsPerS || (a.id < b.id ? -1 : 1))[0];
  const node = busiest?.placement.computeNode == null ? undefined : index.node.get(busiest.placement.computeNode);
  return node?.state === "up" && node.kind !== "serverless" ? node : undefined;
}

export function optimizerMerge(observation: Observation, params: PolicyParams, _random?: Random, context: PolicyContext = policyContextDefault): Decision[] {
  const config = paramsResolve(optimizerMergeSpec, params, "optimizer.params");
  const index = observationIndex(observation);
  const nowUs = observation.windowEndUs;
  const eligible = (automaton: AutomatonObservation) => automaton.mergedInto === null && automaton.placement.darqNode !== null &&
    automaton.computeCoreUsPerStep <= config.fineGrainedCoreUsMax && nowUs - automaton.placedAtUs >= config.cooldownUs;
  const groups = talkGroups(observation, index, config.messagesPerSMin, config.groupAutomataMax, eligible);
  if (groups.length === 0) return [];
  const model = costModelFromObservation(observation, context.costModel);
  const assignment = model.assignmentNow();
  const spares = sparesByHost(observation);
  const decisions: Decision[] = [];
  for (const group of groups) {
    const anchor = anchorDarq(group, index);
    const compute = anchor === undefined ? undefined : computeFor(group, anchor, index, spares);
    if (anchor === undefined || compute === undefined) continue;
    const plan: GroupPlan = { darq: anchor, compute, movers: group.members };
    if (!planFits(model, assignment, plan, config.utilisationMax)) continue;
    const savedUs = (colocationSavedUsPerS(observation, index, group, anchor) +
      intraGroupMessagesPerS(observation, group) * stepSavedUs(observation, anchor, compute)) * config.horizonS;
    const lostUs = group.members.reduce((sum, member) => sum + pauseLossUs(member.stepsPerS, memberPauseUs(observation, index, plan, member, config)), 0);
    if (savedUs <= lostUs * (1 + config.hysteresisFraction)) continue;
    applyPlan(model, assignment, plan);
    decisions.push(decide.merge(group.members.map((member) => member.id), anchor.id, compute.id,
      `super automaton: ${group.messagesPerS.toFixed(0)} msg/s among fine-grained automata; saves ${(savedUs / 1e6).toFixed(3)} message-s over ${config.horizonS} s`));
  }
  return decisions;
}
