// Automatic deactivation (paper §4.1): an automaton idle for idleUsMin gives up its compute and is
// started on demand (a serverless function) when a message next arrives; one idle for
// darqIdleUsMin with no unconsumed messages gives up its logical DARQ too (it is then stateless
// as far as the runtime is concerned: its state lives in its snapshot/self-messages, replayed on
// the next activation). Its standbys go with its compute.
//
// Idle means no message in and no step during the window and an idle stretch of the required
// length (idleSinceUs). The thresholds are the cost of moving: a deactivated automaton pays a cold
// start on its next message, so idleUsMin should exceed the gap between messages one is willing
// to pay a cold start for. Automata that are pending or have a backlog are never idle.

import type { Random } from "../../engine/io/random.ts";
import { decide, type Decision } from "../decision.ts";
import type { AutomatonObservation, Observation } from "../observation.ts";
import { byId, paramsResolve, type PolicyParams } from "../policy.ts";

export const optimizerDeactivationSpec = {
  idleUsMin: { default: 60_000_000, min: 0, max: 86_400_000_000 * 30, integer: true, doc: "idle time after which compute is released" },
  darqIdleUsMin: { default: 600_000_000, min: 0, max: 86_400_000_000 * 30, integer: true, doc: "idle time after which an empty logical DARQ is released" },
  onDemandPool: { default: "", doc: "compute pool that starts deactivated automata on demand (\"\" = the first serverless pool, if any)" },
} as const;

function idleFor(automaton: AutomatonObservation, nowUs: number): number {
  if (automaton.idleSinceUs === null || automaton.pending || automaton.messagesInPerS > 0 || automaton.stepsPerS > 0) return -1;
  return nowUs - automaton.idleSinceUs;
}

function onDemandPoolOf(observation: Observation, named: string): string | null {
  if (named !== "") return named;
  const serverless = [...observation.pools].sort((a, b) => (a.name < b.name ? -1 : 1)).find((pool) => pool.kind === "serverless");
  return serverless?.name ?? null;
}

export function optimizerDeactivation(observation: Observation, params: PolicyParams, _random?: Random): Decision[] {
  const config = paramsResolve(optimizerDeactivationSpec, params, "optimizer.params");
  const nowUs = observation.windowEndUs;
  const pool = onDemandPoolOf(observation, config.onDemandPool);
  const decisions: Decision[] = [];
  for (const automaton of byId(observation.automata)) {
    const idleUs = idleFor(automaton, nowUs);
    if (idleUs < 0) continue;
    const { computeNode, darqNode } = automaton.placement;
    const releaseDarq = darqNode !== null && automaton.backlogMessages === 0 && idleUs >= config.darqIdleUsMin;
    const releaseCompute = computeNode !== null && idleUs >= config.idleUsMin;
    if (!releaseDarq && !releaseCompute) continue;
    const seconds = (idleUs / 1e6).toFixed(0);
    const reason = releaseDarq
      ? `idle ${seconds} s with no unconsumed messages: release compute and logical DARQ`
      : `idle ${seconds} s: release compute, start on demand`;
    decisions.push(decide.deactivate(automaton.id, releaseDarq ? "computeAndDarq" : "compute", reason));
    if (releaseCompute) {
      for (const standby of automaton.standbys) decisions.push(decide.removeStandby(automaton.id, standby, "its automaton is deactivated"));
      if (pool !== null) decisions.push(decide.activateOnDemand(automaton.id, pool, `idle ${seconds} s: serverless on demand`));
    }
  }
  return decisions;
}
