// The greedy cost-based optimizer (paper §3.4, §4.1): score the current placement with the cost
// model and the user's objective, try single moves (compute elsewhere, logical DARQ elsewhere, or
// both onto one machine), and take the best one if, over the horizon, it beats staying put by more
// than the hysteresis margin after paying for its pause (move-cost.ts). Repeat up to movesMax
// times per run, each move on top of the last.
//
// Against flapping: an automaton placed less than cooldownUs ago is not moved; a move must gain
// more than hysteresisFraction of the current score's magnitude; one automaton moves at most once
// per run. Candidates are bounded: the automataMax busiest automata, one node per (kind, pool,
// zone) plus the nodes of their heaviest talk partners (candidates.ts).

import type { Random } from "../../engine/io/random.ts";
import { costModelFromObservation, type Assignment, type CostModel, type Prediction } from "../cost-model.ts";
import { decide, type Decision } from "../decision.ts";
import { computeNodesUp, darqNodesUp } from "../nodes.ts";
import { objectiveScore } from "../objective.ts";
import { observationIndex, type AutomatonObservation, type NodeObservation, type Observation, type ObservationIndex } from "../observation.ts";
import { paramsResolve, policyContextDefault, type PolicyContext, type PolicyParams, type Resolved } from "../policy.ts";
import { representatives, sparesByHost, talkPartners, targetsFor, type Targets } from "./candidates.ts";
import { activationPauseUs, horizonAfterMove, migrationPauseUs, stepsTotalPerS } from "./move-cost.ts";

export const optimizerGreedyCostSpec = {
  horizonS: { default: 60, min: 1, max: 86_400, doc: "seconds over which a move must pay for itself" },
  movesMax: { default: 4, min: 0, max: 1000, integer: true, doc: "moves per run at most" },
  automataMax: { default: 32, min: 1, max: 100_000, integer: true, doc: "busiest automata considered per run" },
  partnersMax: { default: 3, min: 0, max: 100, integer: true, doc: "talk partners whose nodes are candidates" },
  hysteresisFraction: { default: 0.02, min: 0, max: 1, doc: "relative gain a move must exceed" },
  cooldownUs: { default: 30_000_000, min: 0, max: 86_400_000_000, integer: true, doc: "no move within this time of the last one" },
  consolidate: { default: false, doc: "count empty provisioned nodes as free (the autoscaler will remove them)" },
  includeServerless: { default: true, doc: "consider serverless compute as a target" },
  processStartUs: { default: 100_000, min: 0, max: 600_000_000, doc: "time to start a processor on a provisioned node" },
  replayBytesPerS: { default: 200e6, min: 1, max: 1e12, doc: "self-message replay speed of a new processor" },
} as const;

type Params = Resolved<typeof optimizerGreedyCostSpec>;

type Move = { automaton: number; compute: number; darq: number; score: number; prediction: Prediction; pauseUs: number; fraction: number };

type Search = {
  readonly observation: Observation;
  readonly index: ObservationIndex;
  readonly model: CostModel;
  readonly assignment: Assignment;
  readonly context: PolicyContext;
  readonly params: Params;
  readonly stepsTotal: number;
  pausedFraction: number;
  pauseUsMax: number;
};

function nodeAt(search: Search, position: number): NodeObservation | undefined {
  return position < 0 ? undefined : search.index.node.get(search.model.compiled.nodeIds[position]!);
}

/** Scores automaton `position` moved to (compute, darq); returns the horizon score and its parts. */
function evaluate(search: Search, position: number, compute: number, darq: number): Move {
  const { assignment, model, observation } = search;
  const automaton = observation.automata[position]!;
  const oldCompute = assignment.compute[position]!;
  const oldDarq = assignment.darq[position]!;
  assignment.compute[position] = compute;
  assignment.darq[position] = darq;
  const prediction = model.predict(assignment);
  assignment.compute[position] = oldCompute;
  assignment.darq[position] = oldDarq;
  const prices = observation.prices;
  let pauseUs = 0;
  if (darq !== oldDarq) pauseUs += migrationPauseUs(prices, automaton, nodeAt(search, oldDarq)!, nodeAt(search, darq)!);
  if (compute !== oldCompute) pauseUs += activationPauseUs(prices, automaton, nodeAt(search, compute)!, search.params);
  const share = search.stepsTotal > 0 ? automaton.stepsPerS / search.stepsTotal : 0;
  const fraction = search.pausedFraction + (share * pauseUs) / (search.params.horizonS * 1e6);
  const horizon = horizonAfterMove(prediction, fraction, Math.max(search.pauseUsMax, pauseUs));
  return { automaton: position, compute, darq, score: objectiveScore(search.context.objective, horizon), prediction, pauseUs, fraction };
}

/** The best single move of one automaton among its targets, or null. */
function bestMoveOf(search: Search, position: number, targets: Targets, spares: ReadonlyMap<string, NodeObservation>): Move | null {
  const { assignment, model } = search;
  const compute = assignment.compute[position]!;
  const darq = assignment.darq[position]!;
  const nodeIndex = model.compiled.nodeIndex;
  let best: Move | null = null;
  const consider = (targetCompute: number, targetDarq: number) => {
    if (targetCompute < 0 || targetDarq < 0 || (targetCompute === compute && targetDarq === darq)) return;
    const move = evaluate(search, position, targetCompute, targetDarq);
    if (best === null || move.score < best.score) best = move;
  };
  for (const node of targets.compute) consider(nodeIndex.get(node.id) ?? -1, darq);
  for (const node of targets.darq) {
    const target = nodeIndex.get(node.id) ?? -1;
    consider(compute, target);
    const spare = spares.get(node.id);
    if (spare !== undefined) consider(nodeIndex.get(spare.id) ?? -1, target);
  }
  return best;
}

function movable(search: Search): number[] {
  const { observation, params } = search;
  const nowUs = observation.windowEndUs;
  const positions: number[] = [];
  observation.automata.forEach((automaton, position) => {
    if (search.assignment.compute[position]! < 0 || search.assignment.darq[position]! < 0) return;
    if (nowUs - automaton.placedAtUs < params.cooldownUs || automaton.stepsPerS <= 0) return;
    positions.push(position);
  });
  const automata = observation.automata;
  positions.sort((left, right) => automata[right]!.stepsPerS - automata[left]!.stepsPerS || (automata[left]!.id < automata[right]!.id ? -1 : 1));
  return positions.slice(0, params.automataMax);
}

function decisionsOf(search: Search, move: Move, before: { compute: number; darq: number }, reason: string): Decision[] {
  const automaton: AutomatonObservation = search.observation.automata[move.automaton]!;
  const decisions: Decision[] = [];
  if (move.darq !== before.darq) decisions.push(decide.migrate(automaton.id, nodeAt(search, move.darq)!.id, reason));
  if (move.compute !== before.compute) {
    const target = nodeAt(search, move.compute)!;
    const wasServerless = nodeAt(search, before.compute)?.kind === "serverless";
    const toServerless = target.kind === "serverless";
    decisions.push(wasServerless === toServerless
      ? decide.moveCompute(automaton.id, target.id, reason)
      : decide.switchServerless(automaton.id, toServerless, target.id, reason));
  }
  return decisions;
}

export function optimizerGreedyCost(observation: Observation, params: PolicyParams, _random?: Random, context: PolicyContext = policyContextDefault): Decision[] {
  const config = paramsResolve(optimizerGreedyCostSpec, params, "optimizer.params");
  const model = costModelFromObservation(observation, { ...context.costModel, horizonS: config.horizonS, idleProvisionedNodesBilled: !config.consolidate });
  const index = observationIndex(observation);
  const search: Search = {
    observation, index, model, assignment: model.assignmentNow(), context, params: config,
    stepsTotal: stepsTotalPerS(observation), pausedFraction: 0, pauseUsMax: 0,
  };
  const computes = computeNodesUp(observation).filter((node) => config.includeServerless || node.kind !== "serverless");
  const base: Targets = { compute: representatives(computes), darq: representatives(darqNodesUp(observation)) };
  const partners = talkPartners(observation.talk);
  const spares = sparesByHost(observation);
  let currentScore = objectiveScore(context.objective, model.predict(search.assignment));
  const margin = config.hysteresisFraction * Math.abs(currentScore) + 1e-9;
  const candidates = new Set(movable(search));
  const decisions: Decision[] = [];
  for (let moveCount = 0; moveCount < config.movesMax && candidates.size > 0; moveCount++) {
    let best: Move | null = null;
    for (const position of candidates) {
      const targets = targetsFor(observation.automata[position]!.id, index, base, partners, config.partnersMax);
      const move = bestMoveOf(search, position, targets, spares);
      if (move !== null && (best === null || move.score < best.score)) best = move;
    }
    if (best === null || !(best.score < currentScore - margin)) break;
    const before = { compute: search.assignment.compute[best.automaton]!, darq: search.assignment.darq[best.automaton]! };
    const reason = `greedy-cost: score ${currentScore.toPrecision(6)} → ${best.score.toPrecision(6)} over ${config.horizonS} s, pause ${(best.pauseUs / 1000).toFixed(1)} ms`;
    decisions.push(...decisionsOf(search, best, before, reason));
    search.assignment.compute[best.automaton] = best.compute;
    search.assignment.darq[best.automaton] = best.darq;
    search.pausedFraction = best.fraction;
    search.pauseUsMax = Math.max(search.pauseUsMax, best.pauseUs);
    currentScore = best.score;
    candidates.delete(best.automaton);
  }
  return decisions;
}
