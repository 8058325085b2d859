// The synthetic workload: many automata, most of them idle most of the time, as in a real
// deployment. It exists to exercise the simulator at scale (bench/sim-scale.ts) and to model a
// population of mostly dormant objects in experiments.
//
// Shape: the automata `syn/<group>.<member>` form groups of `groupSize` (default 4), one
// co-location group each. A request arrives by the config's arrival process at messagesPerS ÷
// hops per second, enters a random member of an active group, and travels `hops` (default 4)
// messages around the group's ring; each step counts its handled messages in its state and does
// `workCoreUs` (default 50) of modelled compute. The last hop reports to the sink. So the
// automata handle messagesPerS messages per second in all.
//
// Idleness: at any time only ⌈(1 − idleFraction) × groups⌉ groups are active: a window of
// consecutive groups that moves on by its own width every `epochUs` (default 60 s), so over a long
// run every automaton wakes now and then and is idle otherwise. Nothing is listed up front
// (automata() is empty): automata are activated by their first message, as virtual automata are,
// and an idle one costs no events.
//
// Phase switch (workload option phaseSwitchS): requests that arrive that long after the first
// one travel a different ring: from `g.m` to `(g+1 mod groups).m`, the members with the same
// number in consecutive groups, so who talks to whom changes mid-run and a placement that
// co-located the first phase's groups now sends every hop across them (the online optimizer's test).
//
// Completion: a message is complete when the step that handles it commits, seen in the message
// that step sends on (it carries the handled message's send time) or, for the last hop, in the
// sink message. Throughput = messages per second; latency = one hop, send to commit.

import type { Random } from "../engine/io/random.ts";
import { defineAutomaton, type AutomatonDefinition } from "../engine/runtime/automaton.ts";
import { automatonIdType, type AutomatonId, type AutomatonRef } from "../engine/runtime/ids.ts";
import type { Workload } from "../experiments/schema-workload.ts";
import { arrivalProcessOf } from "./arrivals/arrivals.ts";
import {
  CompletionScratch, hint, MessageCostScratch,
  type ArrivalSource, type Completion, type MessageCost, type PlacementHint, type WorkloadContext, type WorkloadDriver,
} from "./driver.ts";
import { completed, sink, sinkCompletion, sinkRef } from "./sink.ts";

export type SyntheticConfig = Extract<Workload, { kind: "synthetic" }>;

export type SyntheticDriverOptions = {
  readonly groupSize?: number;
  readonly hops?: number;
  readonly workCoreUs?: number;
  readonly epochUs?: number;
};

export const syntheticType = "syn";

export type SyntheticMessage = {
  readonly type: "hop";
  readonly group: number;
  readonly member: number;
  /** Hops still to go after this one. */
  readonly hopsLeft: number;
  readonly sentUs: number;
  /** Send time of the message whose handling sent this one; -1 for a request's first message. */
  readonly previousSentUs: number;
  /** Second phase (phaseSwitchS): the ring runs across groups. Absent: the first phase. */
  readonly across?: true;
};

type SyntheticState = { handled: number };

/** The member automaton of a synthetic workload of `groups` groups of `groupSize` members. */
export function syntheticDefinition(groupSize: number, workCoreUs: number, groups = 1): AutomatonDefinition<SyntheticState, SyntheticMessage, number> {
  const report = sinkRef("synthetic");
  const definition = defineAutomaton<SyntheticState, SyntheticMessage, number>({
    type: syntheticType,
    initial: () => ({ handled: 0 }),
    handle(ctx, _state, message) {
      ctx.work(workCoreUs);
      ctx.emit(1);
      if (message.hopsLeft === 0) {
        ctx.send(report, completed("message", message.sentUs));
        return undefined;
      }
      const across = message.across === true;
      const member = across ? message.member : (message.member + 1) % groupSize;
      const group = across ? (message.group + 1) % groups : message.group;
      ctx.send(definition.ref(`${group}.${member}`), {
        type: "hop", group, member, hopsLeft: message.hopsLeft - 1, sentUs: ctx.nowUs(), previousSentUs: message.sentUs,
        ...(across ? { across: true as const } : {}),
      });
      return undefined;
    },
    apply: (state, handled) => ({ handled: state.handled + handled }),
  });
  return definition;
}

/** Which group an arrival at `timeUs` enters: a uniform draw inside the current active window. */
function groupAt(random: Random, timeUs: number, groups: number, activeGroups: number, epochUs: number): number {
  const epoch = Math.floor(timeUs / epochUs);
  const windowStart = (epoch * activeGroups) % groups;
  return (windowStart + random.int(activeGroups)) % groups;
}

export function syntheticDriver(config: SyntheticConfig, context: WorkloadContext, options: SyntheticDriverOptions = {}): WorkloadDriver {
  const groupSize = Math.max(1, Math.min(options.groupSize ?? 4, config.automata));
  const hops = Math.max(1, options.hops ?? 4);
  const groups = Math.floor(config.automata / groupSize);
  const activeGroups = Math.max(1, Math.ceil((1 - config.idleFraction) * groups));
  const epochUs = options.epochUs ?? 60_000_000;
  const definition = syntheticDefinition(groupSize, options.workCoreUs ?? 50, groups);
  const switchUs = config.phaseSwitchS === undefined ? Number.POSITIVE_INFINITY : config.phaseSwitchS * 1e6;
  let firstUs = -1;
  const random = context.random.fork("synthetic-requests");
  const source: ArrivalSource = {
    producer: "synthetic",
    process: arrivalProcessOf(config.arrival, config.messagesPerS / hops, context.random.fork("synthetic-arrivals"), context.traceTimesUs),
    arrivalsMax: Number.POSITIVE_INFINITY,
    inject(_seq: number, timeUs: number) {
      const group = groupAt(random, timeUs, groups, activeGroups, epochUs);
      const member = random.int(groupSize);
      if (firstUs < 0) firstUs = timeUs;
      const across = timeUs - firstUs >= switchUs;
      const message: SyntheticMessage = { type: "hop", group, member, hopsLeft: hops - 1, sentUs: timeUs, previousSentUs: -1, ...(across ? { across: true as const } : {}) };
      return { to: definition.ref(`${group}.${member}`) as AutomatonRef<SyntheticMessage> as AutomatonId, message };
    },
  };
  const completion = new CompletionScratch();
  const cost = new MessageCostScratch().set(0, 0, 0);
  return {
    kind: "synthetic",
    definitions: [definition, sink],
    automata: () => [],
    sources: [source],
    outcomes: ["message"],
    throughputOutcomes: ["message"],
    completionOf(to: AutomatonId, message: unknown): Completion | undefined {
      if (automatonIdType(to) !== syntheticType) return sinkCompletion(to, message, completion);
      const hop = message as SyntheticMessage;
      return hop.previousSentUs >= 0 ? completion.set("message", hop.previousSentUs, 1) : undefined;
    },
    placementHint(id: AutomatonId): PlacementHint {
      if (automatonIdType(id) !== syntheticType) return hint("sink", "sink");
      const key = id.slice(syntheticType.length + 1);
      return hint(`g${key.slice(0, key.indexOf("."))}`, "member");
    },
    messageCost: () => cost,
  };
}
