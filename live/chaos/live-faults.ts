// The faults of a live experiment point: the schedule the runner passes (faults.schedule, or a
// recorded run's), checked with the simulator's fault vocabulary (sim/faults/fault.ts, pure), or
// drawn from the config's seeded fault model. The model's kinds become what a live cluster can
// suffer: nodeCrash, tornWrite and spotPreemption a SIGKILL followed by a restart, processPause a
// SIGSTOP followed by SIGCONT, zoneOutage (one zone on one machine) every node at once;
// networkPartition splits the nodes in two through the link proxy. Transient faults last an
// exponential time of mean `durationUsMean`. Same seed, same schedule.

import { exponential } from "../../engine/io/distributions.ts";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { RandomNode } from "../../engine/io/node/random-node.ts";
import type { Random } from "../../engine/io/random.ts";
import type { Experiment } from "../../experiments/schema.ts";
import type { FaultRecord } from "../../experiments/runner/point.ts";
import { faultCheck, type Fault } from "../../sim/faults/fault.ts";

type ModelKind = keyof NonNullable<NonNullable<Experiment["faults"]>["model"]>["ratesPerHour"];

/** Checks recorded faults against the vocabulary; every problem is named with its index. */
export function faultsChecked(records: readonly FaultRecord[]): Fault[] {
  const problems: string[] = [];
  const faults: Fault[] = [];
  records.forEach((record, index) => {
    const checked = faultCheck({ params: {}, ...record });
    if (checked.fault === null) problems.push(...checked.problems.map((problem) => `fault ${index}: ${problem}`));
    else faults.push(checked.fault);
  });
  if (problems.length > 0) throw new SsmsError(ErrorCode.configInvalid, `the fault schedule cannot be applied live: ${problems.slice(0, 10).join("; ")}`);
  return faults;
}

function pairOf(kind: ModelKind, random: Random, nodes: readonly string[], timeUs: number, downUs: number): Fault[] {
  const node = nodes[random.int(nodes.length)]!;
  const at = Math.floor(timeUs);
  const end = Math.floor(timeUs + downUs) + 1;
  switch (kind) {
    case "nodeCrash":
    case "spotPreemption":
      return [{ timeUs: at, fault: "crash", targets: [node], params: {} }, { timeUs: end, fault: "restart", targets: [node], params: {} }];
    case "tornWrite":
      return [{ timeUs: at, fault: "diskTornWrite", targets: [node], params: {} }, { timeUs: end, fault: "restart", targets: [node], params: {} }];
    case "processPause":
      return [{ timeUs: at, fault: "pause", targets: [node], params: {} }, { timeUs: end, fault: "resume", targets: [node], params: {} }];
    case "zoneOutage":
      return [{ timeUs: at, fault: "crash", targets: [...nodes], params: {} }, { timeUs: end, fault: "restart", targets: [...nodes], params: {} }];
    case "networkPartition": {
      if (nodes.length < 2) return [];
      const cut = 1 + random.int(nodes.length - 1);
      const groups = [nodes.slice(0, cut), nodes.slice(cut)];
      return [
        { timeUs: at, fault: "networkPartition", targets: groups.flat(), params: { groups, asymmetric: false } },
        { timeUs: end, fault: "heal", targets: [], params: {} },
      ];
    }
  }
}

/** Faults drawn from the config's fault model over `nodes` for `durationUs`, in time order. */
export function faultsFromModel(config: Experiment, seed: string, nodes: readonly string[], durationUs: number): Fault[] {
  const model = config.faults?.model;
  if (model === undefined) return [];
  const random = new RandomNode(seed).fork("live-faults");
  const downUsMean = model.durationUsMean ?? 5_000_000;
  const faults: Fault[] = [];
  for (const [kind, ratePerHour] of Object.entries(model.ratesPerHour) as [ModelKind, number | undefined][]) {
    if (ratePerHour === undefined || ratePerHour <= 0) continue;
    const stream = random.fork(kind);
    const gapUsMean = 3.6e9 / ratePerHour;
    for (let timeUs = exponential(stream, gapUsMean); timeUs < durationUs; timeUs += exponential(stream, gapUsMean)) {
      faults.push(...pairOf(kind, stream, nodes, timeUs, exponential(stream, downUsMean)));
    }
  }
  return faults.sort((a, b) => a.timeUs - b.timeUs);
}

/** True when a fault needs the link proxy. */
export function needsLinks(fault: Fault): boolean {
  return fault.fault === "networkPartition" || fault.fault === "heal" || fault.fault === "linkLoss" || fault.fault === "linkReorder";
}
