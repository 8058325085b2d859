// The cost of moving an automaton, so an optimizer moves only when the gain is worth it.
//
// A migration pauses the automaton's logical DARQ (DESIGN §3 property 10): the source stops
// accepting work, copies the live log to the target as one step, the catalog flips, senders
// re-route. Pause ≈ a catalog write + a round trip between the DARQ nodes + the live bytes at the
// link's bandwidth + one flush at the target.
// Moving compute starts a processor elsewhere: a cold start (serverless) or a process start
// (provisioned), then a replay of its self-messages (live bytes at replayBytesPerS).
//
// Over a horizon H, a pause of p seconds delays the automaton's messages that arrive during it:
// a fraction f = share × p ÷ H of all steps, where share is the automaton's part of the step
// rate. horizonAfterMove turns a candidate's steady prediction into the horizon's: throughput
// loses f, and if f exceeds 1% the p99 is at least the pause (those messages wait up to p). The
// optimizer scores that, so a move pays for its pause out of its gain.

import type { Prediction } from "../cost-model.ts";
import type { AutomatonObservation, NodeObservation, Observation } from "../observation.ts";
import type { LinkClass, PriceBook } from "../price-book.ts";

export type MoveCostParams = {
  /** Starting a processor on a provisioned node (load code, register, fence). */
  readonly processStartUs: number;
  /** Speed of replaying self-messages into a new processor. */
  readonly replayBytesPerS: number;
};

export const moveCostParamsDefault: MoveCostParams = Object.freeze({ processStartUs: 100_000, replayBytesPerS: 200e6 });

/** Bytes per second between two zones when the profile names no bandwidth (10 Gbit/s). */
const bandwidthDefaultBytesPerS = 1.25e9;

function linkBetween(source: NodeObservation, target: NodeObservation): LinkClass {
  if (source.id === target.id) return "sameProcess";
  return source.zone === target.zone ? "sameZone" : "crossZone";
}

/** Pause of migrating `automaton`'s logical DARQ from `source` to `target`, µs. */
export function migrationPauseUs(prices: PriceBook, automaton: AutomatonObservation, source: NodeObservation, target: NodeObservation): number {
  const link = prices.links[linkBetween(source, target)];
  const bandwidth = link.bandwidthBytesPerS ?? bandwidthDefaultBytesPerS;
  const flushUs = prices.storageTiers[target.storageTier ?? ""]?.flushLatency.p50Us ?? 0;
  return prices.catalogWrite.p50Us + 2 * link.oneWayLatency.p50Us + (automaton.logBytes / bandwidth) * 1e6 + flushUs;
}

/** Pause of starting `automaton`'s processor on `target`, µs. */
export function activationPauseUs(prices: PriceBook, automaton: AutomatonObservation, target: NodeObservation, params: MoveCostParams): number {
  const startUs = target.kind === "serverless" ? prices.serverless.coldStart.p50Us : params.processStartUs;
  return startUs + prices.catalogWrite.p50Us + (automaton.logBytes / params.replayBytesPerS) * 1e6;
}

/** The total step rate of the observation (for an automaton's share). */
export function stepsTotalPerS(observation: Observation): number {
  let total = 0;
  for (const automaton of observation.automata) total += automaton.stepsPerS;
  return total;
}

/** The candidate's prediction averaged over the horizon, paying for pauses (see header). */
export function horizonAfterMove(candidate: Prediction, pausedStepFraction: number, pauseUsMax: number): Prediction {
  const fraction = Math.min(1, Math.max(0, pausedStepFraction));
  return {
    ...candidate,
    throughputStepsPerS: candidate.throughputStepsPerS * (1 - fraction),
    latencyUsP99: fraction > 0.01 ? Math.max(candidate.latencyUsP99, pauseUsMax) : candidate.latencyUsP99,
  };
}
