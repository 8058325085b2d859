// Checks a decision against the observation it was made from: every id it names exists, nodes
// have the right role and are up, counts and sizes are sensible, a DARQ is released only when
// empty. Policy tests run every decision they get through it, and the runner may run it before
// handing decisions to the actuators, so a policy bug surfaces as a named error, not as an
// actuator failing half-way through a metadata workflow.

import { ErrorCode } from "../engine/io/errors.ts";
import { err, ok, type Result } from "../engine/io/result.ts";
import type { Decision } from "./decision.ts";
import { isComputeKind, type NodeObservation, type ObservationIndex } from "./observation.ts";

type Problem = string | null;

function nodeProblem(index: ObservationIndex, id: string, role: "compute" | "darq", field: string): Problem {
  const node: NodeObservation | undefined = index.node.get(id);
  if (node === undefined) return `${field} '${id}' is not a known node`;
  if (role === "compute" && !isComputeKind(node.kind)) return `${field} '${id}' is a ${node.kind} node, not a compute node`;
  if (role === "darq" && node.kind !== "darq") return `${field} '${id}' is a ${node.kind} node, not a DARQ node`;
  if (node.state !== "up") return `${field} '${id}' is ${node.state}`;
  return null;
}

function automatonProblem(index: ObservationIndex, id: string): Problem {
  return index.automaton.has(id) ? null : `automaton '${id}' is not in the observation`;
}

function poolProblem(index: ObservationIndex, name: string, role: "compute" | "darq"): Problem {
  const pool = index.pool.get(name);
  if (pool === undefined) return `pool '${name}' is not in the observation`;
  return pool.role === role ? null : `pool '${name}' is a ${pool.role} pool, not a ${role} pool`;
}

function countProblem(count: number | null): Problem {
  return count === null || (Number.isSafeInteger(count) && count >= 0) ? null : `count must be an integer ≥ 0, got ${count}`;
}

function first(...problems: Problem[]): Problem {
  for (const problem of problems) if (problem !== null) return problem;
  return null;
}

function standbyProblem(index: ObservationIndex, automaton: string, node: string, wantPresent: boolean): Problem {
  const standbys = index.automaton.get(automaton)?.standbys ?? [];
  const present = standbys.includes(node);
  if (present === wantPresent) return null;
  return wantPresent ? `'${node}' is not a standby of '${automaton}'` : `'${node}' already holds a standby of '${automaton}'`;
}

function deactivateProblem(index: ObservationIndex, automaton: string, release: "compute" | "computeAndDarq"): Problem {
  const observed = index.automaton.get(automaton);
  if (observed === undefined) return `automaton '${automaton}' is not in the observation`;
  if (release === "computeAndDarq" && observed.backlogMessages > 0) {
    return `'${automaton}' has ${observed.backlogMessages} unconsumed messages; its DARQ cannot be released`;
  }
  return null;
}

function mergeProblem(index: ObservationIndex, decision: Extract<Decision, { kind: "merge" }>): Problem {
  if (decision.automata.length < 2) return "merge needs at least two automata";
  if (new Set(decision.automata).size !== decision.automata.length) return "merge names an automaton twice";
  return first(...decision.automata.map((id) => automatonProblem(index, id)),
    nodeProblem(index, decision.darqNode, "darq", "darqNode"), nodeProblem(index, decision.computeNode, "compute", "computeNode"));
}

function problemOf(index: ObservationIndex, decision: Decision): Problem {
  switch (decision.kind) {
    case "place":
      return first(automatonProblem(index, decision.automaton), nodeProblem(index, decision.computeNode, "compute", "computeNode"),
        nodeProblem(index, decision.darqNode, "darq", "darqNode"));
    case "migrate":
      return first(automatonProblem(index, decision.automaton), nodeProblem(index, decision.darqNode, "darq", "darqNode"));
    case "moveCompute":
    case "switchServerless":
      return first(automatonProblem(index, decision.automaton), nodeProblem(index, decision.computeNode, "compute", "computeNode"));
    case "scaleCompute":
      return first(poolProblem(index, decision.pool, "compute"), countProblem(decision.count),
        decision.size === null && decision.count === null ? "scaleCompute changes neither size nor count" : null);
    case "scaleStorage":
      return poolProblem(index, decision.pool, "darq");
    case "resizePool": {
      const pool = index.pool.get(decision.pool);
      return first(pool === undefined ? `pool '${decision.pool}' is not in the observation` : null, countProblem(decision.count));
    }
    case "deactivate":
      return deactivateProblem(index, decision.automaton, decision.release);
    case "activateOnDemand":
      return first(automatonProblem(index, decision.automaton), poolProblem(index, decision.computePool, "compute"));
    case "addStandby":
      return first(automatonProblem(index, decision.automaton), nodeProblem(index, decision.computeNode, "compute", "computeNode"),
        standbyProblem(index, decision.automaton, decision.computeNode, false));
    case "removeStandby":
      return first(automatonProblem(index, decision.automaton), standbyProblem(index, decision.automaton, decision.computeNode, true));
    case "failover":
      return first(automatonProblem(index, decision.automaton), nodeProblem(index, decision.standby, "compute", "standby"),
        standbyProblem(index, decision.automaton, decision.standby, true));
    case "merge":
      return mergeProblem(index, decision);
  }
}

/** The decision if it is consistent with the observation; otherwise what is wrong, by name. */
export function decisionCheck(index: ObservationIndex, decision: Decision): Result<Decision> {
  const problem = problemOf(index, decision);
  if (problem === null) return ok(decision);
  return err(ErrorCode.argumentInvalid, `decision ${decision.kind}: ${problem}`);
}
