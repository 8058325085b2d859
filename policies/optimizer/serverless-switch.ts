// Switching an automaton between serverless and provisioned compute (paper §2: "switching
// between serverless and provisioned backends for automata"; §3.4: provisioned resources win when
// utilisation is high). The comparison is per automaton, at the margin:
// - serverless: steps/s × (invocation + billed GB-s) per step, over the month × usageFraction;
// - provisioned: its share of the machine's monthly price, split by busy cores among the
//   residents (alone on a VM it bears the whole VM: provisioned capacity is paid idle or not, and
//   the autoscaler removes a VM the switch empties).
// Switch to serverless when it is cheaper by more than `band`, to provisioned when it is dearer
// by more than `band` (the band is the hysteresis: a rate between the two thresholds stays
// where it is). A switch to serverless must keep the latency objective feasible after paying its
// cold start (cost model, move-cost.ts); a switch to provisioned needs a VM that stays under
// utilisationMax with it. Automata placed within cooldownUs stay put.

import type { Random } from "../../engine/io/random.ts";
import { costModelFromObservation, type CostModel } from "../cost-model.ts";
import { serverlessUsdPerStep } from "../cost-model-price.ts";
import { decide, type Decision } from "../decision.ts";
import { busyCoresOn, computeNodesUp, LoadTracker } from "../nodes.ts";
import { objectiveFeasible } from "../objective.ts";
import { observationIndex, type AutomatonObservation, type NodeObservation, type Observation, type ObservationIndex } from "../observation.ts";
import { byId, paramsResolve, policyContextDefault, type PolicyContext, type PolicyParams, type Resolved } from "../policy.ts";
import { vmPriceNamed } from "../price-book.ts";
import { activationPauseUs, horizonAfterMove, stepsTotalPerS } from "./move-cost.ts";

export const optimizerServerlessSwitchSpec = {
  band: { default: 0.25, min: 0, max: 10, doc: "relative cost difference a switch must exceed" },
  utilisationMax: { default: 0.8, min: 0.01, max: 1, doc: "utilisation a VM may reach when taking an automaton" },
  cooldownUs: { default: 60_000_000, min: 0, max: 86_400_000_000, integer: true, doc: "no switch within this time of the last move" },
  horizonS: { default: 60, min: 1, max: 86_400, doc: "seconds over which a cold start's pause is averaged" },
  processStartUs: { default: 100_000, min: 0, max: 600_000_000, doc: "time to start a processor on a provisioned node" },
  replayBytesPerS: { default: 200e6, min: 1, max: 1e12, doc: "self-message replay speed of a new processor" },
} as const;

type Params = Resolved<typeof optimizerServerlessSwitchSpec>;

/** USD/month of an automaton on serverless at its observed rate. */
export function serverlessUsdPerMonth(observation: Observation, model: CostModel, automaton: AutomatonObservation, usageFraction: number): number {
  const perStep = serverlessUsdPerStep(model.compiled, automaton.computeCoreUsPerStep, observation.prices.serverless.speedFactor);
  return automaton.stepsPerS * perStep * observation.prices.hoursPerMonth * 3600 * usageFraction;
}

/**
 * USD/month of the share of `node`'s machine an automaton uses: the machine's price × its busy
 * cores ÷ all busy cores there with it (`othersBusyCores`: the other residents'). Alone on a VM it
 * bears the whole VM, which is what a switch saves once the autoscaler removes the emptied VM.
 */
export function provisionedUsdPerMonth(observation: Observation, index: ObservationIndex, automaton: AutomatonObservation, node: NodeObservation, othersBusyCores: number): number {
  const machine = node.kind === "darq-spare" && node.hostNode !== null ? index.node.get(node.hostNode) : node;
  const vm = machine?.size == null ? undefined : vmPriceNamed(observation.prices, machine.size);
  if (vm === undefined) return Number.POSITIVE_INFINITY;
  const busy = busyCoresOn(observation, index, automaton, node);
  const share = busy > 0 ? busy / (busy + Math.max(0, othersBusyCores)) : 0;
  return share * vm.usdPerHour * observation.prices.hoursPerMonth;
}

type Switch = { readonly model: CostModel; readonly observation: Observation; readonly index: ObservationIndex; readonly context: PolicyContext; readonly params: Params };

/** Whether moving the automaton to `target` keeps the objective's constraint and the throughput. */
function staysAcceptable(search: Switch, automaton: AutomatonObservation, target: NodeObservation): boolean {
  const model = search.model;
  const assignment = model.assignmentNow();
  const before = model.predict(assignment);
  const position = model.compiled.automatonIndex.get(automaton.id)!;
  assignment.compute[position] = model.compiled.nodeIndex.get(target.id)!;
  const after = model.predict(assignment);
  const pauseUs = activationPauseUs(search.observation.prices, automaton, target, search.params);
  const share = automaton.stepsPerS / Math.max(stepsTotalPerS(search.observation), 1e-12);
  const horizon = horizonAfterMove(after, (share * pauseUs) / (search.params.horizonS * 1e6), pauseUs);
  const feasibleBefore = objectiveFeasible(search.context.objective, before);
  const latencyOk = feasibleBefore ? objectiveFeasible(search.context.objective, horizon) : horizon.latencyUsP99 <= before.latencyUsP99;
  return latencyOk && after.headroom >= Math.min(1, before.headroom);
}

function switchOf(search: Switch, automaton: AutomatonObservation, loads: LoadTracker, serverless: NodeObservation | undefined, vms: readonly NodeObservation[]): Decision | null {
  const { observation, index, params } = search;
  const current = automaton.placement.computeNode === null ? undefined : index.node.get(automaton.placement.computeNode);
  if (current === undefined || automaton.stepsPerS <= 0) return null;
  const usage = search.context.costModel.usageFraction ?? 1;
  const onServerless = serverlessUsdPerMonth(observation, search.model, automaton, usage);
  if (current.kind !== "serverless") {
    const others = loads.utilisation(current) * current.cores - busyCoresOn(observation, index, automaton, current);
    const onProvisioned = provisionedUsdPerMonth(observation, index, automaton, current, others);
    if (serverless === undefined || !(onServerless < onProvisioned * (1 - params.band))) return null;
    if (!staysAcceptable(search, automaton, serverless)) return null;
    loads.add(current, -busyCoresOn(observation, index, automaton, current));
    return decide.switchServerless(automaton.id, true, serverless.id,
      `serverless ${onServerless.toFixed(2)} vs provisioned ${onProvisioned.toFixed(2)} USD/month`);
  }
  const costOn = (node: NodeObservation) => provisionedUsdPerMonth(observation, index, automaton, node, loads.utilisation(node) * node.cores);
  const fitting = vms.filter((node) => loads.utilisationWith(node, busyCoresOn(observation, index, automaton, node)) <= params.utilisationMax);
  fitting.sort((a, b) => costOn(a) - costOn(b) || a.utilisation - b.utilisation || (a.id < b.id ? -1 : 1));
  const target = fitting[0];
  if (target === undefined) return null;
  const onProvisioned = costOn(target);
  if (!(onServerless > onProvisioned * (1 + params.band))) return null;
  loads.add(target, busyCoresOn(observation, index, automaton, target));
  return decide.switchServerless(automaton.id, false, target.id,
    `provisioned ${onProvisioned.toFixed(2)} vs serverless ${onServerless.toFixed(2)} USD/month`);
}

export function optimizerServerlessSwitch(observation: Observation, params: PolicyParams, _random?: Random, context: PolicyContext = policyContextDefault): Decision[] {
  const config = paramsResolve(optimizerServerlessSwitchSpec, params, "optimizer.params");
  const index = observationIndex(observation);
  const computes = computeNodesUp(observation);
  const serverless = computes.find((node) => node.kind === "serverless");
  const vms = computes.filter((node) => node.kind === "vm" || node.kind === "darq-spare");
  const search: Switch = { model: costModelFromObservation(observation, context.costModel), observation, index, context, params: config };
  const loads = new LoadTracker(observation, index);
  const decisions: Decision[] = [];
  for (const automaton of byId(observation.automata)) {
    if (observation.windowEndUs - automaton.placedAtUs < config.cooldownUs) continue;
    const decision = switchOf(search, automaton, loads, serverless, vms);
    if (decision !== null) decisions.push(decision);
  }
  return decisions;
}
