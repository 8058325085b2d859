// A pipeline of policies run as one: the experiment config names one optimizer (or autoscaler),
// and a real manager wants several (fail over first, then deactivate the idle, then co-locate,
// then optimise the rest). Params: `stages`, a comma-separated list of policy names, and each
// stage's own params prefixed with its name (`colocation.messagesPerSMin`). Every stage sees the
// same observation; a decision is dropped when an earlier stage already decided about one of its
// automata or its pool, so the first stage to act on something wins and no two stages fight over
// it in one run. Each stage gets its own forked random stream (`random.fork(name)`).

import { ErrorCode, SsmsError } from "../engine/io/errors.ts";
import type { Random } from "../engine/io/random.ts";
import { decisionAutomata, decisionPool, type Decision } from "./decision.ts";
import type { Observation } from "./observation.ts";
import { policyContextDefault, type ParamValue, type Policy, type PolicyContext, type PolicyParams } from "./policy.ts";

function stagesOf(params: PolicyParams, known: Readonly<Record<string, Policy>>, defaultStages: string, where: string): { names: string[]; params: Map<string, Record<string, ParamValue>> } {
  const problems: string[] = [];
  const stagesValue = params["stages"] ?? defaultStages;
  const names = typeof stagesValue === "string" ? stagesValue.split(",").map((name) => name.trim()).filter((name) => name !== "") : [];
  if (typeof stagesValue !== "string") problems.push(`${where}.stages: must be a comma-separated list of policy names`);
  for (const name of names) if (!Object.hasOwn(known, name)) problems.push(`${where}.stages: unknown policy '${name}' (known: ${Object.keys(known).join(", ")})`);
  const stageParams = new Map<string, Record<string, ParamValue>>(names.map((name) => [name, {}]));
  for (const [key, value] of Object.entries(params)) {
    if (key === "stages") continue;
    const dot = key.indexOf(".");
    const stage = dot < 0 ? undefined : stageParams.get(key.slice(0, dot));
    if (stage === undefined) problems.push(`${where}.${key}: not '<stage>.<param>' for a listed stage (stages: ${names.join(", ")})`);
    else stage[key.slice(dot + 1)] = value;
  }
  if (problems.length > 0) throw new SsmsError(ErrorCode.configInvalid, problems.join("; "));
  return { names, params: stageParams };
}

/** A policy that runs `known` policies in the order `stages` names them. */
export function pipelineOf(known: Readonly<Record<string, Policy>>, defaultStages: string, where: string): Policy {
  return (observation: Observation, params: PolicyParams, random: Random, context: PolicyContext = policyContextDefault): Decision[] => {
    const stages = stagesOf(params, known, defaultStages, where);
    const automataTaken = new Set<string>();
    const poolsTaken = new Set<string>();
    const decisions: Decision[] = [];
    for (const name of stages.names) {
      const stageDecisions = known[name]!(observation, stages.params.get(name)!, random.fork(name), context);
      const kept = stageDecisions.filter((decision) => {
        const pool = decisionPool(decision);
        return !decisionAutomata(decision).some((id) => automataTaken.has(id)) && (pool === null || !poolsTaken.has(pool));
      });
      for (const decision of kept) {
        for (const id of decisionAutomata(decision)) automataTaken.add(id);
        const pool = decisionPool(decision);
        if (pool !== null) poolsTaken.add(pool);
      }
      decisions.push(...kept);
    }
    return decisions;
  };
}
