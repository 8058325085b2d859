// Communication-graph co-location (paper §4.1, §4.4 Figure 4): automata that talk heavily go onto
// one physical DARQ (their messages become local: no network hop, one shared group commit) and,
// when `colocateCompute`, their processors onto that DARQ machine's spare cores (or onto the
// compute node the group's busiest member already uses). Groups come from talk-groups.ts; a group
// moves only when the message latency it saves over the horizon exceeds what the pauses cost
// (see talk-groups.ts), and only when the cost model says the anchor DARQ and the compute target
// stay under utilisationMax with the group added. Members placed within cooldownUs stay put.

import type { Random } from "../../engine/io/random.ts";
import { costModelFromObservation } from "../cost-model.ts";
import { decide, type Decision } from "../decision.ts";
import { observationIndex, type AutomatonObservation, type NodeObservation, type Observation, type ObservationIndex } from "../observation.ts";
import { paramsResolve, policyContextDefault, type PolicyContext, type PolicyParams } from "../policy.ts";
import { sparesByHost } from "./candidates.ts";
import { applyPlan, memberPauseUs, planFits, type GroupPlan } from "./group-plan.ts";
import { anchorDarq, colocationSavedUsPerS, pauseLossUs, talkGroups, type TalkGroup } from "./talk-groups.ts";

export const optimizerColocationSpec = {
  messagesPerSMin: { default: 100, min: 0, max: 1e12, doc: "messages/s (both directions) that make a pair heavy talkers" },
  groupAutomataMax: { default: 16, min: 2, max: 100_000, integer: true, doc: "largest group put on one DARQ" },
  colocateCompute: { default: true, doc: "also run the group's processors on the anchor DARQ's machine" },
  utilisationMax: { default: 0.8, min: 0.01, max: 1, doc: "utilisation the anchor DARQ and compute may reach" },
  horizonS: { default: 60, min: 1, max: 86_400, doc: "seconds over which the saved latency is counted" },
  hysteresisFraction: { default: 0.1, min: 0, max: 100, doc: "extra gain a move must show over its pause cost" },
  cooldownUs: { default: 30_000_000, min: 0, max: 86_400_000_000, integer: true, doc: "no move within this time of the last one" },
  processStartUs: { default: 100_000, min: 0, max: 600_000_000, doc: "time to start a processor on a provisioned node" },
  replayBytesPerS: { default: 200e6, min: 1, max: 1e12, doc: "self-message replay speed of a new processor" },
} as const;

/** Where the group's processors go: spare cores on the anchor, or the busiest member's node. */
function computeTarget(group: TalkGroup, anchor: NodeObservation, index: ObservationIndex, spares: ReadonlyMap<string, NodeObservation>): NodeObservation | null {
  const spare = spares.get(anchor.id);
  if (spare !== undefined) return spare;
  const busiest = [...group.members].sort((a, b) => b.stepsPerS - a.stepsPerS || (a.id < b.id ? -1 : 1))[0];
  const node = busiest?.placement.computeNode == null ? undefined : index.node.get(busiest.placement.computeNode);
  return node !== undefined && node.state === "up" ? node : null;
}

function planDecisions(plan: GroupPlan, reason: string): Decision[] {
  const decisions: Decision[] = [];
  for (const member of plan.movers) {
    if (member.placement.darqNode !== plan.darq.id) decisions.push(decide.migrate(member.id, plan.darq.id, reason));
    if (plan.compute !== null && member.placement.computeNode !== plan.compute.id) decisions.push(decide.moveCompute(member.id, plan.compute.id, reason));
  }
  return decisions;
}

export function optimizerColocation(observation: Observation, params: PolicyParams, _random?: Random, context: PolicyContext = policyContextDefault): Decision[] {
  const config = paramsResolve(optimizerColocationSpec, params, "optimizer.params");
  const index = observationIndex(observation);
  const nowUs = observation.windowEndUs;
  const settled = (automaton: AutomatonObservation) => automaton.placement.darqNode !== null && nowUs - automaton.placedAtUs >= config.cooldownUs;
  const groups = talkGroups(observation, index, config.messagesPerSMin, config.groupAutomataMax, settled);
  if (groups.length === 0) return [];
  const model = costModelFromObservation(observation, context.costModel);
  const assignment = model.assignmentNow();
  const spares = sparesByHost(observation);
  const decisions: Decision[] = [];
  for (const group of groups) {
    const anchor = anchorDarq(group, index);
    if (anchor === undefined) continue;
    const compute = config.colocateCompute ? computeTarget(group, anchor, index, spares) : null;
    const movers = group.members.filter((member) => member.placement.darqNode !== anchor.id || (compute !== null && member.placement.computeNode !== compute.id));
    if (movers.length === 0) continue;
    let plan: GroupPlan = { darq: anchor, compute, movers };
    if (!planFits(model, assignment, plan, config.utilisationMax)) {
      // The compute target is full: co-locate the logical DARQs alone.
      plan = { darq: anchor, compute: null, movers: movers.filter((member) => member.placement.darqNode !== anchor.id) };
      if (plan.movers.length === 0 || !planFits(model, assignment, plan, config.utilisationMax)) continue;
    }
    const savedUs = colocationSavedUsPerS(observation, index, group, anchor) * config.horizonS;
    const lostUs = plan.movers.reduce((sum, member) => sum + pauseLossUs(member.stepsPerS, memberPauseUs(observation, index, plan, member, config)), 0);
    const reason = `co-location: ${group.messagesPerS.toFixed(0)} msg/s among [${group.members.map((member) => member.id).join(", ")}]; ` +
      `saves ${(savedUs / 1e6).toFixed(3)} message-s over ${config.horizonS} s, pauses cost ${(lostUs / 1e6).toFixed(3)}`;
    if (savedUs <= lostUs * (1 + config.hysteresisFraction)) continue;
    // Later groups see this one's load on the anchor.
    applyPlan(model, assignment, plan);
    decisions.push(...planDecisions(plan, reason));
  }
  return decisions;
}
